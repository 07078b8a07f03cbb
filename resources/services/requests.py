"""Requests for resources from an incident or its command post: request → approve → dispatch →
en route → arrived → in use → returned or consumed. Each step is an append-only RequestStep with its
time; stock leaves and comes back only as StockMovements of the dispatch and return steps. The
stock row is locked for the dispatch, so concurrent dispatches from one store queue and none
overdraws it (and the CHECK constraints would refuse it anyway)."""
from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from emergency import live
from emergency.audit.services import audit_record
from emergency.errors import Conflict, NotFound, ValidationFailed
from emergency.org.models import OrgUnit, User
from emergency.org.scope import unit_scope
from emergency.org.tree import ancestor_ids, top_id
from incidents.models import Incident
from incidents.response.models import CommandPost

from ..authority import require_approver, require_keeper, require_requester
from ..models import (Batch, DeliveryPoint, Equipment, RequestStep, ResourceRequest, Stock, StockMovement, Store,
                      SupplyItem, Team)
from .inventory import move

State = ResourceRequest.State
Kind = ResourceRequest.Kind
# state → (the states it may move to, who takes the step: the incident's side or the holding unit's)
NEXT = {
    State.APPROVED: ((State.DISPATCHED,), "holder"),
    State.DISPATCHED: ((State.EN_ROUTE,), "holder"),
    State.EN_ROUTE: ((State.ARRIVED,), "incident"),
    State.ARRIVED: ((State.IN_USE,), "incident"),
    State.IN_USE: ((State.RETURNED, State.CONSUMED), "holder"),
}
OPEN_STATES = (State.REQUESTED, State.APPROVED, State.DISPATCHED, State.EN_ROUTE, State.ARRIVED, State.IN_USE)
# What the dashboard's feed calls each step (emergency.dashboard.selectors.EVENT_LABELS).
EVENTS = {State.DISPATCHED: "resources.dispatched", State.ARRIVED: "resources.arrived"}


def _locked(request: ResourceRequest, actor: User) -> ResourceRequest:
    """The request, locked; NotFound unless the actor sees its incident's unit or the unit asked."""
    request = (ResourceRequest.objects.select_for_update(of=("self",))
               .select_related("incident", "item", "team", "equipment", "store").get(pk=request.pk))
    scope = unit_scope(actor)
    if not (scope.can_see(request.incident.unit_id) or scope.can_see(request.holding_unit_id)):
        raise NotFound(_("Not found."))
    return request


def _record(*, request: ResourceRequest, state: str, actor: User, authority: str = "", quantity: int | None = None,
            store: Store | None = None, note: str = "") -> RequestStep:
    before = request.state
    request.state = state
    request.save()
    step = RequestStep.objects.create(request=request, state=state, at=timezone.now(), actor=actor,
                                      authority=authority, quantity=quantity, store=store, note=note.strip())
    audit_record(actor=actor, unit_id=request.incident.unit_id, action=f"resources.request.{state}", target=request,
                 before={"state": before}, after={"state": state, "quantity": quantity,
                                                  "store": store.pk if store else None})
    data = {"request": request.pk, "incident": request.incident_id, "state": state,
            "holding_unit": request.holding_unit_id, "title": f"{request.incident.title} · {request.what}",
            **_where(request)}
    live.publish(event=EVENTS.get(state, "resources.request"), unit_id=request.incident.unit_id, data=data)
    if request.holding_unit_id not in ancestor_ids(request.incident.unit_id):  # the holder watches it too
        live.publish(event=EVENTS.get(state, "resources.request"), unit_id=request.holding_unit_id, data=data)
    return step


def _where(request: ResourceRequest) -> dict:
    """Where the dashboard's map shows the step: the delivery point, else the incident."""
    point, incident = request.destination, request.incident
    if point is not None:
        return {"lat": point.latitude, "lon": point.longitude}
    if incident.latitude is not None and incident.longitude is not None:
        return {"lat": float(incident.latitude), "lon": float(incident.longitude)}
    return {}


def _holder_of(kind: str, *, team: Team | None, equipment: Equipment | None) -> int | None:
    return team.unit_id if kind == Kind.TEAM and team else equipment.unit_id if equipment else None


