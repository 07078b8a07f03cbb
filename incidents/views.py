"""Pages for incidents: the list, the fast logging form, the incident with its timeline and
deadlines, and the late-report list for the annual review. Views parse and render; services write."""
from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from emergency.errors import DomainError
from emergency.notify.models import DutyRoomDelivery
from emergency.ui.actions import form_errors, int_or_none, perform, year_or_none
from emergency.org.models import OrgUnit
from emergency.org.scope import unit_scope
from incidents.grading import engine
from incidents.grading.models import Criterion, Grade, Metric

from . import selectors, services
from .response.views import incident_panel
from .forms import GradeForm, IncidentForm, LeadDepartmentForm, ReleaseForm, ReportForm, type_choices
from .models import Incident, ReportingDeadline


def _form_errors(form, error: DomainError) -> None:
    """Figures' errors go beside their figure; the rest onto the form."""
    for name, messages_ in error.fields.items():
        if name.startswith("metrics."):
            form.metric_errors[name.split(".", 1)[1]] = messages_
    rest = {k: v for k, v in error.fields.items() if not k.startswith("metrics.")}
    form_errors(form, type(error)(error.message, fields=rest), aliases={"type": "type_code"})


@login_required
def incident_list(request):
    params = request.GET
    late = params.get("late")
    incidents = selectors.incident_filter(
        selectors.incident_list(user=request.user), unit=int_or_none(params.get("unit")), type_code=params.get("type"),
        grade=params.get("grade"), status=params.get("status"), late=True if late == "1" else None)
    page = Paginator(incidents, 50).get_page(params.get("page"))
    return render(request, "incidents/list.html", {
        "page": page, "filters": params,
        "units": OrgUnit.objects.with_tree_fields().filter(pk__in=unit_scope(request.user).visible),
        "type_choices": type_choices(), "grades": Grade.choices, "statuses": Incident.Status.choices,
        "can_log": request.user.has_perm("incidents.add_incident"),
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


@login_required
def incident_new(request):
    form = IncidentForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            incident = services.incident_log(
                actor=request.user, unit=data["unit"], type_code=data["type_code"],
                secondary_types=data["secondary_types"], title=data["title"], address=data["address"],
                latitude=data["latitude"], longitude=data["longitude"], occurred_at=data["occurred_at"],
                discovered_at=data["discovered_at"], received_at=data["received_at"],
                may_cause_panic=data["may_cause_panic"], body=data["body"], metrics=form.metric_input(),
                checked=form.checked)
        except DomainError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("Incident %(number)s logged; its initial report is in.") % {
                "number": incident.number})
            return redirect("incident-detail", pk=incident.pk)
    return render(request, "incidents/form.html", {
        "form": form, "checklists": _checklists(request.user), "metric_keys": _metric_keys_by_type(request.user),
        "map_tile_url": settings.MAP_TILE_URL, "map_center": settings.MAP_CENTER,
    })


@login_required
def incident_detail(request, pk: int):
    incident = selectors.incident_detail(user=request.user, pk=pk)
    if incident is None:
        raise Http404
    user = request.user
    undetermined = not incident.grade or incident.grade_set_by_id is not None
    return render(request, "incidents/detail.html", {
        "incident": incident, "timeline": selectors.incident_timeline(incident),
        "duty_rooms": DutyRoomDelivery.objects.filter(source_key__in=[
            f"incident.report:{r.pk}" for r in incident.reports.all()]).select_related("organisation"),
        "deadlines": incident.deadlines.all(), "reports": incident.reports.all(),
        "metric_names": {m.key: m for m in Metric.objects.all()},
        "report_form": ReportForm(), "release_form": ReleaseForm(), "grade_form": GradeForm(),
        "can_report": user.has_perm("incidents.add_report", incident),
        "can_send": user.has_perm("incidents.send_report", incident),
        "can_release": user.has_perm("incidents.record_release", incident),
        "lead_form": LeadDepartmentForm(incident=incident, user=user),
        "can_assign_lead": incident.status in (Incident.Status.REPORTED, Incident.Status.RESPONDING) and user.has_perm("incidents.assign_lead", incident),
        "can_set_grade": undetermined and user.has_perm("incidents.set_grade", incident),
        "can_flag": not incident.may_cause_panic and user.has_perm("incidents.flag_panic", incident),
        "has_final": any(r.kind == "final" for r in incident.reports.all()),
        "investigations": incident.investigations.select_related("submitted_by"),
        "can_investigate": incident.status in ("ended", "reviewed") and user.has_perm("incidents.review", incident),
        "candidate_plans": _plans_for(incident, user),
        **incident_panel(request, incident),
    })


def _incident_or_404(request, pk: int) -> Incident:
    incident = selectors.incident_list(user=request.user).filter(pk=pk).first()
    if incident is None:
        raise Http404
    return incident


def _act(request, pk: int, action, success: str):
    perform(request, lambda: action(_incident_or_404(request, pk)), success)
    return redirect("incident-detail", pk=pk)


@login_required
@require_POST
def report_add(request, pk: int):
    form = ReportForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Some fields are missing or invalid."))
        return redirect("incident-detail", pk=pk)
    data = form.cleaned_data
    metrics = {key[len("metric_"):]: value for key, value in request.POST.items()
               if key.startswith("metric_") and value.strip()}

    def submit(incident):
        corrects = incident.reports.filter(pk=data["corrects"]).first() if data["corrects"] else None
        if data["corrects"] and corrects is None:
            raise Http404
        services.report_submit(actor=request.user, incident=incident, kind=data["kind"], body=data["body"],
                               metrics=metrics if "metrics_present" in request.POST else None,
                               checked=request.POST.getlist("checked") if "metrics_present" in request.POST else None,
                               corrects=corrects, correction_reason=data["correction_reason"])

    return _act(request, pk, submit, _("Report submitted."))


@login_required
@require_POST
def report_send(request, pk: int, report_pk: int):
    def send(incident):
        report = incident.reports.filter(pk=report_pk).first()
        if report is None:
            raise Http404
        services.report_send_up(actor=request.user, report=report)

    return _act(request, pk, send, _("Report sent to the superior."))


@login_required
@require_POST
def release_add(request, pk: int):
    form = ReleaseForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Some fields are missing or invalid."))
        return redirect("incident-detail", pk=pk)
    return _act(request, pk, lambda incident: services.release_record(actor=request.user, incident=incident,
                                                                      **form.cleaned_data), _("Release recorded."))


@login_required
@require_POST
def grade_set(request, pk: int):
    form = GradeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Some fields are missing or invalid."))
        return redirect("incident-detail", pk=pk)
    return _act(request, pk, lambda incident: services.incident_set_grade(actor=request.user, incident=incident,
                                                                          **form.cleaned_data), _("Grade set."))


@login_required
@require_POST
def lead_department_set(request, pk: int):
    incident = _incident_or_404(request, pk)
    form = LeadDepartmentForm(request.POST, incident=incident, user=request.user)
    if not form.is_valid():
        messages.error(request, _("Choose one of the departments of the incident's unit or its superiors."))
        return redirect("incident-detail", pk=pk)
    department = form.cleaned_data["department"]
    return _act(request, pk, lambda incident: services.incident_assign_lead(
        actor=request.user, incident=incident, department=department),
        _("Lead department set: %(department)s.") % {"department": department})


@login_required
@require_POST
def panic_flag(request, pk: int):
    return _act(request, pk, lambda incident: services.incident_flag_panic(actor=request.user, incident=incident),
                _("A press conference is now due within 24 hours of receipt."))


@login_required
def late_deadlines(request):
    year = year_or_none(request.GET.get("year"))
    rows = selectors.late_deadlines(user=request.user, year=year)
    return render(request, "incidents/late.html", {
        "page": Paginator(rows, 100).get_page(request.GET.get("page")), "year": year})



def _plans_for(incident, user):
    """Plans a lesson of this incident may revise: published plans of the incident's unit and its
    superiors that cover its type, and their general plans."""
    from django.db.models import Q

    from emergency.org.tree import unit_path
    from plans.models import Plan

    units = [pk for pk, _code in unit_path(incident.unit_id)]
    return (Plan.objects.filter(unit_id__in=set(units) & set(unit_scope(user).visible))
            .filter(Q(incident_types=incident.incident_type_id) | Q(plan_type="general")).distinct()
            .select_related("unit"))


@login_required
def annual_review(request):
    from django.http import HttpResponse
    from django.utils import timezone

    from .review import annual_review as compute, annual_review_csv

    year = year_or_none(request.GET.get("year")) or timezone.localtime().year - 1
    review = compute(user=request.user, year=year)
    if request.GET.get("format") == "csv":
        answer = HttpResponse(annual_review_csv(review), content_type="text/csv; charset=utf-8")
        answer["Content-Disposition"] = f'attachment; filename="annual-review-{year}.csv"'
        return answer
    from plans.models import AnnualReviewDuty

    duties = AnnualReviewDuty.objects.filter(year=year, unit_id__in=unit_scope(request.user).visible).select_related(
        "unit", "done_by")
    return render(request, "incidents/annual_review.html", {"review": review, "year": year, "duties": duties,
                                                            "late_labels": dict(ReportingDeadline.Kind.choices)})


@login_required
@require_POST
def annual_review_done(request, pk: int):
    from plans.annual import mark_done
    from plans.models import AnnualReviewDuty

    duty = AnnualReviewDuty.objects.filter(pk=pk, unit_id__in=unit_scope(request.user).visible).first()
    if duty is None:
        raise Http404
    try:
        mark_done(actor=request.user, duty=duty)
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("Annual review marked done."))
    return redirect(f"{reverse('annual-review')}?year={duty.year}")


@login_required
@require_POST
def investigation_add(request, pk: int):
    from .review import investigation_submit

    from plans.models import Plan

    lessons = [line for line in request.POST.get("lessons", "").splitlines() if line.strip()]
    plans = list(Plan.objects.filter(pk__in=[int_or_none(v) for v in request.POST.getlist("revise_plans")],
                                     unit_id__in=unit_scope(request.user).visible))
    return _act(request, pk, lambda incident: investigation_submit(
        revise_plans=plans,
        actor=request.user, incident=incident, summary=request.POST.get("summary", ""),
        causes=request.POST.get("causes", ""), losses=request.POST.get("losses", ""),
        responsibility=request.POST.get("responsibility", ""), recovery=request.POST.get("recovery", ""),
        lessons=lessons), _("Investigation and assessment report submitted."))
