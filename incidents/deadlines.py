"""Reporting deadlines: how soon each report is due and from what moment is each organisation's
rule (`ReportingRule`). The city plan: to the superior within 1 hour of receipt (3.3.1 4)), the
authoritative release within 5 hours and a press conference within 24 hours of the occurrence
(3.3.5 1)); the customs plan asks for reports "第一时间" and gives no figure, so its figures are the
organisation's own settings. An organisation without rules gets `INCIDENT_DEADLINE_SECONDS`.

Each deadline is a row; its reminders and its due check are timed duties, so they survive a
worker restart and fire once. Meeting a deadline cancels its duties, and the handlers check the
row's state under lock, so a met deadline never fires.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from emergency import live
from emergency.audit.services import audit_record
from emergency.timers.models import TimedDuty
from emergency.timers.registry import handler
from emergency.timers.services import DutySpec, duties_cancel, duties_schedule

from emergency.org.tree import unit_path

from . import recipients
from .models import CountedFrom, Incident, ReportingDeadline, ReportingRule

REMIND = "incidents.deadline.remind"
DUE = "incidents.deadline.due"


@dataclass(frozen=True)
class Term:
    """One kind of report's term in an organisation: how long, from what moment, on what basis."""

    period: timedelta
    counted_from: str
    basis: str

    def due_at(self, incident: Incident) -> datetime:
        start = incident.occurred_at if self.counted_from == CountedFrom.OCCURRED else incident.received_at
        return start + self.period


def reporting_terms(*, unit_id: int) -> dict[str, Term]:
    """The terms that apply to an incident of `unit_id`: its organisation's rules, else the defaults;
    a figure forced in the environment (benchmarks, drills) replaces the period."""
    organisation_id = unit_path(unit_id)[0][0]
    rules = {rule.kind: rule for rule in ReportingRule.objects.filter(organisation_id=organisation_id)}
    forced = settings.INCIDENT_DEADLINE_FORCED_SECONDS
    terms = {}
    for kind in ReportingDeadline.Kind.values:
        rule = rules.get(kind)
        term = (Term(timedelta(minutes=rule.within_minutes), rule.counted_from, rule.basis) if rule else
                Term(timedelta(seconds=settings.INCIDENT_DEADLINE_SECONDS[kind]), CountedFrom.RECEIVED, ""))
        if kind in forced:
            term = Term(timedelta(seconds=forced[kind]), term.counted_from, term.basis)
        terms[kind] = term
    return terms


def deadlines_open(*, incident: Incident, fresh: bool = False) -> list[ReportingDeadline]:
    """Create the incident's deadlines that apply and do not exist yet (`fresh`: none exist),
    with their reminders and due checks, in two INSERTs."""
    existing = set() if fresh else set(incident.deadlines.values_list("kind", flat=True))
    kinds = [ReportingDeadline.Kind.SUPERIOR_REPORT, ReportingDeadline.Kind.PUBLIC_RELEASE]
    if incident.may_cause_panic:
        kinds.append(ReportingDeadline.Kind.PRESS_CONFERENCE)
    terms = reporting_terms(unit_id=incident.unit_id)
    created = ReportingDeadline.objects.bulk_create([
        ReportingDeadline(incident=incident, kind=kind, due_at=terms[kind].due_at(incident),
                          counted_from=terms[kind].counted_from, basis=terms[kind].basis)
        for kind in kinds if kind not in existing
    ])
    duties_schedule([spec for deadline in created for spec in _duties(deadline, incident.unit_id)])
    return created


def _duties(deadline: ReportingDeadline, unit_id: int) -> list[DutySpec]:
    now = timezone.now()
    specs = [DutySpec(REMIND, deadline, deadline.due_at - timedelta(seconds=mark), unit_id, {"mark": mark})
             for mark in sorted(settings.INCIDENT_REMINDER_MARKS_SECONDS, reverse=True)
             if deadline.due_at - timedelta(seconds=mark) > now]
    return specs + [DutySpec(DUE, deadline, deadline.due_at, unit_id)]


