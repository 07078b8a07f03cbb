"""Pages of the plan hierarchy: the tree with filters, a plan with its versions, route progress,
editions and their diffs, drills, evaluations and revision requests. Every write on them posts to an
operation's route (`plans/operations.py`); the public's revision suggestion form needs no account."""
from __future__ import annotations

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render

from emergency.operations.pages import page
from emergency.org.models import OrgUnit
from emergency.org.roles import Role
from emergency.org.scope import unit_scope
from emergency.ui.actions import int_or_none

from . import duties, selectors, services
from .forms import sections_text
from .models import Plan, PlanType, RouteStep


def plan_for(user, pk: int) -> Plan:
    return get_object_or_404(selectors.plan_detail(user=user), pk=pk)


def opinion_for(user, pk: int):
    return get_object_or_404(selectors.opinions_visible(user=user), pk=pk)


def request_for(user, pk: int):
    return get_object_or_404(selectors.revision_requests_visible(user=user), pk=pk)


@page
def plan_tree(request):
    params = request.GET
    plans = selectors.plan_filter(selectors.plan_tree(user=request.user), unit=int_or_none(params.get("unit")),
                                  plan_type=params.get("type"), state=params.get("state"),
                                  overdue=params.get("overdue") == "1")
    return render(request, "plans/tree.html", {
        "page": Paginator(plans, 300).get_page(params.get("page")), "filters": params, "types": PlanType.choices,
        "states": Plan.State.choices,
        "units": OrgUnit.objects.with_tree_fields().filter(pk__in=unit_scope(request.user).visible),
    })


@page
def plan_new(request):
    return render(request, "plans/new.html", {})


@page
def plan_detail(request, pk: int):
    plan = plan_for(request.user, pk)
    versions = list(plan.versions.select_related("route").prefetch_related(
        "steps_taken__step", "steps_taken__done_by", "route__steps"))
    working = services.version_working(plan)
    draft = working if working is not None and working.state == "draft" else None
    upcoming = selectors.route_next_step(working) if working is not None and working.route_id else None
    edition_list = list(selectors.editions(plan=plan))
    compared = selectors.editions_compared(plan=plan)
    current = draft.sections if draft else (plan.published_edition.sections if plan.published_edition else [])
    return render(request, "plans/detail.html", {
        "plan": plan, "versions": versions, "working": working, "draft": draft, "upcoming": upcoming,
        "editions": edition_list, "compared": compared, "children": plan.children.select_related("unit"),
        "cadence": selectors.plan_cadence(plan=plan),
        "filing_term": duties.filing_term(plan), "filing_due": duties.filing_due(plan),
        "drills": plan.drills.prefetch_related("departments"), "evaluations": plan.evaluations.all(),
        "requests": plan.revision_requests.select_related("filed_by"),
        "current_text": sections_text(current),
        "opinions": working.opinions.select_related("department", "expert") if working else [],
        "upcoming_roles": " / ".join(str(Role(r).label) for r in upcoming.roles) if upcoming else "",
        "consulting": upcoming is not None and upcoming.kind == RouteStep.Kind.CONSULTATION,
        "tasks": plan.tasks.select_related("department", "responsible_unit"),
    })


@page
def edition_view(request, pk: int, number: int):
    plan = plan_for(request.user, pk)
    edition = get_object_or_404(selectors.editions(plan=plan), number=number)
    return render(request, "plans/edition.html", {"plan": plan, "edition": edition})


@page
def edition_diff(request, pk: int):
    plan = plan_for(request.user, pk)
    compared = selectors.editions_compared(plan=plan, before=int_or_none(request.GET.get("from")),
                                           after=int_or_none(request.GET.get("to")))
    return render(request, "plans/diff.html", {"plan": plan, "compared": compared,
                                               "editions": list(selectors.editions(plan=plan))})


@page
def suggest(request):
    """A user of the organisation suggests revising any of its plans, including those of superior units."""
    return render(request, "plans/suggest.html", {})
