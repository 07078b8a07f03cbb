"""Reads of the resources app, limited to what the user may see: a unit's inventory to the user's
units (their own and their descendants'); requests to those of the incidents and of the holding
units in the user's units; nearest-first lists to the incident's organisation (what may be asked for)."""
from __future__ import annotations

import math
from dataclasses import dataclass

from django.db import connection
from django.db.models import Count, F, Q, QuerySet, Sum

from emergency.org.models import OrgUnit, User
from emergency.org.scope import organisation_units, unit_scope

from .models import (DeliveryPoint, Equipment, RequestStep, ResourceRequest, Shelter, Stock, StockMovement, Store,
                     SupplyItem, Team)

EARTH_RADIUS_KM = 6371.0088


def _visible(user: User) -> list[int]:
    return list(unit_scope(user).visible)


def team_list(*, user: User) -> QuerySet[Team]:
    return Team.objects.filter(unit_id__in=_visible(user)).select_related("unit")


def store_list(*, user: User) -> QuerySet[Store]:
    return (Store.objects.filter(unit_id__in=_visible(user)).select_related("unit")
            .annotate(items=Count("stock", filter=Q(stock__quantity__gt=0)),
                      low=Count("stock", filter=Q(stock__quantity__lt=F("stock__minimum")))))


def equipment_list(*, user: User) -> QuerySet[Equipment]:
    return Equipment.objects.filter(unit_id__in=_visible(user)).select_related("unit")


def shelter_list(*, user: User) -> QuerySet[Shelter]:
    return Shelter.objects.filter(unit_id__in=_visible(user)).select_related("unit")


def supply_items(*, user: User) -> QuerySet[SupplyItem]:
    """The catalogues of the user's organisations."""
    return _organisation(SupplyItem.objects.all(), user, "organisation_id__in")


def _organisation(queryset, user: User, lookup: str = "unit_id__in"):
    units = organisation_units(user)
    return queryset if units is None else queryset.filter(**{lookup: list(units)})


def requestable_units(*, user: User) -> QuerySet[OrgUnit]:
    """Units a request may go to: any of the user's organisations (a superior, a neighbour)."""
    return _organisation(OrgUnit.objects.all(), user, "pk__in")


def requestable_teams(*, user: User) -> QuerySet[Team]:
    return _organisation(Team.objects.select_related("unit"), user)


def requestable_equipment(*, user: User) -> QuerySet[Equipment]:
    return _organisation(Equipment.objects.select_related("unit"), user)


def people_of_units(*, user: User) -> QuerySet[User]:
    """People holding a role in the user's units (participants of their training)."""
    return User.objects.filter(role_assignments__unit_id__in=_visible(user)).distinct()


def stock_of(store: Store) -> QuerySet[Stock]:
    return Stock.objects.filter(store=store).select_related("item").prefetch_related("batches").order_by(
        "item__category", "item__code")


def movements_of(store: Store, *, limit: int = 50) -> QuerySet[StockMovement]:
    return (StockMovement.objects.filter(stock__store=store).select_related("stock__item", "batch", "actor", "step")
            .order_by("-at", "-id")[:limit])


def request_list(*, user: User) -> QuerySet[ResourceRequest]:
    visible = _visible(user)
    return (ResourceRequest.objects.filter(Q(incident__unit_id__in=visible) | Q(holding_unit_id__in=visible))
            .select_related("incident", "incident__unit", "holding_unit", "team", "equipment", "item", "store",
                            "destination", "requested_by"))


def request_steps(request: ResourceRequest) -> QuerySet[RequestStep]:
    return request.steps.select_related("actor", "store").order_by("at", "id")


def points_of(post) -> QuerySet[DeliveryPoint]:
    return (DeliveryPoint.objects.filter(post=post)
            .annotate(arrived=Count("requests", filter=Q(requests__state__in=("arrived", "in_use", "returned",
                                                                             "consumed")))))


def supply_totals(*, user: User) -> dict[int, int]:
    """item id → quantity held in the user's units' stores."""
    rows = (Stock.objects.filter(store__unit_id__in=_visible(user)).values("item_id")
            .annotate(total=Sum("quantity")))
    return {row["item_id"]: row["total"] for row in rows}


@dataclass(frozen=True)
class Nearby:
    kind: str  # "team", "store" or "equipment"
    id: int
    name: str
    unit_id: int
    unit_name: str
    latitude: float
    longitude: float
    distance_km: float
    status: str
    quantity: int | None = None


# A box around the point first (the indexes on latitude, longitude), then the haversine distance of
# what is inside it. `%(extra)s` narrows what is available.
_NEAREST_SQL = """
SELECT r.id, r.name, r.unit_id, u.name, r.latitude, r.longitude,
       2 * %(radius)s * asin(sqrt(power(sin(radians(r.latitude - %(lat)s) / 2), 2)
           + cos(radians(%(lat)s)) * cos(radians(r.latitude)) * power(sin(radians(r.longitude - %(lon)s) / 2), 2)))
           AS distance, {status}, {quantity}
FROM {table} r JOIN org_orgunit u ON u.id = r.unit_id {join}
WHERE r.latitude BETWEEN %(south)s AND %(north)s AND r.longitude BETWEEN %(west)s AND %(east)s
  AND r.unit_id = ANY(%(units)s) {where}
ORDER BY distance LIMIT %(limit)s
"""
_KINDS = {
    "team": {"table": "resources_team", "status": "r.readiness", "quantity": "NULL", "join": "",
             "where": "AND r.readiness IN ('ready', 'standby')"},
    "equipment": {"table": "resources_equipment", "status": "r.status", "quantity": "NULL", "join": "",
                  "where": "AND r.status IN ('available', 'standby')"},
    "store": {"table": "resources_store", "status": "'open'", "quantity": "s.quantity",
              "join": "JOIN resources_stock s ON s.store_id = r.id AND s.item_id = %(item)s",
              "where": "AND s.quantity > 0"},
}


def nearest(*, user: User, organisation_unit_ids: list[int] | None = None, kind: str, latitude: float,
            longitude: float, radius_km: float = 100.0, limit: int = 20, item_id: int | None = None) -> list[Nearby]:
    """Available teams or equipment, or stores holding `item_id`, within `radius_km` of a point,
    nearest first (straight-line distance; no roads)."""
    if kind not in _KINDS or (kind == "store" and item_id is None):
        return []
    units = organisation_unit_ids
    if units is None:
        allowed = organisation_units(user)
        units = list(allowed) if allowed is not None else None
    dlat = math.degrees(radius_km / EARTH_RADIUS_KM)
    dlon = dlat / max(math.cos(math.radians(latitude)), 0.01)
    params = {"radius": EARTH_RADIUS_KM, "lat": latitude, "lon": longitude, "south": latitude - dlat,
              "north": latitude + dlat, "west": longitude - dlon, "east": longitude + dlon, "limit": limit,
              "item": item_id, "units": units}
    sql = _NEAREST_SQL.format(**_KINDS[kind])
    if units is None:
        sql = sql.replace("AND r.unit_id = ANY(%(units)s)", "")
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return [Nearby(kind=kind, id=row[0], name=row[1], unit_id=row[2], unit_name=row[3], latitude=row[4],
                   longitude=row[5], distance_km=round(row[6], 2), status=row[7], quantity=row[8])
            for row in rows if row[6] <= radius_km]
