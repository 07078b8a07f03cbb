"""The SMS/broadcast gateway behind the webhook is down for five minutes while warnings keep going
out; then it recovers. Nothing may be lost (failed) and nothing sent twice; prints how long after
the recovery the last copy went out (the retry backoff decides it).

    DATABASE_URL=... REDIS_URL=... .venv/bin/python bench/faults/gateway_outage.py [--minutes 5]

Production retry settings by default (NOTIFY_BACKOFF_SECONDS 5, sweep every 5 s). The short version
runs in CI: tests/test_faults.py::test_a_gateway_outage_loses_nothing_and_sends_nothing_twice.
"""
from __future__ import annotations

import argparse

from throwaway import on_throwaway_database


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--minutes", type=float, default=5.0)
    parser.add_argument("--batches", type=int, default=30, help="warnings sent at even intervals during the outage")
    parser.add_argument("--recipients", type=int, default=20)
    parser.add_argument("--backoff", type=float, default=5.0, help="NOTIFY_BACKOFF_SECONDS of the worker")
    parser.add_argument("--sweep", type=float, default=5.0, help="TIMERS_SWEEP_SECONDS of the worker")
    args = parser.parse_args()

    def run() -> bool:
        from tests.fault_scenarios import gateway_outage

        figures = gateway_outage(outage=args.minutes * 60, batches=args.batches, recipients=args.recipients,
                                 backoff=args.backoff, sweep=args.sweep)
        print(figures.summary())
        return (figures.delivered_keys == figures.sent == figures.deliveries
                and figures.failed == 0 and figures.repeats == 0)

    return on_throwaway_database(run)


if __name__ == "__main__":
    raise SystemExit(main())
