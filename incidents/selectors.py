"""Reads of incidents, already limited to the user's units."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Case, Exists, OuterRef, Prefetch, Q, QuerySet, When

from emergency.org import selectors as org_selectors
from emergency.org.models import Department, OrgUnit, User
from emergency.org.roles import Role
from emergency.org.scope import unit_scope
from emergency.org.tree import unit_path
from plans.models import AnnualReviewDuty, Plan

from .models import Incident, IncidentReport, PublicRelease, ReportCopy, ReportDispatch, ReportingDeadline

LATE_STATES = (ReportingDeadline.State.LATE, ReportingDeadline.State.MET_LATE)


def incident_list(*, user: User) -> QuerySet[Incident]:
    late = ReportingDeadline.objects.filter(incident=OuterRef("pk"), state__in=LATE_STATES)
    return (Incident.objects.filter(unit_id__in=unit_scope(user).visible)
            .select_related("unit", "incident_type", "incident_type__category", "lead_department")
            .annotate(has_late=Exists(late)))


def incident_filter(queryset: QuerySet[Incident], *, unit: int | None = None, type_code: str | None = None,
                    grade: str | None = None, status: str | None = None, late: bool | None = None,
                    include_subordinates: bool = True) -> QuerySet[Incident]:
    if unit:
        if include_subordinates:
            queryset = queryset.filter(unit__in=OrgUnit.objects.descendants(OrgUnit(pk=unit), include_self=True))
        else:
            queryset = queryset.filter(unit_id=unit)
    if type_code:
        queryset = queryset.filter(incident_type__code=type_code)
    if grade:
        queryset = queryset.filter(grade="" if grade == "none" else grade)
    if status:
        queryset = queryset.filter(status=status)
    if late is not None:
        queryset = queryset.filter(has_late=late)
    return queryset


def report_list(*, user: User) -> QuerySet[IncidentReport]:
    """The reports of the incidents the user sees."""
    return (IncidentReport.objects.filter(incident__unit_id__in=unit_scope(user).visible)
            .select_related("incident", "corrects").prefetch_related("dispatches", "copies"))


def release_list(*, user: User) -> QuerySet[PublicRelease]:
    """The public releases of the incidents the user sees."""
    return (PublicRelease.objects.filter(incident__unit_id__in=unit_scope(user).visible)
            .select_related("incident", "decision", "recorded_by"))


def incident_detail(*, user: User, pk: int) -> Incident | None:
    reports = IncidentReport.objects.select_related("author", "corrects").prefetch_related(
        Prefetch("dispatches", queryset=ReportDispatch.objects.select_related("sent_by")),
        Prefetch("copies", queryset=ReportCopy.objects.select_related("acknowledged_by")))
    return (incident_list(user=user).filter(pk=pk)
            .select_related("created_by", "grade_table", "grade_set_by")
            .prefetch_related(Prefetch("reports", queryset=reports), "deadlines", "secondary_types",
                              Prefetch("public_releases", queryset=PublicRelease.objects.select_related("recorded_by", "decision__decided_by")))
            .first())


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime
    kind: str
    subject: Any


def incident_timeline(incident: Incident) -> list[TimelineEntry]:
    """Reports, where they were sent, releases and deadline outcomes, oldest first (prefetched)."""
    entries = [TimelineEntry(incident.received_at, "received", incident)]
    for report in incident.reports.all():
        entries.append(TimelineEntry(report.submitted_at, "report", report))
        entries.extend(TimelineEntry(d.sent_at, "dispatch", d) for d in report.dispatches.all())
    entries.extend(TimelineEntry(r.published_at or r.drafted_at, "release", r) for r in incident.public_releases.all())
    for deadline in incident.deadlines.all():
        if deadline.missed_at:
            entries.append(TimelineEntry(deadline.missed_at, "late", deadline))
    return sorted(entries, key=lambda e: (e.at, e.kind != "received"))


def late_deadlines(*, user: User, year: int | None = None) -> QuerySet[ReportingDeadline]:
    """Every late deadline in the user's units, for the annual review (迟报清单)."""
    rows = ReportingDeadline.objects.filter(state__in=LATE_STATES,
                                            incident__unit_id__in=unit_scope(user).visible)
    if year:
        rows = rows.filter(due_at__year=year)
    return rows.select_related("incident", "incident__unit", "incident__incident_type", "met_by").order_by("due_at")


def log_units(*, user: User) -> QuerySet[OrgUnit]:
    """The units the user may log incidents for (on duty there), in tree order."""
    units = unit_scope(user).units_with(Role.DUTY_OFFICER, Role.LEAD_OFFICER, Role.COMMANDER, Role.PRINCIPAL)
    return OrgUnit.objects.with_tree_fields().filter(pk__in=units)


def lead_department_choices(*, incident: Incident, user: User) -> QuerySet[Department]:
    """Departments the user sees that serve the incident's unit: its own unit's first, then up the tree."""
    path = [pk for pk, _code in unit_path(incident.unit_id)]
    nearest_first = Case(*[When(unit_id=pk, then=-depth) for depth, pk in enumerate(path)])
    return (org_selectors.department_list(user=user).filter(unit_id__in=path)
            .order_by(nearest_first, "name"))


def plans_to_revise(*, incident: Incident, user: User) -> QuerySet[Plan]:
    """Plans a lesson of this incident may revise: plans of the incident's unit and its superiors
    that cover its type, and their general plans."""
    units = [pk for pk, _code in unit_path(incident.unit_id)]
    return (Plan.objects.filter(unit_id__in=set(units) & set(unit_scope(user).visible))
            .filter(Q(incident_types=incident.incident_type_id) | Q(plan_type="general")).distinct()
            .select_related("unit"))


def report_copy_list(*, user: User) -> QuerySet[ReportCopy]:
    """The copies (抄送) of the reports of the incidents the user sees, and those addressed to the
    user's units (a linked organisation's duty room acknowledges what it was sent, not the incident)."""
    visible = unit_scope(user).visible
    return (ReportCopy.objects.filter(Q(report__incident__unit_id__in=visible) | Q(unit_id__in=visible))
            .select_related("report__incident", "acknowledged_by"))


def copies_received(*, user: User) -> QuerySet[ReportCopy]:
    """The copies addressed to the user's units, newest first, with who sent them."""
    return (ReportCopy.objects.filter(unit_id__in=unit_scope(user).visible)
            .select_related("report__incident__unit", "unit", "department", "acknowledged_by")
            .order_by("-sent_at", "-id"))


def review_duty_list(*, user: User) -> QuerySet[AnnualReviewDuty]:
    """The annual reviews owed by the user's units (city plan 3.4.2 2))."""
    return (AnnualReviewDuty.objects.filter(unit_id__in=unit_scope(user).visible)
            .select_related("unit", "done_by").order_by("-year", "unit_id"))
