"""What anchoring the audit chain's head costs: audited writes with the head trigger on and off, and
a full `verify_audit` over the chain.

    DATABASE_URL=... MIGRATE_DATABASE_URL=... .venv/bin/python bench/audit_head.py [--writes 2000]

Runs on a throwaway database as the platform's role; the trigger is switched off and on by the owner
role between rounds (alternating, so both see the same machine load). Each write is one transaction
with one `audit_record`, as a service's change would append it.
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

from common import percentile, throwaway_database  # noqa: E402


def _head_trigger(enabled: bool) -> None:
    from django.db import connection

    from emergency.audit.roles import owner_session

    with owner_session(), connection.cursor() as cursor:
        state = "ENABLE" if enabled else "DISABLE"
        cursor.execute(f"ALTER TABLE audit_auditentry {state} TRIGGER audit_auditentry_head")


def _catch_up_head() -> None:
    """The rounds without the trigger left the head behind: move it (forward) to the chain's end."""
    from django.db import connection

    from emergency.audit.roles import owner_session

    with owner_session(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_audithead SET entries = (SELECT count(*) FROM audit_auditentry), "
                       "(last_entry_id, last_hash) = (SELECT id, hash FROM audit_auditentry ORDER BY id DESC LIMIT 1)")


def _writes(unit, count: int) -> list[float]:
    from django.db import transaction

    from emergency.audit.services import audit_record

    latencies = []
    for n in range(count):
        started = time.perf_counter()
        with transaction.atomic():
            audit_record(actor=None, unit_id=unit.pk, action="bench.touch", target=unit, after={"n": n})
        latencies.append(time.perf_counter() - started)
    return latencies


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--writes", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=10)
    args = parser.parse_args()
    with throwaway_database("bench_audit_head"):
        from emergency.audit.services import audit_chain_report
        from emergency.org.models import OrgUnit

        unit = OrgUnit.objects.create(code="bench", name="基准单位", name_en="Bench")
        timings: dict[bool, list[float]] = {True: [], False: []}
        per_round = args.writes // args.rounds
        for round_number in range(args.rounds * 2):
            enabled = round_number % 2 == 0
            _head_trigger(enabled)
            timings[enabled] += _writes(unit, per_round)
        _head_trigger(True)
        _catch_up_head()
        for enabled, label in ((False, "without head trigger"), (True, "with head trigger")):
            ms = [x * 1000 for x in timings[enabled]]
            print(f"audited write {label:<22} n={len(ms)}  p50 {percentile(ms, 50):6.2f} ms  "
                  f"p95 {percentile(ms, 95):6.2f} ms  mean {sum(ms) / len(ms):6.2f} ms")
        ratio = sum(timings[True]) / sum(timings[False])
        print(f"with / without: {ratio:.2f}x mean write time")
        started = time.perf_counter()
        report = audit_chain_report()
        elapsed = time.perf_counter() - started
        print(f"verify over {report.entries_checked} entries: {elapsed * 1000:.0f} ms "
              f"({report.entries_checked / elapsed:,.0f} entries/s); {report.reason or 'intact'}")


if __name__ == "__main__":
    main()
