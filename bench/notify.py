"""Time to deliver one warning to 5,000 recipients over the webhook channel against a local HTTP
server, and the same number of plain HTTP POSTs with the raw client alone for comparison.

    DATABASE_URL=... REDIS_URL=... .venv/bin/python bench/notify.py [--recipients 5000]

In process on a throwaway database: `notification_send` (rows for the in-app notifications and
their deliveries), then `deliver` over all deliveries with one keep-alive session, as a worker does.
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
    parser.add_argument("--recipients", type=int, default=5000)
    args = parser.parse_args()
    with throwaway_database():
        run(args)


def run(args) -> None:
    import requests
    from django.conf import settings

    sys.path.insert(0, str(ROOT / "tests"))
    from gateway import Gateway

    from emergency.notify.delivery import deliver
    from emergency.notify.models import Delivery
    from emergency.notify.services import notification_send
    from emergency.org.models import User

    gateway = Gateway()
    settings.NOTIFY_WEBHOOK_URL = gateway.url
    users = User.objects.bulk_create(User(username=f"r{n}", phone=f"138{n:08d}") for n in range(args.recipients))
    started = time.perf_counter()
    notification_send(recipient_ids=[u.pk for u in users], kind="warning", title="红色预警：郁江洪水",
                      source_key="bench:1")
    planned = time.perf_counter() - started
    ids = list(Delivery.objects.values_list("pk", flat=True))
    started = time.perf_counter()
    deliver(ids, session=requests.Session())
    delivered = time.perf_counter() - started
    assert len(gateway.delivered) == args.recipients, len(gateway.delivered)
    session = requests.Session()
    started = time.perf_counter()
    for n in range(args.recipients):
        session.post(gateway.url, data=b'{"to": "x"}', headers={"Idempotency-Key": f"raw-{n}"}, timeout=5)
    raw = time.perf_counter() - started
    print(f"{args.recipients} recipients: notifications and deliveries planned in {planned:.2f} s")
    print(f"webhook delivery (row lock, sign, POST, record): {delivered:.2f} s = {args.recipients / delivered:.0f}/s")
    print(f"raw HTTP client, same POSTs:                    {raw:.2f} s = {args.recipients / raw:.0f}/s")
    print(f"ratio platform/raw time: {delivered / raw:.2f}x (one worker process; workers scale it out)")
    gateway.close()


if __name__ == "__main__":
    main()
