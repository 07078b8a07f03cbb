"""Pages of the records around a response: requisitions and compensation, standby for a warning,
training and publicity, accountability per unit and year."""
from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from emergency.org.models import OrgUnit
from emergency.org.scope import unit_scope
from emergency.ui.actions import int_or_none, perform, valid, year_or_none
from incidents.selectors import incident_list

from . import reports
from .forms import CompensationForm, RequisitionForm, SanctionForm, StandbyForm, TrainingForm
from .models import Standby
from .services import records


@login_required
@require_POST
def requisition_add(request, pk: int):
    incident = incident_list(user=request.user).filter(pk=pk).first()
    if incident is None:
        raise Http404
    perform(request, lambda: records.requisition_record(actor=request.user, incident=incident,
                                                        **valid(RequisitionForm(request.POST))),
            _("Requisition recorded."))
    return redirect("resources-incident", pk=pk)


@login_required
def compensation_list(request):
    rows = reports.requisition_list(user=request.user).order_by("-requisitioned_at", "-id")
    waiting = request.GET.get("waiting") == "1"
    if waiting:
        rows = rows.filter(compensations__isnull=True)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(request, "resources/compensation.html", {"page": page, "waiting": waiting,
                                                           "form": CompensationForm()})


@login_required
@require_POST
def compensate(request, pk: int):
    requisition = reports.requisition_list(user=request.user).filter(pk=pk).first()
    if requisition is None:
        raise Http404
    perform(request, lambda: records.compensation_record(actor=request.user, requisition=requisition,
                                                         **valid(CompensationForm(request.POST))),
            _("Compensation recorded."))
    return redirect("resources-compensation")


@login_required
def training(request):
    units = OrgUnit.objects.filter(pk__in=unit_scope(request.user).visible)
    form = TrainingForm(request.POST or None, user=request.user, units=units)
    if request.method == "POST" and perform(request, lambda: records.training_record(
            actor=request.user, **valid(form)), _("Training record added.")):
        return redirect("resources-training")
    page = Paginator(reports.training_list(user=request.user), 50).get_page(request.GET.get("page"))
    return render(request, "resources/training.html", {"page": page, "form": form,
                                                       "due": reports.training_due(user=request.user)})


@login_required
def accountability(request):
    units = OrgUnit.objects.filter(pk__in=unit_scope(request.user).visible).order_by("id")
    unit = units.filter(pk=int_or_none(request.GET.get("unit"))).first() or units.first()
    year = year_or_none(request.GET.get("year")) or timezone.localdate().year
    findings, decisions = reports.accountability(user=request.user, unit=unit, year=year) if unit else ([], [])
    form = SanctionForm(request.POST or None, findings=findings)
    if request.method == "POST" and unit and perform(request, lambda: records.sanction_record(
            actor=request.user, unit=unit, year=year, **valid(form)), _("Decision recorded.")):
        return redirect(f"{request.path}?unit={unit.pk}&year={year}")
    return render(request, "resources/accountability.html", {
        "units": units, "unit": unit, "year": year, "findings": findings, "decisions": decisions, "form": form,
        "years": range(timezone.localdate().year, timezone.localdate().year - 5, -1)})


def _warnings(user):
    from alerts.models import EarlyWarning

    return EarlyWarning.objects.filter(unit_id__in=unit_scope(user).visible)


@login_required
def warning_standby(request, pk: int):
    """The teams and supplies a warning put on standby, and the form to add one."""
    warning = _warnings(request.user).filter(pk=pk).first()
    if warning is None:
        raise Http404
    form = StandbyForm(request.POST or None, user=request.user)
    if request.method == "POST" and perform(request, lambda: records.standby_set(
            actor=request.user, warning=warning, **valid(form)), _("Put on standby.")):
        return redirect("resources-warning-standby", pk=pk)
    standbys = Standby.objects.filter(warning=warning).select_related("team", "equipment", "stock__store", "stock__item")
    return render(request, "resources/standby.html", {"warning": warning, "standbys": standbys, "form": form})


@login_required
@require_POST
def standby_release(request, pk: int):
    standby = Standby.objects.filter(pk=pk, warning__in=_warnings(request.user)).first()
    if standby is None:
        raise Http404
    perform(request, lambda: records.standby_release(actor=request.user, standby=standby), _("Standby released."))
    return redirect("resources-warning-standby", pk=standby.warning_id)


@login_required
@require_POST
def standby_in_place(request, pk: int):
    standby = Standby.objects.filter(pk=pk, warning__in=_warnings(request.user)).first()
    if standby is None:
        raise Http404
    perform(request, lambda: records.standby_in_place(actor=request.user, standby=standby),
            _("Reported in position."))
    return redirect("resources-warning-standby", pk=standby.warning_id)
