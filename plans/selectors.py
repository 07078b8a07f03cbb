"""Reads of the plan hierarchy, limited to the user's units, with a fixed number of queries."""
from __future__ import annotations

import difflib
from dataclasses import dataclass

from django.db.models import (BooleanField, Count, ExpressionWrapper, IntegerField, OuterRef, Q, QuerySet,
                              Subquery)
from django.db.models.functions import Coalesce
from django.utils import timezone

from emergency.org.models import OrgUnit, User
from emergency.org.roles import Role
from emergency.org.scope import scoped, unit_scope
from emergency.org.selectors import organisation_ids
from emergency.org.tree import top_id

from .models import ConsultationOpinion, DrillCadence, Plan, PlanEdition, RevisionRequest, RouteStep


def route_steps(*, user: User) -> QuerySet[RouteStep]:
    """The approval-route steps of the user's organisations."""
    return scoped(RouteStep.objects.all(), user)


def route_next_step(version) -> RouteStep | None:
    """The next step of the version's route not yet taken (None: the route is done)."""
    taken = {record.step_id for record in version.steps_taken.all()}
    return next((step for step in version.route.steps.all() if step.pk not in taken), None)


def plan_tree(*, user: User) -> QuerySet[Plan]:
    """Visible plans in tree order, with their depth, open revision requests and overdue flags."""
    today = timezone.localdate()
    open_requests = (RevisionRequest.objects.filter(plan=OuterRef("pk"), state="open").order_by()
                     .values("plan").annotate(n=Count("*")).values("n"))
    return (Plan.objects.with_tree_fields().filter(unit_id__in=unit_scope(user).visible)
            .select_related("unit", "lead_department", "published_edition")
            .annotate(open_requests=Coalesce(Subquery(open_requests, output_field=IntegerField()), 0),
                      drill_overdue=ExpressionWrapper(Q(next_drill_due__lt=today), output_field=BooleanField()),
                      evaluation_overdue=ExpressionWrapper(Q(next_evaluation_due__lt=today),
                                                           output_field=BooleanField())))


def plans_visible(*, user: User) -> QuerySet[Plan]:
    """Visible plans without tree fields: for resolving an id cheaply."""
    return Plan.objects.filter(unit_id__in=unit_scope(user).visible)


def plan_admin_units(*, user: User) -> QuerySet[OrgUnit]:
    """The units in which the user may add plans (their plan or system administrators' units), in tree order."""
    return OrgUnit.objects.with_tree_fields().filter(
        pk__in=unit_scope(user).units_with(Role.PLAN_ADMIN, Role.SYSTEM_ADMIN))


def plan_detail(*, user: User) -> QuerySet[Plan]:
    """Visible plans with what their page shows of them."""
    return plans_visible(user=user).select_related("unit", "lead_department", "parent", "published_edition")


def plans_open_to_suggestion(*, user: User) -> QuerySet[Plan]:
    """The plans a user may suggest revising: every live plan of the user's organisations (5.4 4))."""
    return scoped(Plan.objects.exclude(state=Plan.State.RETIRED), user).select_related("unit").order_by(
        "unit_id", "plan_type", "id")


def opinions_visible(*, user: User) -> QuerySet[ConsultationOpinion]:
    return ConsultationOpinion.objects.filter(version__plan__unit_id__in=unit_scope(user).visible).select_related(
        "version__plan", "department", "expert")


def revision_requests_visible(*, user: User) -> QuerySet[RevisionRequest]:
    return RevisionRequest.objects.filter(plan__unit_id__in=unit_scope(user).visible).select_related("plan")


def editions(*, plan: Plan) -> QuerySet[PlanEdition]:
    return plan.editions.order_by("number")


@dataclass
class EditionDiff:
    old: PlanEdition
    new: PlanEdition
    rows: list[dict]


def editions_compared(*, plan: Plan, before: int | None = None, after: int | None = None) -> EditionDiff | None:
    """Two editions of the plan and what changed between them (default: the last two); None when the
    plan has fewer than two or a number names none."""
    all_editions = {e.number: e for e in editions(plan=plan)}
    numbers = sorted(all_editions)
    if len(numbers) < 2:
        return None
    after = after if after is not None else numbers[-1]
    before = before if before is not None else max((n for n in numbers if n < after), default=None)
    if before not in all_editions or after not in all_editions or before == after:
        return None
    old, new = all_editions[before], all_editions[after]
    return EditionDiff(old=old, new=new, rows=edition_diff(old, new))


def route_steps_visible(*, user: User) -> QuerySet[RouteStep]:
    """The approval route steps of the caller's organisations."""
    return RouteStep.objects.filter(route__organisation_id__in=organisation_ids(user=user))


def plan_filter(plans: QuerySet[Plan], *, unit: int | None = None, plan_type: str | None = None,
                state: str | None = None, overdue: bool = False) -> QuerySet[Plan]:
    if unit:
        plans = plans.filter(unit_id=unit)
    if plan_type:
        plans = plans.filter(plan_type=plan_type)
    if state:
        plans = plans.filter(state=state)
    if overdue:
        today = timezone.localdate()
        plans = plans.filter(Q(next_drill_due__lt=today) | Q(next_evaluation_due__lt=today))
    return plans


def edition_diff(old: PlanEdition, new: PlanEdition) -> list[dict]:
    """What changed between two editions, section by section (matched by title)."""
    before = {s["title"]: s["body"] for s in old.sections}
    after = {s["title"]: s["body"] for s in new.sections}
    rows = []
    for title in list(after) + [t for t in before if t not in after]:
        if title not in before:
            rows.append({"title": title, "change": "added", "lines": after[title].splitlines()})
        elif title not in after:
            rows.append({"title": title, "change": "removed", "lines": before[title].splitlines()})
        elif before[title] != after[title]:
            lines = list(difflib.unified_diff(before[title].splitlines(), after[title].splitlines(), lineterm="", n=1))
            rows.append({"title": title, "change": "changed", "lines": lines[2:]})
    return rows


def plan_cadence(*, plan: Plan) -> DrillCadence | None:
    """The organisation's cadence for the plan's type, if it binds plans of the plan's unit."""
    cadence = DrillCadence.objects.filter(organisation_id=top_id(plan.unit_id), plan_type=plan.plan_type).first()
    return cadence if cadence and cadence.applies_to(plan.unit.kind) else None
