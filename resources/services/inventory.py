"""Writes to a unit's inventory: teams, stores, equipment and shelters, their readiness and
status, and stock received into a store (the only way stock comes in)."""
from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from emergency.audit.services import audit_record, snapshot
from emergency.errors import ValidationFailed
from emergency.org.models import OrgUnit, User
from emergency.org.tree import top_id

from ..authority import require_keeper
from ..models import Batch, Equipment, Shelter, Stock, StockMovement, Store, SupplyItem, Team

PLACE_FIELDS = ("unit", "name", "latitude", "longitude", "address")


def _place(latitude: float, longitude: float) -> None:
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        raise ValidationFailed(_("The location is not a point on Earth."),
                               fields={"latitude": [_("Latitude from -90 to 90, longitude from -180 to 180.")]})


def _name(name: str) -> str:
    if not name.strip():
        raise ValidationFailed(_("Some fields are missing or invalid."), fields={"name": [_("This field is required.")]})
    return name.strip()


def _create(model, *, actor: User, unit: OrgUnit, fields: tuple[str, ...], **values):
    require_keeper(actor, unit.pk)
    _place(values["latitude"], values["longitude"])
    instance = model.objects.create(unit=unit, **{**values, "name": _name(values["name"])})
    audit_record(actor=actor, unit_id=unit.pk, action=f"resources.{model._meta.model_name}.create", target=instance,
                 after=snapshot(instance, PLACE_FIELDS + fields))
    return instance


@transaction.atomic
def team_create(*, actor: User, unit: OrgUnit, name: str, kind: str, latitude: float, longitude: float,
                address: str = "", capability: str = "", head_count: int = 0, leader: str = "",
                contact: str = "") -> Team:
    if kind not in Team.Kind.values:
        raise ValidationFailed(_("Unknown kind of team."), fields={"kind": [_("Unknown kind of team.")]})
    return _create(Team, actor=actor, unit=unit, fields=("kind", "capability", "head_count", "leader", "contact"),
                   name=name, kind=kind, latitude=latitude, longitude=longitude, address=address,
                   capability=capability, head_count=head_count, leader=leader, contact=contact)


@transaction.atomic
def store_create(*, actor: User, unit: OrgUnit, name: str, latitude: float, longitude: float, address: str = "",
                 keeper: str = "", contact: str = "") -> Store:
    return _create(Store, actor=actor, unit=unit, fields=("keeper", "contact"), name=name, latitude=latitude,
                   longitude=longitude, address=address, keeper=keeper, contact=contact)


@transaction.atomic
def equipment_create(*, actor: User, unit: OrgUnit, name: str, kind: str, latitude: float, longitude: float,
                     address: str = "", identifier: str = "") -> Equipment:
    if kind not in Equipment.Kind.values:
        raise ValidationFailed(_("Unknown kind of equipment."), fields={"kind": [_("Unknown kind of equipment.")]})
    return _create(Equipment, actor=actor, unit=unit, fields=("kind", "identifier", "status"), name=name, kind=kind,
                   latitude=latitude, longitude=longitude, address=address, identifier=identifier)


@transaction.atomic
def shelter_create(*, actor: User, unit: OrgUnit, name: str, capacity: int, latitude: float, longitude: float,
                   address: str = "", kind: str = Shelter.Kind.SHELTER) -> Shelter:
    if kind not in Shelter.Kind.values:
        raise ValidationFailed(_("Unknown kind of shelter."), fields={"kind": [_("Unknown kind of shelter.")]})
    return _create(Shelter, actor=actor, unit=unit, fields=("kind", "capacity"), name=name, kind=kind,
                   capacity=capacity, latitude=latitude, longitude=longitude, address=address)


def _state_set(instance, *, actor: User, field: str, value: str, by_hand: tuple[str, ...], busy: str,
               refused, while_busy):
    """Set a team's readiness or a piece of equipment's status by hand: only to `by_hand`, and not
    while it is out (`busy`: a dispatch sent it, its return brings it back)."""
    instance = type(instance).objects.select_for_update().get(pk=instance.pk)
    require_keeper(actor, instance.unit_id)
    if value not in by_hand:
        raise ValidationFailed(refused[0], fields={field: [refused[1]]})
    if getattr(instance, field) == busy:
        raise ValidationFailed(while_busy)
    before = getattr(instance, field)
    setattr(instance, field, value)
    instance.save(update_fields=[field])
    audit_record(actor=actor, unit_id=instance.unit_id, action=f"resources.{instance._meta.model_name}.{field}",
                 target=instance, before={field: before}, after={field: value})
    return instance