def deadline_meet(*, incident: Incident, kind: str, actor, at: datetime) -> ReportingDeadline | None:
    """The matching action happened at `at`: the deadline is met (or met late); its timers stop."""
    deadline = ReportingDeadline.objects.select_for_update().filter(incident=incident, kind=kind).first()
    if deadline is None or deadline.state in (ReportingDeadline.State.MET, ReportingDeadline.State.MET_LATE):
        return deadline
    late = deadline.state == ReportingDeadline.State.LATE or at > deadline.due_at
    deadline.state = ReportingDeadline.State.MET_LATE if late else ReportingDeadline.State.MET
    deadline.met_at, deadline.met_by = at, actor
    deadline.save(update_fields=["state", "met_at", "met_by"])
    duties_cancel(subject=deadline)
    audit_record(actor=actor, unit_id=incident.unit_id, action="incident.deadline.met", target=deadline,
                 after={"kind": kind, "state": deadline.state, "met_at": at.isoformat()})
    live.publish(event="incident.deadline", unit_id=incident.unit_id, about=("incident", incident.pk),
                 data={"incident": incident.pk, "kind": kind, "state": deadline.state})
    return deadline


def _open_deadline(duty: TimedDuty) -> ReportingDeadline | None:
    deadline = (ReportingDeadline.objects.select_for_update(of=("self",)).select_related("incident")
                .filter(pk=duty.subject_id).first())
    if deadline is None or deadline.state != ReportingDeadline.State.OPEN:
        return None
    return deadline


@handler(REMIND)
def remind(duty: TimedDuty) -> None:
    deadline = _open_deadline(duty)
    if deadline is None:
        return
    incident = deadline.incident
    minutes = max(1, round(duty.payload.get("mark", 0) / 60))
    users = {incident.created_by_id} | recipients.holders(unit_id=incident.unit_id, roles=recipients.LEADERS)
    recipients.notify(
        user_ids=users, unit_id=incident.unit_id, incident=incident, kind=REMIND, source=f"timers.timedduty:{duty.pk}",
        title=_("%(deadline)s due in %(minutes)s minutes: %(title)s") % {
            "deadline": deadline.get_kind_display(), "minutes": minutes, "title": incident.title},
    )
    live.publish(event="incident.deadline.reminder", unit_id=incident.unit_id, about=("incident", incident.pk),
                 data={"incident": incident.pk, "kind": deadline.kind, "minutes": minutes})


@handler(DUE)
def mark_late(duty: TimedDuty) -> None:
    """Missed: the deadline is late (迟报) and the superior unit's duty officers are told."""
    deadline = _open_deadline(duty)
    if deadline is None:
        return
    incident = deadline.incident
    deadline.state, deadline.missed_at = ReportingDeadline.State.LATE, timezone.now()
    deadline.save(update_fields=["state", "missed_at"])
    audit_record(actor=None, unit_id=incident.unit_id, action="incident.deadline.late", target=deadline,
                 after={"kind": deadline.kind, "due_at": deadline.due_at.isoformat()})
    title = _("Late: %(deadline)s for %(title)s") % {"deadline": deadline.get_kind_display(), "title": incident.title}
    source = f"timers.timedduty:{duty.pk}"
    superior_id = incident.unit.parent_id
    if superior_id is not None:
        recipients.notify_duty_officers(unit_id=superior_id, incident=incident, source=source, title=title)
    users = {incident.created_by_id} | recipients.holders(unit_id=incident.unit_id, roles=recipients.LEADERS)
    recipients.notify(user_ids=users, unit_id=incident.unit_id, incident=incident, kind=DUE, source=source,
                      title=title)
    live.publish(event="incident.deadline.late", unit_id=incident.unit_id,  # reaches the superiors' screens too
                 about=("incident", incident.pk),
                 data={"incident": incident.pk, "kind": deadline.kind})