@transaction.atomic
def request_create(*, actor: User, incident: Incident, kind: str, holding_unit: OrgUnit | None = None,
                   team: Team | None = None, equipment: Equipment | None = None, item: SupplyItem | None = None,
                   quantity: int = 1, reason: str, post: CommandPost | None = None,
                   destination: DeliveryPoint | None = None) -> ResourceRequest:
    """Ask for a named team or piece of equipment (from the unit that holds it), or a quantity of
    a supply from a unit of the organisation (the incident's superior, typically)."""
    require_requester(actor, incident.unit_id)
    if kind not in Kind.values:
        raise ValidationFailed(_("Unknown kind of resource."), fields={"kind": [_("Unknown kind of resource.")]})
    named = {Kind.TEAM: team, Kind.EQUIPMENT: equipment, Kind.SUPPLY: item}[kind]
    if named is None:
        raise ValidationFailed(_("Say which resource is needed."), fields={kind: [_("This field is required.")]})
    organisation = top_id(incident.unit_id)
    owner = named.organisation_id if kind == Kind.SUPPLY else named.unit_id
    if top_id(owner) != organisation:
        raise NotFound(_("Not found."))
    holder = _holder_of(kind, team=team, equipment=equipment) or (holding_unit.pk if holding_unit else None)
    if holder is None or top_id(holder) != organisation:
        raise ValidationFailed(_("Say which unit the supplies are requested from."),
                               fields={"holding_unit": [_("This field is required.")]})
    if kind != Kind.SUPPLY:
        quantity = 1
    if not 0 < int(quantity) <= 10**8:
        raise ValidationFailed(_("Give a quantity greater than zero."), fields={"quantity": [_("Greater than zero.")]})
    if not reason.strip():
        raise ValidationFailed(_("Say what it is needed for."), fields={"reason": [_("This field is required.")]})
    if post is not None and post.response.incident_id != incident.pk:
        raise ValidationFailed(_("The command post belongs to another incident."))
    if destination is not None and (post is None or destination.post_id != post.pk):
        raise ValidationFailed(_("The delivery point belongs to another command post."))
    request = ResourceRequest.objects.create(
        incident=incident, post=post, holding_unit_id=holder, kind=kind,
        team=team if kind == Kind.TEAM else None, equipment=equipment if kind == Kind.EQUIPMENT else None,
        item=item if kind == Kind.SUPPLY else None, quantity=int(quantity), destination=destination,
        reason=reason.strip(), requested_by=actor, requested_at=timezone.now())
    _record(request=request, state=State.REQUESTED, actor=actor, quantity=request.quantity, note=request.reason)
    return request


@transaction.atomic
def request_decide(*, actor: User, request: ResourceRequest, approve: bool, note: str = "") -> ResourceRequest:
    request = _locked(request, actor)
    authority = require_approver(actor, holding_unit_id=request.holding_unit_id, kind=request.kind,
                                 requested_by_id=request.requested_by_id)
    if request.state != State.REQUESTED:
        raise Conflict(_("The request has already been decided."))
    if not approve and not note.strip():
        raise ValidationFailed(_("Say why the request is refused."), fields={"note": [_("This field is required.")]})
    _record(request=request, state=State.APPROVED if approve else State.REJECTED, actor=actor, authority=authority,
            note=note)
    return request


def _dispatch_supply(request: ResourceRequest, *, actor: User, store: Store | None, quantity: int | None,
                     step_note: str) -> None:
    if store is None:
        raise ValidationFailed(_("Say which store the supplies leave from."), fields={"store": [_("This field is required.")]})
    if not OrgUnit.objects.descendants(request.holding_unit, include_self=True).filter(pk=store.unit_id).exists():
        raise ValidationFailed(_("The store is not one of the requested unit's."),
                               fields={"store": [_("The store is not one of the requested unit's.")]})
    quantity = request.quantity if quantity is None else int(quantity)
    if not 0 < quantity <= request.quantity:
        raise ValidationFailed(_("Dispatch between 1 and the quantity requested."),
                               fields={"quantity": [_("Dispatch between 1 and the quantity requested.")]})
    stock = Stock.objects.select_for_update().filter(store=store, item=request.item).first()
    if stock is None or stock.quantity < quantity:
        raise Conflict(_("Not enough in store: %(left)s %(uom)s left.")
                       % {"left": stock.quantity if stock else 0, "uom": request.item.unit_of_measure})
    step = _record(request=request, state=State.DISPATCHED, actor=actor, quantity=quantity, store=store, note=step_note)
    remaining = quantity
    for batch in Batch.objects.filter(stock=stock, quantity__gt=0).order_by("expires_on", "id"):  # first to expire first
        taken = min(batch.quantity, remaining)
        move(stock=stock, batch=batch, change=-taken, reason=StockMovement.Reason.DISPATCH, actor=actor, step=step)
        remaining -= taken
        if remaining == 0:
            break
    request.store, request.dispatched_quantity = store, quantity
    request.save(update_fields=["store", "dispatched_quantity", "updated_at"])
    if stock.quantity < stock.minimum:
        live.publish(event="resources.low_stock", unit_id=store.unit_id, data={
            "store": store.pk, "item": request.item.pk, "quantity": stock.quantity, "minimum": stock.minimum,
            "title": f"{store.name} · {request.item.name} {stock.quantity}/{stock.minimum}{request.item.unit_of_measure}",
            "lat": store.latitude, "lon": store.longitude})


