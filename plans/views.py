"""Pages of the plan hierarchy: the tree with filters, a plan with its versions, route progress,
drills, evaluations and revision requests, and the forms of each step."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from emergency.errors import DomainError
from emergency.ui.actions import FormInvalid, form_errors, int_or_none, perform, valid
from emergency.org.models import Department, OrgUnit
from emergency.org.roles import Role
from emergency.org.scope import unit_scope

from . import selectors, services
from .forms import (DrillForm, EvaluationForm, PlanForm, RevisionRequestForm, VersionForm, parse_sections,
                    sections_text)
from .models import Plan, PlanEdition, PlanType, PlanVersion, RevisionRequest, RouteStep


@login_required
def plan_tree(request):
    params = request.GET
    plans = selectors.plan_filter(selectors.plan_tree(user=request.user), unit=int_or_none(params.get("unit")),
                                  plan_type=params.get("type"), state=params.get("state"),
                                  overdue=params.get("overdue") == "1")
    from django.core.paginator import Paginator

    return render(request, "plans/tree.html", {
        "page": Paginator(plans, 300).get_page(params.get("page")), "filters": params, "types": PlanType.choices, "states": Plan.State.choices,
        "units": OrgUnit.objects.filter(pk__in=unit_scope(request.user).visible),
        "can_add": bool(unit_scope(request.user).units_with(Role.PLAN_ADMIN, Role.SYSTEM_ADMIN)),
    })


def _admin_units(user):
    return OrgUnit.objects.filter(pk__in=unit_scope(user).units_with(Role.PLAN_ADMIN, Role.SYSTEM_ADMIN))


@login_required
def plan_new(request):
    units = _admin_units(request.user)
    if not units.exists():
        raise PermissionDenied
    visible = unit_scope(request.user).visible
    form = PlanForm(request.POST or None, units=units, plans=Plan.objects.filter(unit_id__in=visible),
                    departments=Department.objects.filter(unit_id__in=visible).select_related("unit"), user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            plan = services.plan_create(actor=request.user, unit=data["unit"], plan_type=data["plan_type"],
                                        title=data["title"], parent=data["parent"],
                                        lead_department=data["lead_department"],
                                        sections=parse_sections(data["sections"]))
        except DomainError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("Plan created; its first version is a draft."))
            return redirect("plan-detail", pk=plan.pk)
    return render(request, "plans/new.html", {"form": form})


def _plan(request, pk: int) -> Plan:
    plan = (Plan.objects.filter(pk=pk, unit_id__in=unit_scope(request.user).visible)
            .select_related("unit", "lead_department", "parent", "published_edition").first())
    if plan is None:
        raise Http404
    return plan


@login_required
def plan_detail(request, pk: int):
    plan = _plan(request, pk)
    versions = list(plan.versions.select_related("route").prefetch_related("steps_taken__step", "steps_taken__done_by",
                                                                           "route__steps"))
    working = next((v for v in versions if v.state in ("draft", "in_route")), None)
    routed = next((v for v in reversed(versions) if v.route_id and v.state in ("in_route", "published")), None)
    upcoming = services.next_step(routed) if routed else None
    editions = list(plan.editions.order_by("number"))
    diff = selectors.edition_diff(editions[-2], editions[-1]) if len(editions) >= 2 else None
    return render(request, "plans/detail.html", {
        "plan": plan, "versions": versions, "working": working, "upcoming": upcoming, "editions": editions,
        "diff": diff, "diff_from": editions[-2].number if diff is not None else None,
        "diff_to": editions[-1].number if diff is not None else None, "children": plan.children.select_related("unit"),
        "cadence": selectors.plan_cadence(plan=plan),
        "drills": plan.drills.prefetch_related("departments"), "evaluations": plan.evaluations.all(),
        "requests": plan.revision_requests.select_related("filed_by"),
        "can_edit": request.user.has_perm("plans.change_plan", plan),
        "version_form": VersionForm(initial={"sections": sections_text(working.sections)} if working else None),
        "drill_form": DrillForm(), "evaluation_form": EvaluationForm(), "request_form": RevisionRequestForm(),
        "opinions": routed.opinions.select_related("department", "expert") if routed else [],
        "consulting": upcoming is not None and upcoming.kind == RouteStep.Kind.CONSULTATION,
        "departments": Department.objects.filter(unit_id__in=unit_scope(request.user).visible).select_related("unit"),
        "experts": _experts(request.user), "tasks": plan.tasks.select_related("department", "responsible_unit"),
        "units": OrgUnit.objects.filter(pk__in=unit_scope(request.user).visible),
    })


def _experts(user):
    from emergency.org.models import Expert

    return Expert.objects.filter(pool__unit_id__in=unit_scope(user).visible).select_related("pool")


def _act(request, pk, action, success):
    perform(request, lambda: action(_plan(request, pk)), success)
    return redirect("plan-detail", pk=pk)


def _ids(values: list[str]) -> list[int]:
    """The numbers among posted ids (a tampered form may post anything)."""
    return [n for n in map(int_or_none, values) if n is not None]


def _working(plan) -> PlanVersion:
    version = plan.versions.filter(state__in=["draft", "in_route"]).first()
    if version is None:  # a published version may still owe its filing step
        version = plan.versions.filter(state="published").order_by("-number").first()
    if version is None:
        raise FormInvalid(_("No version is being drafted."))
    return version


@login_required
@require_POST
def version_save(request, pk: int):
    def save(plan):
        data = valid(VersionForm(request.POST))
        version = plan.versions.filter(state="draft").first()
        if version is None:
            services.version_start(actor=request.user, plan=plan, sections=parse_sections(data["sections"]),
                                   change_summary=data["change_summary"],
                                   touches_key_content=data["touches_key_content"])
        else:
            services.version_edit(actor=request.user, version=version, sections=parse_sections(data["sections"]),
                                  change_summary=data["change_summary"] or None,
                                  touches_key_content=data["touches_key_content"])

    return _act(request, pk, save, _("Draft saved."))


@login_required
@require_POST
def version_submit(request, pk: int):
    return _act(request, pk, lambda plan: services.version_submit(
        actor=request.user, version=plan.versions.filter(state="draft").first() or _missing_draft()),
                _("Sent into its approval route."))


def _missing_draft():
    raise FormInvalid(_("No version is being drafted."))


@login_required
@require_POST
def step_take(request, pk: int):
    def take(plan):
        version = _working(plan)
        step = RouteStep.objects.filter(pk=int_or_none(request.POST.get("step")), route_id=version.route_id).first()
        if step is None:
            raise Http404
        services.step_take(actor=request.user, version=version, step=step, note=request.POST.get("note", ""))

    return _act(request, pk, take, _("Step recorded."))


@login_required
@require_POST
def drill_add(request, pk: int):
    return _act(request, pk, lambda plan: services.drill_record(actor=request.user, plan=plan,
                                                                **valid(DrillForm(request.POST))),
                _("Drill recorded."))


@login_required
@require_POST
def evaluation_add(request, pk: int):
    return _act(request, pk, lambda plan: services.evaluation_record(actor=request.user, plan=plan,
                                                                     **valid(EvaluationForm(request.POST))),
                _("Evaluation recorded."))


@login_required
@require_POST
def request_add(request, pk: int):
    return _act(request, pk, lambda plan: services.revision_request_file(actor=request.user, plan=plan,
                                                                         **valid(RevisionRequestForm(request.POST))),
                _("Revision request filed."))


@login_required
@require_POST
def request_close(request, pk: int, request_pk: int):
    def close(plan):
        item = RevisionRequest.objects.filter(pk=request_pk, plan=plan).first()
        if item is None:
            raise Http404
        services.revision_request_close(actor=request.user, request=item, state=request.POST.get("state", ""),
                                        resolution=request.POST.get("resolution", ""))

    return _act(request, pk, close, _("Revision request updated."))


@login_required
def edition_view(request, pk: int, number: int):
    plan = _plan(request, pk)
    edition = PlanEdition.objects.filter(plan=plan, number=number).first()
    if edition is None:
        raise Http404
    return render(request, "plans/edition.html", {"plan": plan, "edition": edition})


@login_required
@require_POST
def opinions_request(request, pk: int):
    from datetime import date

    from emergency.org.models import Expert

    def ask(plan):
        version = _working(plan)
        visible = unit_scope(request.user).visible
        try:
            due_on = date.fromisoformat(request.POST.get("due_on", ""))
        except ValueError:
            raise FormInvalid(_("Give the opinions a due date after today.")) from None
        post = request.POST
        services.opinions_request(
            actor=request.user, version=version, due_on=due_on,
            departments=Department.objects.filter(pk__in=_ids(post.getlist("departments")), unit_id__in=visible),
            experts=Expert.objects.filter(pk__in=_ids(post.getlist("experts")), pool__unit_id__in=visible))

    return _act(request, pk, ask, _("Written opinions requested."))


@login_required
@require_POST
def opinion_record(request, pk: int, opinion_pk: int):
    from .models import ConsultationOpinion

    def record(plan):
        opinion = ConsultationOpinion.objects.filter(pk=opinion_pk, version__plan=plan).first()
        if opinion is None:
            raise Http404
        services.opinion_record(actor=request.user, opinion=opinion, text=request.POST.get("opinion", ""))

    return _act(request, pk, record, _("Opinion recorded."))


@login_required
@require_POST
def task_add(request, pk: int):
    def add(plan):
        visible = unit_scope(request.user).visible
        department = Department.objects.filter(pk=int_or_none(request.POST.get("department")), unit_id__in=visible).first()
        unit = OrgUnit.objects.filter(pk=int_or_none(request.POST.get("responsible_unit")), pk__in=visible).first()
        if department is None or unit is None:
            raise FormInvalid(_("Choose the department and the responsible unit."))
        services.task_add(actor=request.user, plan=plan, department=department, task=request.POST.get("task", ""),
                          responsible_unit=unit, responsible_person=request.POST.get("responsible_person", ""))

    return _act(request, pk, add, _("Task added."))


@login_required
@require_POST
def plan_retire(request, pk: int):
    return _act(request, pk, lambda plan: services.plan_retire(actor=request.user, plan=plan,
                                                               reason=request.POST.get("reason", "")),
                _("Plan retired."))