@transaction.atomic
def team_readiness_set(*, actor: User, team: Team, readiness: str) -> Team:
    """The keeper marks a team ready, on standby or unavailable; "deployed" comes from a dispatch."""
    return _state_set(team, actor=actor, field="readiness", value=readiness, busy=Team.Readiness.DEPLOYED,
                      by_hand=(Team.Readiness.READY, Team.Readiness.STANDBY, Team.Readiness.UNAVAILABLE),
                      refused=(_("A team is deployed by a dispatch, not by hand."),
                               _("Choose ready, on standby or unavailable.")),
                      while_busy=_("The team is deployed; it becomes ready again when it returns."))


@transaction.atomic
def equipment_status_set(*, actor: User, equipment: Equipment, status: str) -> Equipment:
    return _state_set(equipment, actor=actor, field="status", value=status, busy=Equipment.Status.IN_USE,
                      by_hand=(Equipment.Status.AVAILABLE, Equipment.Status.MAINTENANCE,
                               Equipment.Status.OUT_OF_SERVICE),
                      refused=(_("Equipment is put in use by a dispatch, not by hand."),
                               _("Choose available, under maintenance or out of service.")),
                      while_busy=_("The equipment is in use; it becomes available again when it returns."))


def stock_for(store: Store, item: SupplyItem, *, lock: bool = False) -> Stock:
    """The store's stock of `item` (created empty the first time), locked when asked."""
    stock, _created = Stock.objects.get_or_create(store=store, item=item)
    return Stock.objects.select_for_update().get(pk=stock.pk) if lock else stock


def move(*, stock: Stock, batch: Batch, change: int, reason: str, actor: User, step=None,
         note: str = "") -> StockMovement:
    """Record one movement; the database applies it to the batch and the stock. `stock` must be
    locked by the caller, and is refreshed."""
    movement = StockMovement.objects.create(stock=stock, batch=batch, change=change, balance=stock.quantity + change,
                                            reason=reason, step=step, at=timezone.now(), actor=actor, note=note)
    stock.quantity += change
    batch.quantity += change
    return movement


@transaction.atomic
def stock_receive(*, actor: User, store: Store, item: SupplyItem, quantity: int, batch: str,
                  expires_on: date | None = None, note: str = "") -> StockMovement:
    """Supplies received into a store (purchase, replenishment: 补充更新) as one batch."""
    require_keeper(actor, store.unit_id)
    if item.organisation_id != top_id(store.unit_id):
        raise ValidationFailed(_("The supply is not in this organisation's catalogue."))
    if not 0 < quantity <= 10**8:
        raise ValidationFailed(_("Give a quantity greater than zero."), fields={"quantity": [_("Greater than zero.")]})
    if not batch.strip():
        raise ValidationFailed(_("Some fields are missing or invalid."), fields={"batch": [_("This field is required.")]})
    stock = stock_for(store, item, lock=True)
    lot, _created = Batch.objects.get_or_create(stock=stock, code=batch.strip(), defaults={"expires_on": expires_on})
    movement = move(stock=stock, batch=lot, change=quantity, reason=StockMovement.Reason.RECEIPT, actor=actor,
                    note=note.strip()[:300])
    audit_record(actor=actor, unit_id=store.unit_id, action="resources.stock.receive", target=movement,
                 after={"store": store.pk, "item": item.pk, "batch": lot.code, "quantity": quantity,
                        "balance": movement.balance})
    return movement


@transaction.atomic
def stock_minimum_set(*, actor: User, store: Store, item: SupplyItem, minimum: int) -> Stock:
    require_keeper(actor, store.unit_id)
    if item.organisation_id != top_id(store.unit_id):
        raise ValidationFailed(_("The supply is not in this organisation's catalogue."))
    if not 0 <= minimum <= 10**8:
        raise ValidationFailed(_("Give a minimum of zero or more."), fields={"minimum": [_("Zero or more.")]})
    stock = stock_for(store, item, lock=True)
    before = stock.minimum
    stock.minimum = minimum
    stock.save(update_fields=["minimum"])
    audit_record(actor=actor, unit_id=store.unit_id, action="resources.stock.minimum", target=stock,
                 before={"minimum": before}, after={"minimum": minimum})
    return stock