@transaction.atomic
def request_advance(*, actor: User, request: ResourceRequest, state: str, store: Store | None = None,
                    quantity: int | None = None, note: str = "") -> ResourceRequest:
    """Take the next step: dispatch (from a store, for supplies), en route, arrived, in use,
    returned (with the quantity coming back, for supplies) or consumed."""
    request = _locked(request, actor)
    allowed, side = NEXT.get(request.state, ((), None))
    if side == "holder":
        require_keeper(actor, request.holding_unit_id, seen=True)
    elif side == "incident":
        require_requester(actor, request.incident.unit_id, seen=True)
    if state not in allowed:
        raise Conflict(_("The request is %(state)s: it cannot be marked %(next)s.")
                       % {"state": request.get_state_display(), "next": State(state).label
                          if state in State.values else state})
    if state == State.DISPATCHED:
        _dispatch(request, actor=actor, store=store, quantity=quantity, note=note)
    elif state in (State.RETURNED, State.CONSUMED):
        _close(request, actor=actor, state=state, quantity=quantity, note=note)
    else:
        _record(request=request, state=state, actor=actor, note=note)
    return request


def _dispatch(request: ResourceRequest, *, actor: User, store, quantity, note: str) -> None:
    if request.kind == Kind.SUPPLY:
        _dispatch_supply(request, actor=actor, store=store, quantity=quantity, step_note=note)
    elif request.kind == Kind.TEAM:
        team = Team.objects.select_for_update().get(pk=request.team_id)
        if team.readiness not in (Team.Readiness.READY, Team.Readiness.STANDBY):
            raise Conflict(_("The team is %(readiness)s.") % {"readiness": team.get_readiness_display()})
        team.readiness = Team.Readiness.DEPLOYED
        team.save(update_fields=["readiness"])
        _record(request=request, state=State.DISPATCHED, actor=actor, quantity=1, note=note)
    else:
        equipment = Equipment.objects.select_for_update().get(pk=request.equipment_id)
        if equipment.status not in (Equipment.Status.AVAILABLE, Equipment.Status.STANDBY):
            raise Conflict(_("The equipment is %(status)s.") % {"status": equipment.get_status_display()})
        equipment.status = Equipment.Status.IN_USE
        equipment.save(update_fields=["status"])
        _record(request=request, state=State.DISPATCHED, actor=actor, quantity=1, note=note)


def _close(request: ResourceRequest, *, actor: User, state: str, quantity, note: str) -> None:
    if request.kind != Kind.SUPPLY:
        if state == State.CONSUMED:
            raise ValidationFailed(_("A team or a piece of equipment returns; only supplies are consumed."))
        if request.kind == Kind.TEAM:
            Team.objects.filter(pk=request.team_id).update(readiness=Team.Readiness.READY)
        else:
            Equipment.objects.filter(pk=request.equipment_id).update(status=Equipment.Status.AVAILABLE)
        _record(request=request, state=state, actor=actor, quantity=1, note=note)
        return
    back = 0 if state == State.CONSUMED else (request.dispatched_quantity if quantity is None else int(quantity))
    if not 0 <= back <= request.dispatched_quantity or (state == State.RETURNED and back == 0):
        raise ValidationFailed(_("Return between 1 and the quantity dispatched."),
                               fields={"quantity": [_("Return between 1 and the quantity dispatched.")]})
    # The stock's lock before the audit chain's, as a dispatch takes them (one order: no deadlock).
    stock = Stock.objects.select_for_update().get(store=request.store, item=request.item) if back else None
    step = _record(request=request, state=state, actor=actor, quantity=back, store=request.store, note=note)
    if stock is not None:
        sent = (StockMovement.objects.filter(step__request=request, reason=StockMovement.Reason.DISPATCH)
                .select_related("batch").order_by("-id"))
        remaining = back
        for movement in sent:  # back into the batches it left, the last taken first
            amount = min(-movement.change, remaining)
            move(stock=stock, batch=movement.batch, change=amount, reason=StockMovement.Reason.RETURN, actor=actor,
                 step=step)
            remaining -= amount
            if remaining == 0:
                break
        request.returned_quantity = back
        request.save(update_fields=["returned_quantity", "updated_at"])


@transaction.atomic
def point_open(*, actor: User, post: CommandPost, kind: str, name: str, latitude: float,
               longitude: float) -> DeliveryPoint:
    """The command post opens a rally, receiving or distribution point."""
    incident = post.response.incident
    require_requester(actor, incident.unit_id)
    if post.closed_at is not None:
        raise Conflict(_("The command post is closed."))
    if kind not in DeliveryPoint.Kind.values:
        raise ValidationFailed(_("Unknown kind of point."), fields={"kind": [_("Unknown kind of point.")]})
    if not name.strip():
        raise ValidationFailed(_("Some fields are missing or invalid."), fields={"name": [_("This field is required.")]})
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        raise ValidationFailed(_("The location is not a point on Earth."))
    point = DeliveryPoint.objects.create(post=post, kind=kind, name=name.strip(), latitude=latitude,
                                         longitude=longitude, opened_by=actor, opened_at=timezone.now())
    audit_record(actor=actor, unit_id=incident.unit_id, action="resources.point.open", target=point,
                 after={"kind": kind, "name": point.name, "latitude": latitude, "longitude": longitude})
    return point
