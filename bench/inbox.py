"""The notification inbox of one person with 10,000 notifications.

    DATABASE_URL=... REDIS_URL=... .venv/bin/python bench/inbox.py [--notifications 10000] [--orders 200] [--calls 100]

On a throwaway database: loads the Guigang demo organisation, opens one level-2 response whose
command gives the lead department `--orders` orders (half of them acknowledged again), and gives
the lead-department officer `--notifications` notifications in all (a third unread), plus 10,000
of other people's. Then times, in process (Django's test client, session signed in), the inbox page
`/notifications/`, `GET /api/v1/notifications/` (first page, and filtered to unread / to act on /
one incident), and the bell's `GET /api/v1/notifications/counts/`; prints p50/p95 and the queries
of each. Baseline in the same run: the bare `Notification` list of the same page (no "to act on").
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.append(str(Path(__file__).resolve().parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "emergency.settings")

from common import percentile, throwaway_database  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--notifications", type=int, default=10_000)
    parser.add_argument("--orders", type=int, default=200)
    parser.add_argument("--calls", type=int, default=100)
    args = parser.parse_args()
    with throwaway_database():
        run(args)


def setup(args):
    from datetime import timedelta

    from django.db import transaction
    from django.utils import timezone

    from emergency.notify.models import Notification
    from emergency.org.demo import DEMO_DIR, load_organisation
    from emergency.org.models import OrgUnit, User
    from incidents import services as incident_services
    from incidents.grading.loader import ensure_defaults
    from incidents.response import command, services

    ensure_defaults()
    with transaction.atomic():
        load_organisation(DEMO_DIR / "guigang_city.yaml", prefix="gg")
    county = OrgUnit.objects.get(code="gg-gangbei")
    lead, commander = User.objects.get(username="gg-lead"), User.objects.get(username="gg-commander")
    duty = User.objects.get(username="gg-duty")
    department = lead.role_assignments.get().department
    now = timezone.now()
    incident = incident_services.incident_log(
        actor=duty, unit=county, type_code="work_safety", title="基准事件", address="港北区", occurred_at=now,
        received_at=now, body="首报", metrics={"deaths": 3}, lead_department=department)
    proposal = services.proposal_create(actor=lead, incident=incident, level=2, reasons="二级")
    response = services.proposal_decide(actor=commander, proposal=proposal, outcome="approved").response
    command.post_open(actor=commander, response=response, name="现场指挥部", location="港北区")
    for n in range(args.orders):
        order = command.order_issue(actor=commander, response=response, department=department, text=f"指令{n}")
        if n % 2:
            command.order_update(actor=lead, order=order, status="acknowledged")
    made = Notification.objects.filter(recipient=lead).count()
    others = list(User.objects.exclude(pk=lead.pk).values_list("pk", flat=True))
    kinds = ["incident", "warning", "incidents.deadline.remind", "plans.drill.remind", "notify.reminder"]
    rows = [Notification(recipient_id=lead.pk, unit_id=county.pk, kind=kinds[n % len(kinds)], title=f"通知{n}",
                         body="正文" * 20, link=f"/incidents/{incident.pk}/" if n % 7 == 0 else "",
                         source_key=f"bench:{n}", read_at=None if n % 3 == 0 else now - timedelta(minutes=1))
            for n in range(args.notifications - made)]
    rows += [Notification(recipient_id=others[n % len(others)], kind="incident", title=f"他人{n}",
                          source_key=f"bench-other:{n}") for n in range(10_000)]
    Notification.objects.bulk_create(rows, batch_size=2000)
    Notification.objects.filter(source_key__startswith="bench").update(
        created_at=now - timedelta(seconds=1))  # older than the orders' own
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE notify_notification")
    return lead, incident


@contextmanager
def counting():
    """Count the SQL statements run meanwhile on any connection of any thread."""
    from django.db.backends import utils

    found = [0]
    original = utils.CursorWrapper.execute

    def execute(self, *args, **kwargs):
        found[0] += 1
        return original(self, *args, **kwargs)

    utils.CursorWrapper.execute = execute
    try:
        yield found
    finally:
        utils.CursorWrapper.execute = original


def run(args) -> None:
    from django.test import Client

    from emergency.notify.models import Notification

    started = time.perf_counter()
    lead, incident = setup(args)
    total = Notification.objects.filter(recipient=lead).count()
    print(f"set up in {time.perf_counter() - started:.1f} s: {total} notifications of the officer "
          f"({Notification.objects.filter(recipient=lead, read_at__isnull=True).count()} unread), "
          f"{Notification.objects.count()} in all")
    from django.core.signals import request_finished
    from django.db import close_old_connections

    request_finished.disconnect(close_old_connections)  # as in tests: one connection, its queries counted
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(lead)

    def measure(label: str, call) -> float:
        call()  # warm
        with counting() as queries:
            answer = call()
        assert getattr(answer, "status_code", 200) == 200, (label, answer)
        times = []
        for _ in range(args.calls):
            begun = time.perf_counter()
            call()
            times.append((time.perf_counter() - begun) * 1000)
        print(f"{label:<44} p50 {percentile(times, 50):7.2f} ms   p95 {percentile(times, 95):7.2f} ms"
              f"   {queries[0]} queries")
        return percentile(times, 50)

    base = measure("baseline: bare list of 50 (ORM, no page)",
                   lambda: list(Notification.objects.filter(recipient=lead).order_by("-created_at", "-id")[:50]))
    api = measure("GET /api/v1/notifications/", lambda: client.get("/api/v1/notifications/"))
    measure("GET /api/v1/notifications/?unread=true", lambda: client.get("/api/v1/notifications/?unread=true"))
    measure("GET /api/v1/notifications/?to_act_on=true", lambda: client.get("/api/v1/notifications/?to_act_on=true"))
    measure(f"GET /api/v1/notifications/?incident={incident.pk}",
            lambda: client.get(f"/api/v1/notifications/?incident={incident.pk}"))
    measure("GET /api/v1/notifications/counts/", lambda: client.get("/api/v1/notifications/counts/"))
    page = measure("GET /notifications/ (the inbox page)", lambda: client.get("/notifications/"))
    measure("GET /notifications/?page=100", lambda: client.get("/notifications/?page=100"))
    print(f"ratio API/bare list: {api / base:.1f}x, page/bare list: {page / base:.1f}x")


if __name__ == "__main__":
    main()
