"""Pages for incidents: the list, the fast logging form, the incident with its timeline and
deadlines, the late-report list and the annual review. Pages only show: every form on them posts to
an operation's route (`incidents/operations.py`, wired in `incidents/urls.py`)."""
from __future__ import annotations

from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from emergency.notify.models import DutyRoomDelivery
from emergency.operations.pages import page
from emergency.org.models import OrgUnit
from emergency.org.scope import unit_scope
from emergency.ui.actions import int_or_none, year_or_none
from emergency.ui.templatetags.operations import form_state
from incidents.grading import engine
from incidents.grading.models import Criterion, Grade, Metric
from plans.models import AnnualReviewDuty

from . import inputs, selectors
from .grading.selectors import type_choices
from .models import Incident, ReportingDeadline
from .releases import approver_text
from .response.views import incident_panel
from .review import annual_review as compute_review
from .review import annual_review_csv


def incident_for(user, pk: int) -> Incident:
    return get_object_or_404(selectors.incident_list(user=user), pk=pk)


def report_for(user, pk: int):
    return get_object_or_404(selectors.report_list(user=user), pk=pk)


def release_for(user, pk: int):
    return get_object_or_404(selectors.release_list(user=user), pk=pk)


def copy_for(user, pk: int):
    return get_object_or_404(selectors.report_copy_list(user=user), pk=pk)


def duty_for(user, pk: int) -> AnnualReviewDuty:
    return get_object_or_404(selectors.review_duty_list(user=user), pk=pk)


@page
def incident_list(request):
    params = request.GET
    late = params.get("late")
    incidents = selectors.incident_filter(
        selectors.incident_list(user=request.user), unit=int_or_none(params.get("unit")), type_code=params.get("type"),
        grade=params.get("grade"), status=params.get("status"), late=True if late == "1" else None)
    page_ = Paginator(incidents, 50).get_page(params.get("page"))
    return render(request, "incidents/list.html", {
        "page": page_, "filters": params,
        "units": OrgUnit.objects.with_tree_fields().filter(pk__in=unit_scope(request.user).visible),
        "type_choices": type_choices(), "grades": Grade.choices, "statuses": Incident.Status.choices,
    })


def _checklists(user) -> dict[str, list[Criterion]]:
    table = engine.current_table_for_user(user)
    items: dict[str, list[Criterion]] = {}
    for criterion in Criterion.objects.filter(table=table).exclude(check_key="").select_related("incident_type"):
        items.setdefault(criterion.incident_type.code, []).append(criterion)
    return items


def _metric_keys_by_type(user) -> dict[str, list[str]]:
    """The figures the standard uses for each type; a computed total is shown as its parts."""
    table = engine.compile_table(engine.current_table_for_user(user))

    def parts(key: str) -> tuple[str, ...]:
        spec = table.metrics[key]
        return spec.sum_of or (key,)

    return {code: sorted({part for row in rows for c in row.conditions for part in parts(c.metric)})
            for code, rows in table.types.items()}


def figure_rows(state: dict, *, values: dict | None = None, keys=None) -> list[dict]:
    """Each figure a form shows: the metric (its name and unit in the user's language), the value as
    last typed (or the incident's), and its errors."""
    data, errors = state["data"], state["field_errors"]
    rows = []
    for metric in Metric.objects.all():
        if metric.sum_of or (keys is not None and metric.key not in keys):
            continue
        typed = data.get(f"metric_{metric.key}")
        typed = typed[-1] if isinstance(typed, list) and typed else typed
        rows.append({"metric": metric, "value": typed if typed is not None else (values or {}).get(metric.key, ""),
                     "errors": errors.get(f"metrics.{metric.key}", [])})
    return rows


def content_rows(state: dict) -> list[dict]:
    """The report's contents (city plan 3.3.1 2), customs 3.3.1 (1)) as fields, as last typed."""
    rows = []
    for name, field in inputs.ReportContents().fields.items():
        typed = state["data"].get(f"contents.{name}", "")
        rows.append({"name": f"contents.{name}", "label": field.label, "value": typed[-1] if isinstance(typed, list)
                     and typed else typed, "long": field.style.get("base_template") == "textarea.html"})
    return rows


@page
def incident_new(request):
    state = form_state(request, "incident.log")
    units = selectors.log_units(user=request.user)
    chosen = state["fields"]["unit"]["value"] or (min(u.pk for u in units) if units else "")
    checked = state["data"].get("checked", [])
    return render(request, "incidents/form.html", {
        "state": state, "f": state["fields"], "units": units, "chosen_unit": str(chosen),
        "type_choices": type_choices(), "figures": figure_rows(state), "contents": content_rows(state),
        "checked": checked if isinstance(checked, list) else [checked],
        "secondary": state["data"].get("secondary_types", []),
        "checklists": _checklists(request.user), "metric_keys": _metric_keys_by_type(request.user),
        "map_tile_url": settings.MAP_TILE_URL, "map_center": settings.MAP_CENTER,
    })


@page
def incident_detail(request, pk: int):
    incident = selectors.incident_detail(user=request.user, pk=pk)
    if incident is None:
        incident_for(request.user, pk)  # 404, as for any id the user cannot see
    report_state = form_state(request, "incident.report", incident)
    return render(request, "incidents/detail.html", {
        "incident": incident, "timeline": selectors.incident_timeline(incident),
        "duty_rooms": DutyRoomDelivery.objects.filter(source_key__in=[
            f"incident.report:{r.pk}" for r in incident.reports.all()]).select_related("organisation"),
        "deadlines": incident.deadlines.all(), "reports": incident.reports.all(),
        "metric_names": {m.key: m for m in Metric.objects.all()},
        "report_state": report_state, "report_contents": content_rows(report_state), "report_figures": figure_rows(report_state, values=incident.metrics,
                                                                    keys=set(incident.metrics)),
        "investigate_state": form_state(request, "incident.investigate", incident),
        "release_approver": lambda: approver_text(incident),  # read only where a draft waits
        "investigations": incident.investigations.select_related("submitted_by"),
        "candidate_plans": selectors.plans_to_revise(incident=incident, user=request.user),
        **incident_panel(request, incident),
    })


@page
def late_deadlines(request):
    year = year_or_none(request.GET.get("year"))
    rows = selectors.late_deadlines(user=request.user, year=year)
    return render(request, "incidents/late.html", {
        "page": Paginator(rows, 100).get_page(request.GET.get("page")), "year": year})


@page
def annual_review(request):
    year = year_or_none(request.GET.get("year")) or timezone.localtime().year - 1
    review = compute_review(user=request.user, year=year)
    if request.GET.get("format") == "csv":
        answer = HttpResponse(annual_review_csv(review), content_type="text/csv; charset=utf-8")
        answer["Content-Disposition"] = f'attachment; filename="annual-review-{year}.csv"'
        return answer
    duties = selectors.review_duty_list(user=request.user).filter(year=year)
    return render(request, "incidents/annual_review.html", {"review": review, "year": year, "duties": duties,
                                                            "late_labels": dict(ReportingDeadline.Kind.choices)})


@page
def copies_received(request):
    """The copies (抄送) addressed to the user's units, to acknowledge: a linked organisation's duty
    room (customs 3.3.1 (1) "报告相关所在地党委和政府") signs here for what it was sent."""
    rows = selectors.copies_received(user=request.user)
    return render(request, "incidents/copies.html", {"page": Paginator(rows, 25).get_page(request.GET.get("page"))})
