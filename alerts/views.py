"""Pages of warnings (GET only): the list and map in the level colours, the form to draft one (its
area drawn on the map), and a warning with the operations the user may take now, its measures
checklist, its issued messages (each with its CAP link) and their delivery. Every write on these
pages posts to an operation's route (alerts/urls.py, alerts/operations.py)."""
from __future__ import annotations

from django.conf import settings
from django.shortcuts import get_object_or_404, render

from emergency.notify.delivery import unreachable
from emergency.notify.models import Delivery, DutyRoomDelivery
from emergency.operations.pages import page
from emergency.org.models import OrgUnit, User
from emergency.org.scope import scoped

from .catalogue import measures_for
from .models import EarlyWarning, WarningMeasure
from .selectors import warning_list as warnings_of, warning_measure_list


def warning_for(user, pk: int) -> EarlyWarning:
    """The warning an operation's page route acts on: one of the user's units', else 404."""
    return get_object_or_404(warnings_of(user=user), pk=pk)


def measure_for(user, pk: int) -> WarningMeasure:
    return get_object_or_404(warning_measure_list(user=user), pk=pk)


def _map(shapes) -> dict:
    return {"shapes": shapes, "map_tile_url": settings.MAP_TILE_URL, "map_center": settings.MAP_CENTER}


@page
def warning_list(request):
    state = request.GET.get("state")
    warnings = warnings_of(user=request.user)
    if state:
        warnings = warnings.filter(state=state)
    warnings = list(warnings[:300])
    shapes = [{"id": w.pk, "title": w.title, "colour": w.colour, "polygon": w.polygon, "circle": w.circle,
               "url": f"/warnings/{w.pk}/"} for w in warnings if w.polygon or w.circle]
    return render(request, "alerts/list.html", {"warnings": warnings, "state": state,
                                                "states": EarlyWarning.State.choices, **_map(shapes)})


@page
def warning_new(request):
    return render(request, "alerts/form.html", _map([]))


@page
def warning_detail(request, pk: int):
    warning = get_object_or_404(warnings_of(user=request.user).prefetch_related(
        "messages", "area_units", "neighbours", "linked_organisations"), pk=pk)
    keys = [f"warning.message:{m.pk}" for m in warning.messages.all()]
    # only the people of the user's own organisations; a linked organisation shows as its duty room
    own = {"source_key__in": keys, "recipient__in": scoped(User.objects.all(), request.user)}
    deliveries = (Delivery.objects.filter(**{f"notification__{k}": v for k, v in own.items()})
                  .select_related("notification__recipient").order_by("notification__recipient_id", "channel"))
    duty_rooms = DutyRoomDelivery.objects.filter(source_key__in=keys).select_related("organisation")
    shapes = [{"id": warning.pk, "title": warning.title, "colour": warning.colour, "polygon": warning.polygon,
               "circle": warning.circle, "url": ""}] if warning.polygon or warning.circle else []
    return render(request, "alerts/detail.html", {
        "deliveries": deliveries, "call_list": unreachable(own), "duty_rooms": duty_rooms,
        "warning": warning, "messages_sent": warning.messages.all(), "catalogue": measures_for(warning.unit),
        "measures": warning.measures.select_related("department", "warning", "warning__unit"),
        "superiors": OrgUnit.objects.ancestors(warning.unit) if warning.unit.parent_id else [], **_map(shapes),
    })
