"""Reads for after the response and for the year: requisitions awaiting compensation, who is due for
training, and the accountability findings of a unit's year drawn from what the platform knows
(late or missed reports, plans not evaluated and revised on time, drills not held), each with the
commendations and sanctions entered against it."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Max, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from emergency.org.models import OrgUnit, RoleAssignment, User
from emergency.org.scope import unit_scope
from incidents.models import ReportingDeadline
from plans.models import Plan

from .models import Compensation, Requisition, Sanction, Team, TrainingSession

TRAINING_INTERVAL_DAYS = 365  # leaders and rescue staff trained at least once a year (customs 5.5, city 5.5)
LEADER_ROLES = ("commander", "principal", "party_committee", "leader_in_charge", "department_principal")


def requisition_list(*, user: User) -> QuerySet[Requisition]:
    return (Requisition.objects.filter(incident__unit_id__in=list(unit_scope(user).visible))
            .select_related("incident", "recorded_by")
            .prefetch_related(Prefetch("compensations", queryset=Compensation.objects.select_related("decided_by"))))


def training_list(*, user: User) -> QuerySet[TrainingSession]:
    return (TrainingSession.objects.filter(unit_id__in=list(unit_scope(user).visible)).select_related("unit")
            .prefetch_related("participants", "teams"))


@dataclass(frozen=True)
class Due:
    kind: str  # "leader" or "team"
    name: str
    unit: str
    last: date | None


def training_due(*, user: User, today: date | None = None) -> list[Due]:
    """Leaders of the user's units and rescue teams not trained in the last year."""
    today = today or timezone.localdate()
    since = today - timedelta(days=TRAINING_INTERVAL_DAYS)
    visible = list(unit_scope(user).visible)
    trained = TrainingSession.Kind.TRAINING
    leaders = (User.objects.filter(role_assignments__unit_id__in=visible, role_assignments__role__in=LEADER_ROLES)
               .annotate(last=Max("training_sessions__held_on", filter=Q(training_sessions__kind=trained)))
               .distinct().order_by("full_name", "username"))
    units = dict(RoleAssignment.objects.filter(unit_id__in=visible, role__in=LEADER_ROLES)
                 .values_list("user_id", "unit__name"))
    due = [Due("leader", person.full_name or person.username, units.get(person.pk, ""), person.last)
           for person in leaders if person.last is None or person.last < since]
    teams = (Team.objects.filter(unit_id__in=visible).select_related("unit")
             .annotate(last=Max("training_sessions__held_on", filter=Q(training_sessions__kind=trained))))
    due += [Due("team", team.name, team.unit.name, team.last) for team in teams
            if team.last is None or team.last < since]
    return due


@dataclass
class Finding:
    key: str        # what a decision names: "deadline:17", "drill:4", "evaluation:4"
    kind: str
    what: str
    due: date
    decisions: list[Sanction] = field(default_factory=list)


def accountability(*, user: User, unit: OrgUnit, year: int) -> tuple[list[Finding], list[Sanction]]:
    """The unit's findings for `year`, and its commendations and sanctions (those answering a
    finding are also listed under it)."""
    if not unit_scope(user).can_see(unit.pk):
        return [], []
    year_end = min(date(year, 12, 31), timezone.localdate())
    findings: list[Finding] = []
    late = (ReportingDeadline.objects.filter(incident__unit=unit, due_at__year=year,
                                             state__in=(ReportingDeadline.State.LATE, ReportingDeadline.State.MET_LATE))
            .select_related("incident").order_by("due_at"))
    for deadline in late:
        findings.append(Finding(f"deadline:{deadline.pk}", _("Late or missed report"),
                                f"{deadline.incident.number} {deadline.incident.title} · {deadline.get_kind_display()}"
                                f" · {deadline.get_state_display()}", timezone.localdate(deadline.due_at)))
    plans = Plan.objects.filter(unit=unit, state=Plan.State.PUBLISHED)
    for plan in plans.filter(next_drill_due__year__lte=year, next_drill_due__lt=year_end).order_by("next_drill_due"):
        findings.append(Finding(f"drill:{plan.pk}", _("Drill not held on time"), plan.title, plan.next_drill_due))
    for plan in plans.filter(next_evaluation_due__year__lte=year, next_evaluation_due__lt=year_end).order_by(
            "next_evaluation_due"):
        findings.append(Finding(f"evaluation:{plan.pk}", _("Plan not evaluated and revised on time"), plan.title,
                                plan.next_evaluation_due))
    decisions = list(Sanction.objects.filter(unit=unit, year=year).select_related("recorded_by"))
    by_key = {f.key: f for f in findings}
    for decision in decisions:
        if decision.finding in by_key:
            by_key[decision.finding].decisions.append(decision)
    return findings, decisions
