"""Pages of the resources app: the inventory with its map, a store's stock, requests and their
steps, and an incident's resources (nearest first, requests, command post points). Views parse
and render; the services decide who may do what."""
from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from emergency.org.models import OrgUnit
from emergency.ui.actions import perform, valid
from incidents.response.models import CommandPost
from incidents.selectors import incident_list

from . import reports, selectors
from .forms import AdvanceForm, DecideForm, PointForm, ReadinessForm, ReceiptForm, RequestForm, RequisitionForm
from .models import ResourceRequest
from .services import inventory as inventory_services
from .services import requests as request_services

TABS = ("teams", "stores", "equipment", "shelters")
PAGE_SIZE = 50


@login_required
def inventory(request):
    tab = request.GET.get("tab") if request.GET.get("tab") in TABS else "teams"
    rows = {"teams": selectors.team_list, "stores": selectors.store_list, "equipment": selectors.equipment_list,
            "shelters": selectors.shelter_list}[tab](user=request.user)
    page = Paginator(rows.order_by("unit_id", "name", "id"), PAGE_SIZE).get_page(request.GET.get("page"))
    points = [{"name": row.name, "lat": row.latitude, "lon": row.longitude, "kind": tab} for row in page]
    return render(request, "resources/inventory.html", {
        "tab": tab, "tabs": TABS, "page": page, "points": points, "readiness_form": ReadinessForm(),
        "map_tile_url": settings.MAP_TILE_URL})


def _store(request, pk: int):
    store = selectors.store_list(user=request.user).filter(pk=pk).first()
    if store is None:
        raise Http404
    return store


@login_required
def store_detail(request, pk: int):
    store = _store(request, pk)
    return render(request, "resources/store.html", {
        "store": store, "stock": selectors.stock_of(store), "movements": selectors.movements_of(store),
        "form": ReceiptForm(user=request.user)})


@login_required
@require_POST
def stock_receive(request, pk: int):
    store = _store(request, pk)
    perform(request, lambda: inventory_services.stock_receive(
        actor=request.user, store=store, **valid(ReceiptForm(request.POST, user=request.user))), _("Stock received."))
    return redirect("resources-store", pk=pk)


@login_required
@require_POST
def team_readiness(request, pk: int):
    team = selectors.team_list(user=request.user).filter(pk=pk).first()
    if team is None:
        raise Http404
    perform(request, lambda: inventory_services.team_readiness_set(
        actor=request.user, team=team, **valid(ReadinessForm(request.POST))), _("Readiness updated."))
    return redirect(reverse("resources-inventory") + "?tab=teams")


@login_required
def request_list(request):
    rows = selectors.request_list(user=request.user)
    state = request.GET.get("state")
    if state in ResourceRequest.State.values:
        rows = rows.filter(state=state)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    active = incident_list(user=request.user).filter(status__in=("reported", "responding")).order_by("-received_at")
    return render(request, "resources/requests.html", {"page": page, "states": ResourceRequest.State.choices,
                                                       "state": state, "incidents": active[:20]})


def _request(request, pk: int) -> ResourceRequest:
    item = selectors.request_list(user=request.user).filter(pk=pk).first()
    if item is None:
        raise Http404
    return item


@login_required
def request_detail(request, pk: int):
    item = _request(request, pk)
    allowed = request_services.NEXT.get(item.state, ((), None))[0]
    stores = OrgUnit.objects.descendants(item.holding_unit, include_self=True)
    return render(request, "resources/request.html", {
        "item": item, "steps": selectors.request_steps(item), "decide_form": DecideForm(),
        "advance_form": AdvanceForm(user=request.user, states=allowed, stores=selectors.store_list(
            user=request.user).filter(unit__in=stores, stock__item=item.item_id) if item.item_id else None,
            initial={"quantity": item.quantity if item.state == "approved" else item.dispatched_quantity}),
        "can_advance": bool(allowed)})


@login_required
@require_POST
def request_decide(request, pk: int):
    item = _request(request, pk)
    perform(request, lambda: request_services.request_decide(actor=request.user, request=item,
                                                             **valid(DecideForm(request.POST))), _("Request decided."))
    return redirect("resources-request", pk=pk)


@login_required
@require_POST
def request_advance(request, pk: int):
    item = _request(request, pk)
    perform(request, lambda: request_services.request_advance(
        actor=request.user, request=item, **valid(AdvanceForm(request.POST, user=request.user))), _("Step recorded."))
    return redirect("resources-request", pk=pk)


def _incident(request, pk: int):
    incident = incident_list(user=request.user).filter(pk=pk).first()
    if incident is None:
        raise Http404
    return incident


def _post(incident):
    return (CommandPost.objects.filter(response__incident=incident, closed_at__isnull=True)
            .select_related("response").first())


@login_required
def incident_resources(request, pk: int):
    """What the incident may call on, nearest first, and what it asked for."""
    incident = _incident(request, pk)
    post = _post(incident)
    item_id = request.GET.get("item")
    nearby = {}
    if incident.latitude is not None:
        at = {"latitude": float(incident.latitude), "longitude": float(incident.longitude)}
        nearby = {"team": selectors.nearest(user=request.user, kind="team", **at, limit=10),
                  "equipment": selectors.nearest(user=request.user, kind="equipment", **at, limit=10)}
        if item_id and item_id.isdigit():
            nearby["store"] = selectors.nearest(user=request.user, kind="store", item_id=int(item_id), **at, limit=10)
    points = selectors.points_of(post) if post else None
    return render(request, "resources/incident.html", {
        "incident": incident, "post": post, "nearby": nearby, "points": points,
        "requests": selectors.request_list(user=request.user).filter(incident=incident),
        "supplies": selectors.supply_items(user=request.user), "item_id": item_id,
        "form": RequestForm(user=request.user, points=points, initial={"kind": request.GET.get("kind", "team")}),
        "point_form": PointForm(), "map_tile_url": settings.MAP_TILE_URL,
        "requisitions": reports.requisition_list(user=request.user).filter(incident=incident),
        "requisition_form": RequisitionForm()})


@login_required
@require_POST
def request_new(request, pk: int):
    incident = _incident(request, pk)
    post = _post(incident)
    made = []

    def create():
        data = valid(RequestForm(request.POST, user=request.user,
                                 points=selectors.points_of(post) if post else None))
        made.append(request_services.request_create(actor=request.user, incident=incident, post=post, **data))

    if perform(request, create, _("Request sent.")):
        return redirect("resources-request", pk=made[0].pk)
    return redirect("resources-incident", pk=pk)


@login_required
@require_POST
def point_open(request, pk: int):
    incident = _incident(request, pk)
    post = _post(incident)
    if post is None:
        raise Http404
    perform(request, lambda: request_services.point_open(actor=request.user, post=post,
                                                         **valid(PointForm(request.POST))), _("Point opened."))
    return redirect("resources-incident", pk=pk)


