"""Where one duty officer's incident log spends its time in the web process: the API request
`POST /api/v1/incidents/` run in-process (DRF's test client, token auth) `--n` times, with its
query count and a cProfile of the Python time.

    .venv/bin/python bench/run.py bench/write_profile.py [--n 200]
"""
from __future__ import annotations

import argparse
import cProfile
import os
import pstats
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
    parser.add_argument("--n", type=int, default=200)
    parser.add_argument("--top", type=int, default=35)
    parser.add_argument("--callees", default="", help="print what these functions call (a pstats pattern)")
    parser.add_argument("--plain", action="store_true", help="no cProfile: wall times only (or for py-spy)")
    parser.add_argument("--queries", action="store_true", help="time each statement of a write (no cProfile)")
    args = parser.parse_args()
    with throwaway_database():
        from django.db import connection
        from django.utils import timezone
        from rest_framework.authtoken.models import Token
        from rest_framework.test import APIClient

        from emergency.org.models import OrgUnit, RoleAssignment, User
        from emergency.org.roles import Role
        from incidents.grading.loader import ensure_defaults

        ensure_defaults()
        city = OrgUnit.objects.create(code="p-city", name="基准市", name_en="City", kind=OrgUnit.Kind.CITY)
        county = OrgUnit.objects.create(code="p-c", name="基准县", name_en="County", parent=city, kind=OrgUnit.Kind.CITY)
        user = User.objects.create(username="officer", password="!")
        RoleAssignment.objects.create(user=user, unit=county, role=Role.DUTY_OFFICER)
        client = APIClient(HTTP_HOST="localhost")
        client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")

        def log(i: int):
            now = timezone.now().isoformat()
            response = client.post("/api/v1/incidents/", {
                "unit": county.pk, "type": "work_safety", "title": f"基准事件{i}", "address": "现场",
                "occurred_at": now, "received_at": now, "body": "首报", "metrics": {"deaths": 1}}, format="json")
            assert response.status_code == 201, response.content[:300]

        for i in range(20):
            log(i)  # warm
        queries: list[str] = []  # (the request's start resets Django's own query log)

        def counted(execute, sql, params, many, context):
            queries.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(counted):
            log(20)
        if args.queries:
            return _time_statements(log, connection, args.n)
        times = []
        profile = cProfile.Profile()
        for i in range(args.n):
            start = time.perf_counter()
            if not args.plain:
                profile.enable()
            log(100 + i)
            if not args.plain:
                profile.disable()
            times.append((time.perf_counter() - start) * 1000)
        print(f"POST /api/v1/incidents/: {len(queries)} queries, wall p50 {percentile(times, 50):.1f} ms "
              f"p95 {percentile(times, 95):.1f} ms ({'no profiler' if args.plain else 'with the profiler on'})")
        if args.plain:
            return
        stats = pstats.Stats(profile).sort_stats("cumulative")
        if args.callees:
            stats.print_callees(args.callees)
        else:
            stats.print_stats(args.top)


def _time_statements(log, connection, n: int) -> None:
    """Each statement of the write in order, its median time over `n` writes (client side: the
    round trip and PostgreSQL's work)."""
    runs: list[list[tuple[str, float]]] = []

    def timed(execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            runs[-1].append((sql, (time.perf_counter() - start) * 1000))

    with connection.execute_wrapper(timed):
        for i in range(n):
            runs.append([])
            log(1000 + i)
    width = min(len(run) for run in runs)
    total = 0.0
    for position in range(width):
        median = percentile([run[position][1] for run in runs], 50)
        total += median
        print(f"{median:6.2f} ms  {' '.join(runs[-1][position][0].split())[:150]}")
    print(f"{total:6.2f} ms in {width} statements (medians)")


if __name__ == "__main__":
    main()
