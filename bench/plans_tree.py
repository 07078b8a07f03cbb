"""Time and queries to render the plan tree page and its API with 5,000 plans across 300 units.

    DATABASE_URL=... REDIS_URL=... .venv/bin/python bench/plans_tree.py [--plans 5000] [--units 300]

On a throwaway database: one top unit with its counties and townships, a general plan per unit
and special plans under them (bulk-inserted), a plan administrator of the top unit. Renders the
tree page (whole tree, and filtered to one unit) and the API's first pages, counting queries.
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.append(str(Path(__file__).resolve().parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "emergency.settings")

from common import throwaway_database  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--plans", type=int, default=5000)
    parser.add_argument("--units", type=int, default=300)
    args = parser.parse_args()
    with throwaway_database():
        run(args)


def run(args) -> None:
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from emergency.org.models import OrgUnit, RoleAssignment, User
    from plans.models import Plan

    settings.ALLOWED_HOSTS = ["*"]
    settings.STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    top = OrgUnit.objects.create(code="b", name="基准市", kind="city")
    counties = OrgUnit.objects.bulk_create(OrgUnit(code=f"b-{n}", name=f"县{n}", kind="county", parent=top)
                                           for n in range(19))
    towns = OrgUnit.objects.bulk_create(
        OrgUnit(code=f"b-{n}-{m}", name=f"乡{n}-{m}", kind="township", parent=counties[n % 19])
        for n in range(args.units - 20) for m in [n])
    units = [top, *counties, *towns]
    admin = User.objects.create(username="bench-admin")
    RoleAssignment.objects.create(user=admin, unit=top, role="plan_admin")
    generals = Plan.objects.bulk_create(Plan(unit=u, plan_type="general", title=f"{u.name}总体应急预案",
                                             created_by=admin, parent=None) for u in units)
    by_unit = {p.unit_id: p for p in generals}
    for plan in generals[1:]:
        plan.parent = by_unit[plan.unit.parent_id]
    Plan.objects.bulk_update(generals[1:], ["parent"])
    specials = args.plans - len(generals)
    Plan.objects.bulk_create(Plan(unit=units[n % len(units)], plan_type="special", title=f"专项应急预案{n}",
                                  created_by=admin, parent=by_unit[units[n % len(units)].pk]) for n in range(specials))
    print(f"{Plan.objects.count()} plans across {len(units)} units")
    client = Client()
    client.force_login(admin)
    for label, url in (("tree page, whole tree", "/plans/"), ("tree page, one county", f"/plans/?unit={counties[0].pk}"),
                       ("API, first page (50)", "/api/v1/plans/"),
                       ("API, page of 500", "/api/v1/plans/?page_size=500")):
        client.get(url)  # warm
        timings = []
        for _ in range(5):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                response = client.get(url)
                timings.append(time.perf_counter() - started)
            assert response.status_code == 200
        timings.sort()
        print(f"{label:<24} median {timings[2] * 1000:8.1f} ms   {len(queries.captured_queries)} queries"
              f"   {len(response.content) // 1024} KiB")


if __name__ == "__main__":
    main()
