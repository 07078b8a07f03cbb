"""The response measures checklist: a measure of the organisation's own list (checklist.py), offered
by the incident's category once a response is active, assigned by those who command to a department
the commanding unit can call on, and reported on by that department: assigned → in progress → done,
or not applicable with the reason. Each change is audited and sent live after commit."""
from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from emergency import live
from emergency.audit.services import audit_record
from emergency.errors import Conflict, NotFound, NotPermitted, ValidationFailed
from emergency.notify.services import notification_send
from emergency.org.models import Department, RoleAssignment, User
from emergency.org.scope import unit_scope
from emergency.org.tree import reach_ids

from . import lifecycles
from .checklist import ResponseMeasureKind, measures_for
from .command import _active, require_command
from .models import Response, ResponseMeasure

MEASURE = "response.measure"
S = ResponseMeasure.Status


def _invalid(**fields) -> ValidationFailed:
    return ValidationFailed(_("Some fields are missing or invalid."), fields={k: [v] for k, v in fields.items()})


def catalogue_for(response: Response) -> list[ResponseMeasureKind]:
    """The measures the plan offers this response: by the incident's category, from its organisation's plan."""
    return measures_for(unit=response.command_unit, category_code=response.incident.incident_type.category.code)


def serves(user: User, measure: ResponseMeasure) -> bool:
    """Whether `user` works in the department the measure is assigned to (the user's departments read
    once per request: the response page asks it for every row of the list)."""
    departments = getattr(user, "_measure_departments", None)
    if departments is None:
        departments = set(RoleAssignment.objects.filter(user=user, department__isnull=False)
                          .values_list("department_id", flat=True))
        user._measure_departments = departments
    return measure.department_id in departments


def require_reporter(user: User, measure: ResponseMeasure) -> None:
    """The assigned department reports on its measure; else those who command the response."""
    if measure.response.state != Response.State.ACTIVE:
        raise Conflict(_("The response has already ended."))
    if serves(user, measure):
        return
    try:
        require_command(user, measure.response)
    except NotPermitted:
        raise NotPermitted(_("Only the department the measure is assigned to, or the command, reports on it."))


def _publish(measure: ResponseMeasure, response: Response) -> None:
    live.publish(event=MEASURE, unit_id=response.incident.unit_id,
                 data={"response": response.pk, "measure": measure.pk, "key": measure.key, "status": measure.status,
                       "department": measure.department_id},
                 about=("incident", response.incident_id))


@transaction.atomic
def measure_assign(*, actor: User, response: Response, key: str, department: Department) -> ResponseMeasure:
    """Assign (or pass on, while open) one measure of the plan's list to a department."""
    response = _active(response)
    require_command(actor, response)
    if key not in {kind.key for kind in catalogue_for(response)}:
        raise _invalid(key=_("This measure is not in the plan's list for this incident."))
    if department.unit_id not in reach_ids(response.command_unit):
        raise _invalid(department=_("The department must be within reach of the commanding unit."))
    measure = ResponseMeasure.objects.select_for_update().filter(response=response, key=key).first()
    before = None
    if measure is None:
        measure = ResponseMeasure.objects.create(response=response, key=key, department=department,
                                                 assigned_by=actor, assigned_at=timezone.now())
    else:
        if measure.status in (S.DONE, S.NOT_APPLICABLE):
            raise Conflict(_("This measure is already closed (%(status)s).") % {"status": measure.get_status_display()})
        before = {"department": measure.department_id, "status": measure.status}
        measure.department, measure.status, measure.assigned_by = department, S.ASSIGNED, actor
        measure.assigned_at = timezone.now()
        measure.save()
    notification_send(recipient_ids=set(RoleAssignment.objects.filter(department=department)
                                         .values_list("user_id", flat=True)),
                      kind=MEASURE, unit_id=response.incident.unit_id, link=response.get_absolute_url(),
                      title=gettext("Response measure: %(text)s") % {"text": measure.wording[:80]},
                      source_key=f"{MEASURE}:{measure.pk}:{department.pk}")
    audit_record(actor=actor, unit_id=response.incident.unit_id, action="response.measure.assign", target=measure,
                 before=before, after={"key": key, "department": department.pk})
    _publish(measure, response)
    return measure


@transaction.atomic
def measure_report(*, actor: User, measure: ResponseMeasure, status: str, note: str = "") -> ResponseMeasure:
    """The department starts its measure, reports it done, or reports it not applicable with the reason."""
    measure = (ResponseMeasure.objects.select_for_update(of=("self",))
               .select_related("response", "response__incident", "response__command_unit").get(pk=measure.pk))
    response = measure.response
    if not unit_scope(actor).can_see(response.incident.unit_id) and not serves(actor, measure):
        raise NotFound(_("Not found."))
    verb = {S.IN_PROGRESS: "start", S.DONE: "done", S.NOT_APPLICABLE: "not-applicable"}.get(status)
    if verb is None:
        raise _invalid(status=_("Unknown measure status."))
    lifecycles.MEASURE.require(verb, measure, state_attr="status")
    require_reporter(actor, measure)
    if status == S.NOT_APPLICABLE and not note.strip():
        raise _invalid(note=_("Give the reason the measure does not apply."))
    before = measure.status
    measure.status, measure.updated_by = status, actor
    measure.note = note.strip() or measure.note
    measure.save()
    audit_record(actor=actor, unit_id=response.incident.unit_id, action="response.measure.report", target=measure,
                 before={"status": before}, after={"status": status, "note": measure.note})
    _publish(measure, response)
    return measure
