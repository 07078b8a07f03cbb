"""Resources at a city's size: the nearest-first query at 5,000 resources (bounding box + haversine
against a full haversine scan of the same rows), the round trip of a request through dispatch and
return over the API, and the inventory page's cost at 5,000 items.

    .venv/bin/python bench/resources.py [--resources 5000] [--queries 300] [--trips 30]

Starts the embedded PostgreSQL and Redis of this checkout (var/) unless DATABASE_URL / REDIS_URL
are set, and runs on a throwaway database (created and dropped here) as the platform's role.
Goal: nearest p95 < 100 ms at 5,000 resources; the inventory page's queries the same on page 1
and page 50."""
from __future__ import annotations

import argparse
import os
import random
import sys
import time
from contextlib import ExitStack
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.append(str(Path(__file__).resolve().parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "emergency.settings")
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from common import percentile, throwaway_database  # noqa: E402

# Guigang and its neighbours: where the demo city's resources lie.
SOUTH, NORTH, WEST, EAST = 22.6, 23.9, 109.0, 110.6


def _seed(n: int):
    """n resources of one organisation: 40% teams, 30% stores (each with 3 supplies), 30% equipment."""
    from django.db import transaction
    from django.utils import timezone

    from emergency.org.models import OrgUnit, RoleAssignment, User
    from emergency.org.roles import Role
    from resources.models import (ApprovalRule, Batch, Equipment, Stock, StockMovement, Store, SupplyItem, Team)

    rng = random.Random(17)
    with transaction.atomic():
        top = OrgUnit.objects.create(code="bench-city", name="贵港市", kind="city")
        counties = [OrgUnit.objects.create(code=f"bench-c{i}", name=f"县{i}", kind="county", parent=top)
                    for i in range(5)]
        keeper = User.objects.create(username="bench-keeper", full_name="值班员")
        approver = User.objects.create(username="bench-commander", full_name="指挥长")
        requester = User.objects.create(username="bench-town", full_name="乡镇值班员")
        RoleAssignment.objects.create(user=keeper, unit=top, role=Role.DUTY_OFFICER)
        RoleAssignment.objects.create(user=approver, unit=top, role=Role.COMMANDER)
        RoleAssignment.objects.create(user=requester, unit=counties[0], role=Role.DUTY_OFFICER)
        for kind in ApprovalRule.Kind.values:
            ApprovalRule.objects.create(organisation=top, kind=kind, approver_roles=[Role.COMMANDER])
        items = [SupplyItem.objects.create(organisation=top, code=f"s{i}", name=f"物资{i}", category="living",
                                           unit_of_measure="件") for i in range(6)]
        units = [top, *counties]

        def place():
            return {"latitude": rng.uniform(SOUTH, NORTH), "longitude": rng.uniform(WEST, EAST),
                    "unit": rng.choice(units)}

        Team.objects.bulk_create([Team(name=f"队伍{i}", kind="professional", **place()) for i in range(n * 4 // 10)])
        Equipment.objects.bulk_create([Equipment(name=f"装备{i}", kind="pump", **place())
                                       for i in range(n * 3 // 10)])
        stores = Store.objects.bulk_create([Store(name=f"储备点{i}", **place()) for i in range(n * 3 // 10)])
        stock = Stock.objects.bulk_create([Stock(store=s, item=item) for s in stores for item in rng.sample(items, 3)])
        batches = Batch.objects.bulk_create([Batch(stock=s, code="B1") for s in stock])
        now = timezone.now()
        StockMovement.objects.bulk_create([StockMovement(stock=b.stock, batch=b, change=1000, balance=1000,
                                                         reason="receipt", at=now, actor=keeper) for b in batches])
        Stock.objects.filter(pk__in=[s.pk for s in stock[::5]]).update(minimum=2000)  # a fifth below minimum
    return top, counties, keeper, approver, requester, items


def _nearest(rng, items, queries: int, *, boxed: bool) -> list[float]:
    from resources import selectors

    if not boxed:  # the baseline: the same haversine over every row (the box as wide as the region)
        radius = 5000.0
    else:
        radius = 50.0
    times = []
    for n in range(queries):
        at = {"latitude": rng.uniform(SOUTH, NORTH), "longitude": rng.uniform(WEST, EAST)}
        kind = ("team", "equipment", "store")[n % 3]
        started = time.perf_counter()
        selectors.nearest(user=None, organisation_unit_ids=None, kind=kind, radius_km=radius, limit=20,
                          item_id=items[n % len(items)].pk if kind == "store" else None, **at)
        times.append(time.perf_counter() - started)
    return times


def _line(label: str, seconds: list[float]) -> None:
    ms = [s * 1000 for s in seconds]
    print(f"{label:<46} p50 {percentile(ms, 50):7.2f} ms   p95 {percentile(ms, 95):7.2f} ms   "
          f"max {max(ms):7.2f} ms   (n={len(ms)})")


def _trips(counties, keeper, approver, requester, items, trips: int) -> None:
    """Request → approve → dispatch → en route → arrived → in use → returned, over the API."""
    from django.utils import timezone
    from rest_framework.test import APIClient

    from incidents.grading.loader import ensure_defaults
    from incidents.models import Incident
    from resources.models import Stock

    ensure_defaults()
    from incidents import services as incident_services
    from emergency.org.models import RoleAssignment
    from emergency.org.roles import Role

    RoleAssignment.objects.get_or_create(user=requester, unit=counties[0], role=Role.LEAD_OFFICER)
    now = timezone.now()
    incident = incident_services.incident_log(actor=requester, unit=counties[0], type_code="flood_drought",
                                              title="山洪", address="镇区", occurred_at=now, received_at=now,
                                              body="首报", latitude="23.2", longitude="109.6")
    assert Incident.objects.filter(pk=incident.pk).exists()
    clients = {}
    for user in (keeper, approver, requester):
        clients[user.pk] = APIClient(HTTP_ACCEPT_LANGUAGE="en")
        clients[user.pk].force_authenticate(user)
    stock = Stock.objects.filter(item=items[0], quantity__gte=1000, store__unit=counties[0].parent).first() \
        or Stock.objects.filter(item=items[0], quantity__gte=1000).first()
    steps: dict[str, list[float]] = {}

    def call(user, label, url, body):
        started = time.perf_counter()
        response = clients[user.pk].post(url, body, format="json")
        steps.setdefault(label, []).append(time.perf_counter() - started)
        assert response.status_code in (200, 201), (label, response.status_code, response.content[:300])
        return response.json()

    for _n in range(trips):
        made = call(requester, "request", "/api/v1/resources/requests/", {
            "incident": incident.pk, "kind": "supply", "item": items[0].pk, "holding_unit": stock.store.unit_id,
            "quantity": 5, "reason": "安置"})
        url = f"/api/v1/resources/requests/{made['id']}/"
        call(approver, "approve", url + "decide/", {"approve": True})
        call(keeper, "dispatch", url + "advance/", {"state": "dispatched", "store": stock.store_id})
        call(keeper, "en route", url + "advance/", {"state": "en_route"})
        call(requester, "arrived", url + "advance/", {"state": "arrived"})
        call(requester, "in use", url + "advance/", {"state": "in_use"})
        call(keeper, "returned", url + "advance/", {"state": "returned", "quantity": 5})
    for label, seconds in steps.items():
        _line(f"API {label}", seconds)
    totals = [sum(step[i] for step in steps.values()) for i in range(trips)]
    _line("whole round trip (7 calls)", totals)
    stock.refresh_from_db()
    print(f"stock after {trips} round trips: {stock.quantity} (started at 1000)")


def _inventory_page(keeper, resources: int) -> None:
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    settings.STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(keeper)
    for tab, last in (("teams", resources * 4 // 10 // 50), ("stores", resources * 3 // 10 // 50)):
        for page in (1, last):
            times = []
            for _n in range(10):
                with CaptureQueriesContext(connection) as queries:
                    started = time.perf_counter()
                    response = client.get(f"/resources/?tab={tab}&page={page}")
                    times.append(time.perf_counter() - started)
                assert response.status_code == 200
            _line(f"inventory page {tab} p{page} ({len(queries)} queries)", times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--resources", type=int, default=5000)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--trips", type=int, default=30)
    args = parser.parse_args()
    from emergency import embedded

    with ExitStack() as stack:
        if not os.environ.get("DATABASE_URL"):
            os.environ.update(stack.enter_context(embedded.embedded_postgres(ROOT / "var" / "pg")))
        if not os.environ.get("REDIS_URL"):
            os.environ["REDIS_URL"] = stack.enter_context(embedded.embedded_redis(ROOT / "var" / "bench-redis",
                                                                                   persistent=False))
        os.environ.setdefault("CELERY_TASK_ALWAYS_EAGER", "false")
        with throwaway_database("bench_resources"):
            run(args)


def run(args) -> None:
    started = time.perf_counter()
    top, counties, keeper, approver, requester, items = _seed(args.resources)
    print(f"seeded {args.resources} resources in {time.perf_counter() - started:.1f} s")
    rng = random.Random(5)
    _nearest(rng, items, 30, boxed=True)  # warm up
    boxed = _nearest(random.Random(7), items, args.queries, boxed=True)
    full = _nearest(random.Random(7), items, args.queries, boxed=False)
    _line(f"nearest 20 within 50 km (box + haversine), {args.resources}", boxed)
    _line(f"nearest 20, haversine over every row, {args.resources}", full)
    print(f"box/full p50 ratio: {percentile(boxed, 50) / percentile(full, 50):.2f}")
    _trips(counties, keeper, approver, requester, items, args.trips)
    _inventory_page(keeper, args.resources)


if __name__ == "__main__":
    main()
