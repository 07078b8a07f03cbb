"""The duty log's timeline (issue 16 item 5): everything that happened to an incident, or to one of
its responses, read from the audit trail (reports, decisions, orders, releases, clocks met or
missed, command changes, warnings escalated into it), merged in time order with the duty log's
free-text entries. A constant number of queries however long the log is: the audit entries are
found by their objects through subqueries, in one statement."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Callable, Iterable

from django.db.models import CharField, Q, QuerySet
from django.db.models.functions import Cast
from django.utils.translation import gettext_lazy as _

from emergency.audit.labels import action_label, object_label
from emergency.audit.models import AuditEntry
from incidents.models import (Incident, IncidentClosure, IncidentReport, Investigation, PublicRelease, ReportDispatch,
                              ReportingDeadline)

from .dutylog_models import DutyLogEntry
from .help_models import HelpRequest
from .models import CommandPost, Decision, Order, Proposal, Response, Transfer, WorkingGroup

ENTRY = "entry"
# Kinds of item, and the audit actions each gathers (by prefix: the first that matches).
KINDS = {
    "report": _("Reports"), "decision": _("Decisions and levels"), "order": _("Orders"),
    "release": _("Public releases"), "deadline": _("Clocks met or missed"), "command": _("Command"),
    "warning": _("Warnings"), ENTRY: _("Duty log entries"), "other": _("Other"),
}
PREFIXES = [
    ("incident.log_entry", ENTRY), ("incident.log", "report"), ("incident.report", "report"),
    ("incident.investigation", "report"), ("incident.release", "release"), ("incident.deadline", "deadline"),
    ("response.order", "order"), ("response.transfer", "command"), ("response.help", "command"), ("response.post", "command"),
    ("response.group", "command"), ("response.", "decision"), ("incident.", "decision"), ("warning.", "warning"),
]

# A source names the records an incident's (or a response's) timeline reads the audit trail of:
# source(incident_id, response_id) -> [queryset of those records, ...]. Higher apps add theirs.
Source = Callable[[int, "int | None"], Iterable[QuerySet]]
SOURCES: list[Source] = []


def timeline_source(source: Source) -> Source:
    SOURCES.append(source)
    return source


@timeline_source
def _incident_records(incident_id: int, response_id: int | None):
    return [Incident.objects.filter(pk=incident_id), IncidentReport.objects.filter(incident_id=incident_id),
            ReportDispatch.objects.filter(report__incident_id=incident_id),
            PublicRelease.objects.filter(incident_id=incident_id),
            ReportingDeadline.objects.filter(incident_id=incident_id),
            Investigation.objects.filter(incident_id=incident_id),
            IncidentClosure.objects.filter(incident_id=incident_id)]


@timeline_source
def _response_records(incident_id: int, response_id: int | None):
    responses = Response.objects.filter(incident_id=incident_id)
    proposals = Proposal.objects.filter(incident_id=incident_id)
    if response_id is not None:
        responses, proposals = responses.filter(pk=response_id), proposals.filter(response_id=response_id)
    return [responses, proposals, Decision.objects.filter(proposal__in=proposals.values("pk")),
            Transfer.objects.filter(response__in=responses.values("pk")),
            HelpRequest.objects.filter(response__in=responses.values("pk")),
            CommandPost.objects.filter(response__in=responses.values("pk")),
            WorkingGroup.objects.filter(post__response__in=responses.values("pk")),
            Order.objects.filter(response__in=responses.values("pk"))]


def kind_of(action: str) -> str:
    return next((kind for prefix, kind in PREFIXES if action.startswith(prefix)), "other")


def _actions_q(kinds: set[str]) -> Q:
    """The audit actions of these kinds (`other`: those no prefix names)."""
    q = Q()
    for kind in kinds:
        if kind == "other":
            rest = Q()
            for prefix, _kind in PREFIXES:
                rest |= Q(action__startswith=prefix)
            q |= ~rest
            continue
        for prefix, of_kind in PREFIXES:
            if of_kind == kind:
                # a prefix claimed first by another kind (incident.log_entry before incident.log) is left out
                earlier = [p for p, k in PREFIXES[:PREFIXES.index((prefix, of_kind))] if p.startswith(prefix)]
                part = Q(action__startswith=prefix)
                for p in earlier:
                    part &= ~Q(action__startswith=p)
                q |= part
    return q


@dataclass(frozen=True)
class Filters:
    kinds: frozenset[str] = frozenset()   # empty: every kind
    since: datetime | None = None
    until: datetime | None = None


@dataclass
class Item:
    at: datetime
    kind: str
    label: str
    text: str
    actor: str
    unit: str
    entry_id: int | None = None       # a free-text entry
    corrects: int | None = None       # the entry this one corrects
    corrected_by: int | None = None   # the newest entry correcting this one
    recorded_at: datetime | None = None

    @property
    def kind_label(self) -> str:
        return str(KINDS.get(self.kind, self.kind))


def _audit_entries(incident: Incident, response: Response | None, filters: Filters) -> QuerySet[AuditEntry]:
    objects = Q()
    for source in SOURCES:
        for records in source(incident.pk, response.pk if response else None):
            ids = records.annotate(key=Cast("pk", CharField())).values("key")
            objects |= Q(object_type=records.model._meta.label_lower, object_id__in=ids)
    rows = AuditEntry.objects.filter(objects).exclude(action__startswith="incident.log_entry")
    if filters.kinds:
        rows = rows.filter(_actions_q(set(filters.kinds) - {ENTRY})) if filters.kinds - {ENTRY} else rows.none()
    if filters.since:
        rows = rows.filter(at__gte=filters.since)
    if filters.until:
        rows = rows.filter(at__lte=filters.until)
    return rows.select_related("actor", "unit").order_by("at", "id")


def _log_entries(incident: Incident, response: Response | None, filters: Filters) -> QuerySet[DutyLogEntry]:
    rows = DutyLogEntry.objects.filter(incident=incident)
    if response is not None:
        rows = rows.filter(response=response)
    if filters.kinds and ENTRY not in filters.kinds:
        return rows.none()
    if filters.since:
        rows = rows.filter(happened_at__gte=filters.since)
    if filters.until:
        rows = rows.filter(happened_at__lte=filters.until)
    return rows.select_related("author", "unit").order_by("happened_at", "id")


def _name(user) -> str:
    return (user.get_full_name() or user.get_username()) if user else str(_("the platform"))


def timeline(*, incident: Incident, response: Response | None = None, filters: Filters = Filters()) -> list[Item]:
    """The incident's (or the response's) timeline, oldest first. The caller has looked the incident
    or response up through its scoped selector."""
    items = [Item(at=e.at, kind=kind_of(e.action), label=action_label(e.action, e.object_type),
                  text=object_label(e), actor=_name(e.actor), unit=e.unit.name if e.unit else "")
             for e in _audit_entries(incident, response, filters)]
    entries = _log_entries(incident, response, filters)
    corrected = dict(DutyLogEntry.objects.filter(corrects__incident=incident).order_by("id")
                     .values_list("corrects_id", "id"))
    for entry in entries:
        label = (_("Correction of entry #%(n)s") % {"n": entry.corrects_id} if entry.corrects_id
                 else _("Duty log entry #%(n)s") % {"n": entry.pk})
        items.append(Item(at=entry.happened_at, kind=ENTRY, label=str(label), text=entry.text,
                          actor=_name(entry.author), unit=entry.unit.name, entry_id=entry.pk,
                          corrects=entry.corrects_id, corrected_by=corrected.get(entry.pk),
                          recorded_at=entry.recorded_at))
    items.sort(key=lambda item: item.at)
    return items


def parse_filters(params) -> tuple[Filters, dict]:
    """Filters from a query string (`kind` repeated, `since`, `until` as local date-times); the errors
    by field, in the user's language."""
    from django.utils import timezone
    from django.utils.dateparse import parse_datetime

    errors, moments = {}, {}
    kinds = frozenset(k for k in params.getlist("kind") if k)
    if kinds - set(KINDS):
        errors["kind"] = [str(_("Unknown kind of entry."))]
    for name in ("since", "until"):
        value = (params.get(name) or "").strip()
        moment = parse_datetime(value) if value else None
        if value and moment is None:
            errors[name] = [str(_("Enter a valid date and time."))]
        elif moment is not None and timezone.is_naive(moment):
            moment = timezone.make_aware(moment)
        moments[name] = moment
    return Filters(kinds=kinds & set(KINDS), since=moments["since"], until=moments["until"]), errors
