"""The writes on incidents and their reports, declared once: the pages and the API both dispatch
through these (issue 14). Each names its input, the states it may start from, the authority it needs
(the same function the service calls) and the service that carries it out."""
from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from emergency.operations import Operation, register
from emergency.org.services import require
from plans.annual import mark_done

from . import copies, inputs, lifecycles, outputs, releases, services
from .models import Incident, IncidentReport, PublicRelease, ReportCopy
from .review import investigation_submit, require_may_mark_done
from plans.models import AnnualReviewDuty


def _permission(perm: str):
    def guard(user, incident) -> None:
        require(user, perm, incident)
    return guard


def _log(*, actor, target, type, **values):  # noqa: A002 - the API's field name
    return services.incident_log(actor=actor, type_code=type, **values)


def _sent(dispatches) -> dict:
    return {"dispatches": dispatches, "copies": [c for d in dispatches for c in d.copies.all()]
            + list(ReportCopy.objects.filter(report_id=dispatches[0].report_id, dispatch__isnull=True,
                                             sent_at=dispatches[0].sent_at))}


LOG = Operation(
    name="incident.log", label=_("Log the incident and its initial report"), input=inputs.IncidentLogInput,
    output=outputs.IncidentLoggedOutput, created=True, run=_log,
    guard=lambda user, target: require(user, "incidents.add_incident", None),
    success=lambda incident: _("Incident %(number)s logged; its initial report is in.") % {"number": incident.number},
)
REPORT = Operation(
    name="incident.report", model=Incident, label=_("Submit report"), input=inputs.ReportInput,
    output=outputs.ReportSerializer, lifecycle=lifecycles.INCIDENT, state_attr="status", created=True,
    guard=services.require_may_report, success=_("Report submitted."),
    run=lambda *, actor, target, **values: services.report_submit(actor=actor, incident=target, **values),
)
CORRECT = Operation(
    name="report.correct", model=IncidentReport, label=_("Submit correction"), input=inputs.CorrectionInput,
    output=outputs.ReportSerializer, lifecycle=lifecycles.REPORT, state_attr="incident_status", created=True,
    guard=services.require_may_correct, success=_("Correction submitted."),
    run=lambda *, actor, target, **values: services.report_submit(
        actor=actor, incident=target.incident, kind=target.kind, corrects=target, **values),
)
SEND = Operation(
    name="report.send", model=IncidentReport, label=_("Send to the superior"), input=inputs.SendInput,
    output=outputs.SentOutput, lifecycle=lifecycles.REPORT, state_attr="incident_status", created=True,
    guard=services.require_may_send, success=_("Report sent to the superior."),
    run=lambda *, actor, target, copy_when_needed=None: _sent(services.report_send_up(
        actor=actor, report=target, copy_when_needed=copy_when_needed)),
)
RELEASE = Operation(
    name="incident.release", model=Incident, label=_("Draft for approval"), input=inputs.ReleaseInput,
    output=outputs.ReleaseOutput, lifecycle=lifecycles.INCIDENT, state_attr="status", created=True,
    guard=_permission("incidents.record_release"), success=_("Release drafted; it is published once approved."),
    run=lambda *, actor, target, **values: releases.release_draft(actor=actor, incident=target, **values),
)
APPROVE_RELEASE = Operation(
    name="release.approve", model=PublicRelease, label=_("Approve and publish"),
    output=outputs.ReleaseDecisionOutput, lifecycle=lifecycles.RELEASE, created=True,
    guard=releases.require_approver, success=_("Release approved: it is published."),
    run=lambda *, actor, target: releases.release_decide(actor=actor, release=target, approved=True),
)
REJECT_RELEASE = Operation(
    name="release.reject", model=PublicRelease, label=_("Reject"), input=inputs.ReleaseRejectInput,
    output=outputs.ReleaseDecisionOutput, lifecycle=lifecycles.RELEASE, created=True, danger=True,
    guard=releases.require_approver, success=_("Release rejected."),
    run=lambda *, actor, target, reason: releases.release_decide(actor=actor, release=target, approved=False,
                                                                 reason=reason),
)
SET_GRADE = Operation(
    name="incident.set-grade", model=Incident, label=_("Set grade"), input=inputs.GradeInput,
    output=outputs.IncidentStateOutput, lifecycle=lifecycles.INCIDENT, state_attr="status",
    guard=services.require_may_set_grade, success=_("Grade set."),
    run=lambda *, actor, target, **values: services.incident_set_grade(actor=actor, incident=target, **values),
)
LEAD = Operation(
    name="incident.lead-department", model=Incident, label=_("Set lead department"),
    input=inputs.LeadDepartmentInput, output=outputs.IncidentStateOutput, lifecycle=lifecycles.INCIDENT,
    state_attr="status", guard=_permission("incidents.assign_lead"),
    success=lambda incident: _("Lead department set: %(department)s.") % {"department": incident.lead_department},
    run=lambda *, actor, target, department: services.incident_assign_lead(actor=actor, incident=target,
                                                                            department=department),
)
PANIC = Operation(
    name="incident.flag-panic", model=Incident,
    label=_("May cause public panic: a press conference is due within 24 hours"),
    output=outputs.IncidentStateOutput, lifecycle=lifecycles.INCIDENT, state_attr="status",
    guard=services.require_may_flag_panic, success=_("A press conference is now due within 24 hours of receipt."),
    run=lambda *, actor, target: services.incident_flag_panic(actor=actor, incident=target),
)
INVESTIGATE = Operation(
    name="incident.investigate", model=Incident, label=_("Submit the report"), input=inputs.InvestigationInput,
    output=outputs.InvestigationOutput, lifecycle=lifecycles.INCIDENT, state_attr="status", created=True,
    guard=_permission("incidents.review"), success=_("Investigation and assessment report submitted."),
    run=lambda *, actor, target, **values: investigation_submit(actor=actor, incident=target, **values),
)
REVIEW_DONE = Operation(
    name="review-duty.done", model=AnnualReviewDuty, label=_("Mark the annual review done"),
    output=outputs.ReviewDutyOutput, guard=require_may_mark_done, success=_("Annual review marked done."),
    run=lambda *, actor, target: mark_done(actor=actor, duty=target),
)
ACKNOWLEDGE_COPY = Operation(
    name="report-copy.acknowledge", model=ReportCopy, label=_("Acknowledge the copy"),
    output=outputs.ReportCopyOutput, guard=copies.require_may_acknowledge, success=_("Copy acknowledged."),
    run=lambda *, actor, target: copies.report_copy_acknowledge(actor=actor, copy=target),
)

register(ACKNOWLEDGE_COPY, LOG, REPORT, CORRECT, SEND, RELEASE, APPROVE_RELEASE, REJECT_RELEASE, SET_GRADE, LEAD, PANIC,
         INVESTIGATE, REVIEW_DONE)

from . import classification, closure_operations  # noqa: E402,F401  (the 密级, closing as no incident: their own modules)
