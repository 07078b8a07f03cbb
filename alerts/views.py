"""Pages of warnings: the list and map in the level colours, the form to draft one, and a warning
with its lifecycle actions, measures checklist and issued messages (each with its CAP link)."""
from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from emergency.errors import DomainError
from emergency.org.models import Department, OrgUnit, User
from emergency.org.roles import Role
from emergency.org.scope import scoped, unit_scope
from emergency.ui.actions import FormInvalid, form_errors, int_or_none, perform, valid
from incidents.forms import type_choices

from . import services
from .forms import MeasureForm, WarningForm
from .models import EarlyWarning, WarningMeasure


def _visible(user):
    return EarlyWarning.objects.filter(unit_id__in=unit_scope(user).visible).select_related("unit", "incident_type")


def warning_for(user, pk: int) -> EarlyWarning:
    """The warning an operation's page route acts on: one of the user's units', else 404."""
    return get_object_or_404(_visible(user), pk=pk)


@login_required
def warning_list(request):
    state = request.GET.get("state")
    warnings = _visible(request.user)
    if state:
        warnings = warnings.filter(state=state)
    from django.conf import settings

    warnings = list(warnings[:300])
    shapes = [{"id": w.pk, "title": w.title, "colour": w.colour, "polygon": w.polygon, "circle": w.circle,
               "url": f"/warnings/{w.pk}/"} for w in warnings if w.polygon or w.circle]
    return render(request, "alerts/list.html", {"warnings": warnings, "state": state, "shapes": shapes,
                                                "states": EarlyWarning.State.choices,
                                                "map_tile_url": settings.MAP_TILE_URL, "map_center": settings.MAP_CENTER})


def _form(request, data=None):
    scope = unit_scope(request.user)
    units = OrgUnit.objects.filter(pk__in=scope.units_with(Role.DUTY_OFFICER, Role.LEAD_OFFICER, Role.COMMANDER,
                                                           Role.PRINCIPAL, Role.DEPARTMENT_PRINCIPAL))
    return WarningForm(data, units=units, types=type_choices(), user=request.user)


@login_required
def warning_new(request):
    form = _form(request, request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            warning = services.warning_draft(actor=request.user, **data)
        except DomainError as error:
            form_errors(form, error, aliases={"type": "type_code"})
        else:
            return redirect("warning-detail", pk=warning.pk)
    return render(request, "alerts/form.html", {"form": form})


@login_required
def warning_detail(request, pk: int):
    warning = _visible(request.user).filter(pk=pk).prefetch_related("messages", "area_units", "neighbours",
                                                                                 "linked_organisations").first()
    if warning is None:
        raise Http404
    departments = Department.objects.filter(unit_id__in=unit_scope(request.user).visible).select_related("unit")
    from emergency.notify.delivery import unreachable
    from emergency.notify.models import Delivery, DutyRoomDelivery

    keys = [f"warning.message:{m.pk}" for m in warning.messages.all()]
    # only the people of the user's own organisations; a linked organisation shows as its duty room
    own = {"source_key__in": keys, "recipient__in": scoped(User.objects.all(), request.user)}
    deliveries = (Delivery.objects.filter(**{f"notification__{k}": v for k, v in own.items()})
                  .select_related("notification__recipient").order_by("notification__recipient_id", "channel"))
    duty_rooms = DutyRoomDelivery.objects.filter(source_key__in=keys).select_related("organisation")
    return render(request, "alerts/detail.html", {
        "deliveries": deliveries, "call_list": unreachable(own), "duty_rooms": duty_rooms,
        "warning": warning, "messages_sent": warning.messages.all(),
        "measures": warning.measures.select_related("department"), "measure_form": MeasureForm(departments=departments, user=request.user),
        "superiors": OrgUnit.objects.ancestors(warning.unit) if warning.unit.parent_id else [],
        "departments": departments, "levels": [1, 2, 3, 4],
    })


@login_required
@require_POST
def warning_action(request, pk: int, action: str):
    warning = _visible(request.user).filter(pk=pk).first()
    if warning is None:
        raise Http404
    post = request.POST
    report_to = OrgUnit.objects.filter(pk=int_or_none(post.get("report_to"))).first()
    actions = {
        "issue": (lambda: services.warning_issue(actor=request.user, warning=warning, report_to=report_to),
                  _("Warning issued.")),
        "adjust": (lambda: services.warning_adjust(actor=request.user, warning=warning, report_to=report_to,
                                                   **_adjustments(post)), _("Warning adjusted and re-sent.")),
        "lift": (lambda: services.warning_lift(actor=request.user, warning=warning, reason=post.get("reason", "")),
                 _("Warning lifted.")),
        "escalate": (lambda: _escalate(request, warning), _("Escalated into an incident and a response proposal.")),
        "measure": (lambda: _measure(request, warning), _("Measure assigned.")),
        "measure-status": (lambda: _measure_status(request, warning), _("Measure updated.")),
    }
    if action not in actions:
        raise Http404
    call, success = actions[action]
    perform(request, call, success)
    incident_id = EarlyWarning.objects.filter(pk=pk).values_list("incident_id", flat=True).first()
    if action == "escalate" and incident_id:
        return redirect("incident-detail", pk=incident_id)
    return redirect("warning-detail", pk=pk)


def _adjustments(post) -> dict:
    changes = {}
    if post.get("level"):
        try:
            changes["level"] = int(post["level"])
        except ValueError:
            raise FormInvalid(_("Choose a level from 1 to 4.")) from None
    for name in ("area_desc", "points", "polygon", "circle"):
        if name in post and post[name].strip():
            changes[name] = post[name]
    if not changes:
        raise FormInvalid(_("Change the level, the area or the warning points."))
    return changes


def _escalate(request, warning):
    lead = Department.objects.filter(pk=int_or_none(request.POST.get("lead_department")),
                                     unit_id__in=unit_scope(request.user).visible).first()
    services.warning_escalate(actor=request.user, warning=warning, body=request.POST.get("body", ""),
                              lead_department=lead)


def _measure(request, warning):
    departments = Department.objects.filter(unit_id__in=unit_scope(request.user).visible)
    data = valid(MeasureForm(request.POST, departments=departments, user=request.user))
    services.measure_assign(actor=request.user, warning=warning, key=data["key"], department=data["department"])


def _measure_status(request, warning):
    measure = WarningMeasure.objects.filter(pk=int_or_none(request.POST.get("measure")), warning=warning).first()
    if measure is None:
        raise Http404
    services.measure_update(actor=request.user, measure=measure, status=request.POST.get("status", ""),
                            note=request.POST.get("note", ""))
