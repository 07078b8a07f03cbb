"""What each audit action and object is called in the user's language, for the audit pages.

The entries themselves keep their codes (`plan.step`) and the text their object had when they were
written (immutable, hash-chained); the page names them for people. An app that records a new action
may name it with `register`; an action nobody named is described from its object's model and verb.
"""
from __future__ import annotations

import re

from django.apps import apps
from django.utils.translation import gettext_lazy as _

_LABELS = {
    "unit.create": _("Unit created"), "unit.update": _("Unit changed"),
    "department.create": _("Department created"), "department.update": _("Department duties changed"),
    "expert_pool.create": _("Expert pool created"), "expert.create": _("Expert added"),
    "expert.update": _("Expert changed"), "expert.remove": _("Expert removed"),
    "role.assign": _("Role granted"), "role.revoke": _("Role withdrawn"),
    "user.create": _("User added"), "user.password_reset": _("Password reset"),
    "user.deactivate": _("Account deactivated"), "user.reactivate": _("Account reactivated"),
    "demo.create": _("Demo data loaded"), "demo.update": _("Demo data updated"),
    "demo.role_assign": _("Demo role granted"), "demo.organisation_link": _("Demo organisations linked"),
    "duty.fired": _("Deadline fired"),
    "plan.create": _("Plan created"), "plan.version.start": _("Plan revision started"),
    "plan.version.edit": _("Plan draft edited"), "plan.version.submit": _("Plan draft submitted"),
    "plan.step": _("Approval step taken"), "plan.publish": _("Plan published"), "plan.retire": _("Plan retired"),
    "plan.opinions.request": _("Written opinions requested"), "plan.opinion": _("Written opinion recorded"),
    "plan.task.add": _("Work-manual task added"), "plan.drill": _("Drill recorded"),
    "plan.evaluation": _("Evaluation recorded"), "plan.revision_request": _("Revision request filed"),
    "plan.revision_request.close": _("Revision request closed"),
    "plans.annual_review.done": _("Annual review recorded"),
    "incident.log": _("Incident logged"), "incident.report": _("Incident report written"),
    "incident.report.send": _("Incident report sent"), "incident.release": _("Public information released"),
    "incident.set_grade": _("Incident grade set"), "incident.regrade": _("Incident regraded"),
    "incident.flag_panic": _("Possible public panic flagged"), "incident.assign_lead": _("Lead department set"),
    "incident.classify": _("Classification set"), "plan.classify": _("Classification set"),
    "incident.deadline.met": _("Reporting deadline met"), "incident.deadline.late": _("Reporting deadline missed"),
    "incident.investigation": _("Investigation recorded"),
    "response.propose": _("Response level proposed"), "response.decide": _("Response level decided"),
    "response.adjust": _("Response level adjusted"), "response.end": _("Response ended"),
    "response.transfer.request": _("Command transfer requested"),
    "response.transfer.decide": _("Command transfer decided"), "response.post.open": _("Command post opened"),
    "response.group.add": _("Working group formed"), "response.order.issue": _("Order issued"),
    "response.order.update": _("Order updated"), "response.key_period.add": _("Key period added"),
    "warning.draft": _("Warning drafted"), "warning.issue": _("Warning issued"),
    "warning.adjust": _("Warning adjusted"), "warning.lift": _("Warning lifted"),
    "warning.escalate": _("Warning escalated"), "warning.measure.assign": _("Warning measure assigned"),
    "warning.measure.update": _("Warning measure updated"),
    "grading.table.draft": _("Grading table drafted"), "grading.table.run_cases": _("Grading cases run"),
    "grading.table.publish": _("Grading table published"), "grading.table.adopt": _("Grading table adopted"),
    "grading.table.seed": _("Grading table seeded from its standard"),
    "grading.criterion.save": _("Grading criterion saved"), "grading.criterion.remove": _("Grading criterion removed"),
    "grading.case.add": _("Grading case added"),
}
# Object kinds whose model has no name of its own in the catalogues.
_OBJECTS = {"plans.steprecord": _("Approval step"), "plans.planedition": _("Plan edition")}
_DEFAULT_REPR = re.compile(r"^\w+ object \((?P<pk>[^)]*)\)$")


def register(labels: dict[str, object]) -> None:
    """Name an app's actions (lazily translated labels by action code)."""
    _LABELS.update(labels)


def _model_name(object_type: str) -> str | None:
    if object_type in _OBJECTS:
        return str(_OBJECTS[object_type])
    try:
        return str(apps.get_model(object_type)._meta.verbose_name)
    except (LookupError, ValueError):
        return None


def action_label(action: str, object_type: str = "") -> str:
    """The action in the user's language: its registered name, else a change to its kind of object."""
    if action in _LABELS:
        return str(_LABELS[action])
    subject = _model_name(object_type) or action.rsplit(".", 1)[0].replace("_", " ")
    return str(_("Change to %(object)s") % {"object": subject})


def object_label(entry) -> str:
    """The entry's object as its text was written, or, where the object had no name of its own
    (`StepRecord object (16)`), its kind and number."""
    match = _DEFAULT_REPR.match(entry.object_repr or "")
    if match is None:
        return entry.object_repr
    return f"{_model_name(entry.object_type) or entry.object_type} #{entry.object_id}"
