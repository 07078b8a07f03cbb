"""Server time and queries of the dashboard's state document at a command centre's real size.

    DATABASE_URL=... REDIS_URL=... .venv/bin/python bench/state.py [--incidents 10000] [--loads 50]

On a throwaway database: a city with 10 counties, `--incidents` incidents this year of which
`--active` are active, `--clocks` open reporting deadlines, `--warnings` warnings in force,
`--responses` responses and `--standbys` teams on standby for the warnings. Then a commander's `GET /api/v1/dashboard/state/` through Django's test
client (the whole request: session, scope, selectors, JSON): the first load after a change that
leaves this year's figures as they were, after one that moves them (figures recomputed), and loads
with nothing changed since."""
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

from common import percentile, throwaway_database  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--incidents", type=int, default=10_000)
    parser.add_argument("--active", type=int, default=200)
    parser.add_argument("--clocks", type=int, default=500)
    parser.add_argument("--warnings", type=int, default=50)
    parser.add_argument("--responses", type=int, default=2_000)
    parser.add_argument("--standbys", type=int, default=500)
    parser.add_argument("--loads", type=int, default=50)
    args = parser.parse_args()
    with throwaway_database("bench_state"):
        from django.core.cache import cache
        from django.db import connection
        from django.test import Client
        from django.test.utils import CaptureQueriesContext

        from emergency.live import publish
        from emergency.org.models import OrgUnit, RoleAssignment, User
        from emergency.org.roles import Role
        from incidents.grading.loader import ensure_defaults
        from tests.dashboard_data import dashboard_seed

        ensure_defaults()
        cache.clear()
        city = OrgUnit.objects.create(code="bench-city", name="基准市", name_en="Bench City", kind=OrgUnit.Kind.CITY)
        counties = [OrgUnit.objects.create(code=f"bench-c{n}", name=f"基准县{n}", name_en=f"County {n}",
                                           parent=city, kind=OrgUnit.Kind.COUNTY) for n in range(10)]
        dashboard_seed(city=city, counties=counties, incidents=args.incidents, active=args.active,
                       clocks=args.clocks, warnings=args.warnings, responses=args.responses,
                       standbys=args.standbys)
        commander = User.objects.create(username="bench-commander", password="!")
        RoleAssignment.objects.create(user=commander, unit=city, role=Role.COMMANDER)
        client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
        client.force_login(commander)
        print(f"{args.incidents} incidents ({args.active} active), {args.clocks} clocks, {args.warnings} warnings, "
              f"{args.responses} responses, {args.standbys} teams on standby for the warnings")

        def load(label: str, before=None) -> None:
            times, cpu, sql, queries = [], [], [], 0
            for _ in range(args.loads):
                if before:
                    before()
                with CaptureQueriesContext(connection) as captured:
                    started, used = time.perf_counter(), time.process_time()
                    response = client.get("/api/v1/dashboard/state/")
                    times.append((time.perf_counter() - started) * 1000)
                    cpu.append((time.process_time() - used) * 1000)
                assert response.status_code == 200, response.status_code
                queries = len(captured)
                sql.append(sum(float(q["time"]) for q in captured.captured_queries) * 1000)
            body = response.json()
            # On a shared machine the wall time counts the waits for a core; the CPU time of this
            # process (Python) plus the queries' time is what serving it costs.
            print(f"{label:<34} wall p50 {percentile(times, 50):6.1f} ms p99 {percentile(times, 99):6.1f} ms | "
                  f"Python CPU p50 {percentile(cpu, 50):5.1f} ms + SQL p50 {percentile(sql, 50):5.1f} ms | "
                  f"{queries} queries  {len(body['incidents'])} incidents {len(body['deadlines'])} clocks "
                  f"{len(body['warnings'])} warnings  {len(response.content) // 1024} KiB")

        def change() -> None:  # a change that cannot move this year's figures (a clock, an order, a title)
            publish(event="incident.updated", unit_id=counties[0].pk, data={"title": "x"})

        def graded() -> None:  # one that can: the figures are recomputed too
            publish(event="incident.graded", unit_id=counties[0].pk, data={"title": "x"})

        load("after each change", change)
        load("after each change of the figures", graded)
        load("nothing changed since")


if __name__ == "__main__":
    main()
