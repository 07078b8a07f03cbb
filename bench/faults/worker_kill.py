"""200 reminders due within the next minute; the Celery worker (with beat) is SIGKILLed half-way
and restarted at once. Every one must fire exactly once, none later than the sweep interval + 5 s.

    DATABASE_URL=... REDIS_URL=... .venv/bin/python bench/faults/worker_kill.py [--duties 200] [--window 60]

The short version runs in CI: tests/test_faults.py::test_a_sigkilled_worker_loses_no_duty_and_fires_none_twice.
"""
from __future__ import annotations

import argparse

from throwaway import on_throwaway_database


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--duties", type=int, default=200)
    parser.add_argument("--window", type=float, default=60.0, help="seconds over which the duties fall due")
    parser.add_argument("--lead", type=float, default=5.0, help="seconds before the first one is due")
    parser.add_argument("--sweep", type=float, default=5.0, help="TIMERS_SWEEP_SECONDS of the worker (production: 5)")
    args = parser.parse_args()

    def run() -> bool:
        from tests.fault_scenarios import worker_killed

        figures = worker_killed(duties=args.duties, lead=args.lead, window=args.window, sweep=args.sweep)
        print(figures.summary())
        return figures.fired_once == figures.duties and figures.max_lateness <= args.sweep + 5

    return on_throwaway_database(run)


if __name__ == "__main__":
    raise SystemExit(main())
