"""The duty log of one incident with 2,000 audit entries and 500 free-text entries.

    .venv/bin/python bench/run.py bench/duty_log.py [--audit 2000] [--entries 500] [--calls 20]

On a throwaway database: loads the Guigang demo organisation, logs one incident, starts a level-2
response with its command post, gives the lead department orders (half acknowledged) through the
services, fills the rest of `--audit` entries about the incident's report through the audit chain
itself, and has the duty officer write `--entries` entries (every tenth a correction). Then times,
in process (Django's test client, signed in): the duty-log page (first page of 100, and filtered to
the free-text entries), the API's first page, the whole log as CSV and as PDF; prints p50/p95 and
the queries of each. Baseline in the same run: the two bare ORM reads the timeline is made of.
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
from inbox import counting  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--audit", type=int, default=2000)
    parser.add_argument("--entries", type=int, default=500)
    parser.add_argument("--calls", type=int, default=20)
    args = parser.parse_args()
    with throwaway_database("bench_dutylog"):
        run(args)


def setup(args):
    from datetime import timedelta

    from django.db import transaction
    from django.utils import timezone

    from emergency.audit.models import AuditEntry
    from emergency.audit.services import audit_record
    from emergency.org.demo import DEMO_DIR, load_organisation
    from emergency.org.models import OrgUnit, User
    from incidents import services as incident_services
    from incidents.grading.loader import ensure_defaults
    from incidents.response import command, dutylog, services

    ensure_defaults()
    with transaction.atomic():
        load_organisation(DEMO_DIR / "guigang_city.yaml", prefix="gg")
    county = OrgUnit.objects.get(code="gg-gangbei")
    lead, commander = User.objects.get(username="gg-lead"), User.objects.get(username="gg-commander")
    duty = User.objects.get(username="gg-duty")
    department = lead.role_assignments.get().department
    now = timezone.now()
    incident = incident_services.incident_log(
        actor=duty, unit=county, type_code="work_safety", title="基准事件", address="港北区",
        occurred_at=now - timedelta(hours=6), received_at=now - timedelta(hours=6), body="首报",
        metrics={"deaths": 3}, lead_department=department)
    proposal = services.proposal_create(actor=lead, incident=incident, level=2, reasons="二级")
    response = services.proposal_decide(actor=commander, proposal=proposal, outcome="approved").response
    command.post_open(actor=commander, response=response, name="现场指挥部", location="港北区")
    for n in range(min(200, args.audit // 10)):
        order = command.order_issue(actor=commander, response=response, department=department, text=f"指令{n}")
        if n % 2:
            command.order_update(actor=lead, order=order, status="acknowledged")
    report = incident.reports.get()
    about = AuditEntry.objects.filter(object_type__in=["incidents.incident", "incidents.incidentreport",
                                                       "response.order", "response.response",
                                                       "response.proposal", "response.decision",
                                                       "response.commandpost", "incidents.reportingdeadline"])
    with transaction.atomic():
        for n in range(args.audit - about.count()):
            audit_record(actor=duty, unit_id=county.pk, action="incident.report", target=report,
                         after={"n": n, "body": "续报" * 10})
    written = []
    for n in range(args.entries):
        corrects = written[-1] if n % 10 == 9 else None
        written.append(dutylog.duty_log_write(actor=duty, incident=incident, text=f"值班记录{n}：" + "现场情况" * 8,
                                              happened_at=now - timedelta(minutes=args.entries - n),
                                              corrects=corrects))
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE audit_auditentry; ANALYZE response_dutylogentry")
    return duty, incident, about.count()


def run(args) -> None:
    from django.conf import settings
    from django.core.signals import request_finished
    from django.db import close_old_connections
    from django.test import Client

    from emergency.audit.models import AuditEntry
    from incidents.response.dutylog_models import DutyLogEntry

    settings.ALLOWED_HOSTS = ["*"]
    settings.STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    started = time.perf_counter()
    duty, incident, audited = setup(args)
    print(f"set up in {time.perf_counter() - started:.1f} s: {audited} audit entries about the incident "
          f"({AuditEntry.objects.count()} in the chain), {DutyLogEntry.objects.filter(incident=incident).count()} "
          "log entries")
    request_finished.disconnect(close_old_connections)  # as in tests: one connection, its queries counted
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(duty)

    def measure(label: str, call, calls: int = args.calls) -> float:
        call()  # warm
        with counting() as queries:
            answer = call()
        assert getattr(answer, "status_code", 200) == 200, (label, answer)
        times = []
        for _ in range(calls):
            begun = time.perf_counter()
            call()
            times.append((time.perf_counter() - begun) * 1000)
        size = f"   {len(answer.content) // 1024} KiB" if hasattr(answer, "content") else ""
        print(f"{label:<48} p50 {percentile(times, 50):8.2f} ms   p95 {percentile(times, 95):8.2f} ms"
              f"   {queries[0]} queries{size}")
        return percentile(times, 50)

    base = f"/incidents/{incident.pk}/duty-log/"
    bare = measure("baseline: bare ORM reads (audit rows + entries)", lambda: (
        list(AuditEntry.objects.filter(object_type="incidents.incidentreport").select_related("actor", "unit")),
        list(DutyLogEntry.objects.filter(incident=incident).select_related("author", "unit"))))
    page = measure("GET duty-log page (first 100)", lambda: client.get(base))
    measure("GET duty-log page ?kind=entry", lambda: client.get(base + "?kind=entry"))
    measure("GET /api/v1/incidents/<id>/duty-log/", lambda: client.get(f"/api/v1/incidents/{incident.pk}/duty-log/"))
    csv = measure("GET duty-log/document.csv (whole log)", lambda: client.get(base + "document.csv"))
    measure("GET duty-log/document.pdf (whole log)", lambda: client.get(base + "document.pdf"), calls=3)
    print(f"ratio page/bare reads: {page / bare:.1f}x, CSV/bare reads: {csv / bare:.1f}x")


if __name__ == "__main__":
    main()
