"""Fault tests: kill or stop what the platform depends on, and check that it keeps its promises.
Each prints one line with what it proved (also listed at the end of the pytest run).

Short versions for CI; bench/faults/ runs the long ones (200 duties due within a minute, a
five-minute gateway outage). Servers that get restarted are ones the test starts itself.
"""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from datetime import datetime, timedelta
from io import StringIO

import pytest
import redis
import requests
from django.conf import settings
from django.core.management import call_command
from django.db import connection, connections
from django.db.models import Count
from django.utils import timezone
from django_celery_beat.models import PeriodicTask
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from emergency.audit.models import AuditEntry
from emergency.dashboard.models import LiveEvent
from emergency.errors import Conflict
from emergency.notify.duties import REMINDER
from emergency.notify.models import Notification
from emergency.org.roles import Role
from emergency.timers.models import TimedDuty
from emergency.timers.services import DutySpec, duties_schedule
from incidents.deadlines import DUE
from incidents.models import ReportingDeadline
from incidents.response import services as response_services
from incidents.response.models import Decision

from . import fault_scenarios
from .factories import PASSWORD, UnitFactory, UserFactory, user_with_role
from .fault_scenarios import sleep_until
from .processes import ROOT, asgi_server, celery_beat, celery_worker, free_port, process_env, wait_for
from .response_helpers import incident_in, lead_officer, organisation
from .servers import own_postgres, own_redis

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def proved(record_property):
    def say(line: str) -> None:
        print(f"\nproved: {line}")
        record_property("proved", line)

    return say


def test_a_sigkilled_worker_loses_no_duty_and_fires_none_twice(proved):
    figures = fault_scenarios.worker_killed(duties=200, lead=3.0, window=6.0, sweep=1.0)
    assert 0 < figures.fired_before_kill < figures.duties  # the kill really fell in the middle
    assert figures.fired_once == figures.duties
    assert figures.max_lateness <= figures.sweep_seconds + 5.0
    proved(figures.summary())


def test_a_gateway_outage_loses_nothing_and_sends_nothing_twice(proved):
    # Eight seconds are five retries of the first copies at this backoff (0.25 s, doubling), and
    # every batch goes out into the outage; bench/faults/gateway_outage.py holds it for minutes.
    figures = fault_scenarios.gateway_outage(outage=8.0, batches=10, recipients=20, backoff=0.25)
    assert figures.deliveries == figures.sent == figures.delivered_keys == 200
    assert figures.failed == 0 and figures.repeats == 0
    assert figures.refused > figures.deliveries  # every delivery was refused at least once, retried
    proved(figures.summary())


def _runs(output: list[str], task: str, outcome: str) -> int:
    """Worker log lines: `Task <task>[id] succeeded in ...` or `Discarding revoked task: <task>[id]`."""
    marker = f"Task {task}[" if outcome == "succeeded" else f"Discarding revoked task: {task}["
    return sum(marker in line and (outcome != "succeeded" or "] succeeded" in line) for line in output)


def test_after_beat_was_down_overdue_duties_fire_once_and_periodic_runs_do_not_stampede(proved):
    sweep_task, env = "emergency.timers.tasks.sweep_duties", {"TIMERS_SWEEP_SECONDS": "1"}
    broker, queue = redis.Redis.from_url(settings.CELERY_BROKER_URL), settings.CELERY_TASK_DEFAULT_QUEUE
    unit, user = UnitFactory(), UserFactory()
    with celery_beat(env=env) as beat:  # beat alone: its runs pile up while no worker listens
        wait_for(lambda: PeriodicTask.objects.filter(name__in=settings.CELERY_BEAT_SCHEDULE).count() == 4)
        time.sleep(4)
        os.killpg(beat.pid, signal.SIGKILL)  # then beat goes down too
        beat.wait()
    backlog = sum(json.loads(m)["headers"]["task"] == sweep_task for m in broker.lrange(queue, 0, -1))
    expiring = PeriodicTask.objects.filter(name__in=settings.CELERY_BEAT_SCHEDULE, expire_seconds__gt=0).count()
    # Thirty minutes pass without beat (moved in the database, not slept): every periodic task is
    # overdue, and so are 100 reminders that were beyond the enqueue horizon when scheduled.
    now = timezone.now()
    PeriodicTask.objects.update(last_run_at=now - timedelta(minutes=30))
    duties = duties_schedule([DutySpec(REMINDER, unit, now + timedelta(days=1), unit.pk, {"user_ids": [user.pk]})
                              for _ in range(100)])
    for n, duty in enumerate(duties):
        duty.due_at = now - timedelta(minutes=30) + n * timedelta(seconds=18)
    TimedDuty.objects.bulk_update(duties, ["due_at"])
    with celery_worker(env=env) as worker:
        wait_for(lambda: broker.llen(queue) == 0, timeout=20)
        time.sleep(0.5)
        backlog_run = _runs(worker.output, sweep_task, "succeeded")
        backlog_dropped = _runs(worker.output, sweep_task, "discarded")
        fired_without_beat = TimedDuty.objects.filter(state=TimedDuty.State.FIRED).count()
        seen, restarted = len(worker.output), time.monotonic()
        with celery_beat(env=env):
            wait_for(lambda: not TimedDuty.objects.filter(state=TimedDuty.State.SCHEDULED).exists(), timeout=30)
            all_fired = time.monotonic() - restarted
            time.sleep(max(0.0, restarted + 5 - time.monotonic()))
            watched = time.monotonic() - restarted
    sweeps = _runs(worker.output[seen:], sweep_task, "succeeded")
    assert expiring == 4  # every periodic task carries an expiry
    assert backlog >= 3 and backlog_run == 0 and backlog_dropped == backlog  # queued runs expired, none ran
    assert fired_without_beat == 0 and fault_scenarios.fired_once([d.pk for d in duties], 1) == 100
    assert sweeps <= watched + 2  # one run a second from the restart on, no catch-up of the 1,800 missed
    proved(f"beat down (30 min, simulated): 100/100 overdue duties fired exactly once, all {all_fired:.1f} s after "
           f"beat's restart; {backlog} sweeps queued while no worker listened: {backlog_dropped} expired, "
           f"{backlog_run} ran; {sweeps} sweeps in the {watched:.0f} s after the restart; {expiring}/4 periodic "
           f"tasks expire")


class Web:
    """HTTP to a web process the test started, as a client would: with a token (the API) or a
    session cookie (the pages), in a language."""

    def __init__(self, port: int, *, token: str = "", session: str = "", language: str = "zh-hans"):
        self.base, self.language = f"http://127.0.0.1:{port}", language
        self.headers = {"Authorization": f"Token {token}"} if token else {}
        self.cookies = {"sessionid": session} if session else {}

    def call(self, method: str, path: str, json_body: dict | None = None, language: str = ""):
        """(the answer, its body in `.body` as JSON or text; seconds it took)"""
        started = time.monotonic()
        answer = requests.request(method, self.base + path, json=json_body, timeout=30, cookies=self.cookies,
                                  headers={**self.headers, "Accept-Language": language or self.language})
        body = answer.json() if answer.headers.get("Content-Type", "").startswith("application/json") else answer.text
        answer.body = body
        return answer, time.monotonic() - started


def _incident(unit_id: int, title: str, *, superior_due_in: float) -> dict:
    """An incident received so that its one-hour report to the superior falls due in `superior_due_in` s."""
    received = timezone.now() - timedelta(seconds=3600 - superior_due_in)
    return {"unit": unit_id, "type": "work_safety", "title": title, "address": "港北区物流园", "body": "首报",
            "occurred_at": received.isoformat(), "received_at": received.isoformat(), "metrics": {"deaths": 1}}


def test_with_redis_down_the_web_serves_and_once_it_is_back_the_sweeper_fires_the_duties(proved, grading_tables):
    city = UnitFactory(code="city", name="贵港市")
    county = UnitFactory(code="county", name="港北区", parent=city)
    officer, superior = user_with_role(Role.DUTY_OFFICER, county), user_with_role(Role.DUTY_OFFICER, city)
    port, tag = free_port(), f"faults-redis-{os.getpid()}"
    with own_redis() as broker:
        env = {"REDIS_URL": broker.url, "CELERY_QUEUE": tag, "CHANNELS_PREFIX": tag, "TIMERS_SWEEP_SECONDS": "1"}
        with asgi_server(port=port, env=env), celery_worker(concurrency=2, beat=True, env=env):
            web = Web(port, token=Token.objects.create(user=officer).key)
            first, _ = web.call("POST", "/api/v1/incidents/", _incident(county.pk, "事故0", superior_due_in=4))
            broker.stop()
            writes, reads = [], []
            for n in range(1, 11):
                incident = _incident(county.pk, f"事故{n}", superior_due_in=3)
                writes.append(web.call("POST", "/api/v1/incidents/", incident))
                reads.append(web.call("GET", "/api/v1/incidents/"))
                reads.append(web.call("GET", f"/api/v1/incidents/{first.body['id']}/"))
            ids = [first.body["id"]] + [answer.body["id"] for answer, _ in writes if answer.status_code == 201]
            due = TimedDuty.objects.filter(kind=DUE, subject_type="incidents.reportingdeadline", subject_id__in=(
                ReportingDeadline.objects.filter(incident__in=ids, kind="superior_report").values("pk")))
            left_for_sweeper = due.filter(enqueued_at__isnull=True).count()  # their enqueue failed after commit
            time.sleep(3)
            broker.start()
            back = time.monotonic()
            wait_for(lambda: not due.filter(state=TimedDuty.State.SCHEDULED).exists(), timeout=60)
            all_fired = time.monotonic() - back
            later, _ = web.call("POST", "/api/v1/incidents/", _incident(county.pk, "恢复后", superior_due_in=30))
            requeued = TimedDuty.objects.filter(kind=DUE, subject_id__in=ReportingDeadline.objects.filter(
                incident=later.body["id"], kind="superior_report").values("pk"), enqueued_at__isnull=False).count()
    assert first.status_code == 201 and len(ids) == 11
    assert [a.status_code for a, _ in writes] == [201] * 10 and [a.status_code for a, _ in reads] == [200] * 20
    assert left_for_sweeper == 10
    late = dict(AuditEntry.objects.filter(action="incident.deadline.late").values_list("object_id")
                .annotate(n=Count("id")))
    deadlines = ReportingDeadline.objects.filter(incident__in=ids, kind="superior_report")
    assert all(d.state == "late" and late.get(str(d.pk)) == 1 for d in deadlines)
    assert Notification.objects.filter(recipient=superior, kind="incident").count() == 11  # told once each
    assert LiveEvent.objects.filter(event="incident.logged", unit=county).count() == 12  # the outbox kept every one
    assert requeued == 1  # the web reconnected to the broker by itself
    slowest = max(seconds for _, seconds in writes)
    proved(f"redis down: 10/10 writes and 20/20 reads served (slowest write {slowest:.2f} s), 10/10 after-commit "
           f"enqueues left to the sweeper; all 11 deadlines fired once {all_fired:.1f} s after redis was back; "
           f"the next write enqueued normally")


# Run with `manage.py shell -c` on the test's own PostgreSQL: a duty officer with a token and a session.
SETUP = """
import json
from django.test import Client
from rest_framework.authtoken.models import Token
from incidents.grading.loader import ensure_defaults
from tests.factories import UnitFactory, user_with_role
ensure_defaults()
county = UnitFactory(code="county", name="港北区", parent=UnitFactory(code="city", name="贵港市"))
officer = user_with_role("duty_officer", county)
client = Client()
client.force_login(officer)
print(json.dumps({"unit": county.pk, "token": Token.objects.create(user=officer).key,
                  "session": client.cookies["sessionid"].value}))
"""
# Every incident with all its parts, as one logged with the database up has them; and the audit chain.
CHECK = """
import json
from django.db.models import Count
from emergency.audit.models import AuditEntry
from emergency.audit.services import audit_chain_report
from emergency.dashboard.models import LiveEvent
from emergency.timers.models import TimedDuty
from incidents.models import Incident
parts = {}
for incident in Incident.objects.annotate(r=Count("reports", distinct=True), d=Count("deadlines", distinct=True)):
    duties = TimedDuty.objects.filter(subject_type="incidents.reportingdeadline",
                                      subject_id__in=incident.deadlines.values("pk")).count()
    logged = AuditEntry.objects.filter(action="incident.log", object_id=str(incident.pk)).count()
    parts[incident.title] = [incident.r, incident.d, duties, logged]
report = audit_chain_report()
print(json.dumps({"parts": parts, "events": LiveEvent.objects.filter(event="incident.logged").count(),
                  "late": AuditEntry.objects.filter(action="incident.deadline.late").count(),
                  "chain_ok": report.ok, "entries": report.entries_checked}))
"""


def _manage(env: dict[str, str], *args: str) -> str:
    done = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=process_env(**env), check=True,
                          capture_output=True, text=True, timeout=120)
    return done.stdout


def test_with_postgresql_restarted_requests_get_a_clear_503_nothing_is_half_written_and_all_recovers(proved):
    port, tag = free_port(), f"faults-pg-{os.getpid()}"
    with own_postgres() as database:
        database.copy_database(connection.settings_dict, "faults")  # the migrated, empty test database
        env = {"DATABASE_URL": database.url("faults"), "CELERY_QUEUE": tag, "CHANNELS_PREFIX": tag}
        made = json.loads(_manage(env, "shell", "-c", SETUP).strip().splitlines()[-1])
        with asgi_server(port=port, env=env), celery_worker(beat=True, env={**env, "TIMERS_SWEEP_SECONDS": "1"}):
            api, pages = Web(port, token=made["token"]), Web(port, session=made["session"])
            assert api.call("GET", "/api/v1/incidents/")[0].status_code == 200
            assert pages.call("GET", "/incidents/")[0].status_code == 200
            writes, stop = [], threading.Event()

            def write() -> None:  # a duty officer logging incidents all along, through the outage
                n = 0
                while not stop.is_set():
                    n += 1
                    incident = _incident(made["unit"], f"写入{n}", superior_due_in=3600)
                    answer, _ = api.call("POST", "/api/v1/incidents/", incident)
                    writes.append((f"写入{n}", answer.status_code))

            writer = threading.Thread(target=write)
            writer.start()
            wait_for(lambda: len(writes) >= 5, timeout=20)
            soon = _incident(made["unit"], "到期", superior_due_in=2)
            due_soon = api.call("POST", "/api/v1/incidents/", soon)[0].body
            database.stop()  # immediate: a crash, open transactions lost
            down = timezone.now()
            probes = [api.call("GET", "/api/v1/incidents/")[0], api.call("GET", "/api/v1/incidents/", language="en")[0],
                      pages.call("GET", "/incidents/")[0], pages.call("GET", "/incidents/", language="en")[0]]
            due = min(datetime.fromisoformat(d["due_at"]) for d in due_soon["deadlines"])
            sleep_until(max(due + timedelta(seconds=1), down + timedelta(seconds=2)))  # due_soon falls due meanwhile
            database.start()
            back = time.monotonic()
            wait_for(lambda: api.call("GET", "/api/v1/incidents/")[0].status_code == 200, timeout=30, interval=0.05)
            recovered = time.monotonic() - back
            outage_end = len(writes)
            wait_for(lambda: sum(code == 201 for _, code in writes[outage_end:]) >= 3, timeout=20)
            stop.set()
            writer.join()
            wait_for(lambda: "late" in {d["state"] for d in api.call("GET", f"/api/v1/incidents/{due_soon['id']}/")[0]
                                        .body["deadlines"] if d["kind"] == "superior_report"}, timeout=30)
            swept = time.monotonic() - back
        found = json.loads(_manage(env, "shell", "-c", CHECK).strip().splitlines()[-1])
    codes = [code for _, code in writes]
    assert set(codes) == {201, 503} and down < due  # (due_soon fell due while the database was down)
    api_zh, api_en, page_zh, page_en = probes
    assert [p.status_code for p in probes] == [503] * 4 and all(p.headers["Retry-After"] for p in probes)
    assert api_zh.body["error"] == {"code": "unavailable", "message": "平台暂时无法连接数据库，请稍后重试。"}
    assert api_en.body["error"]["message"].startswith("The platform cannot reach its database")
    assert "暂时无法使用" in page_zh.body and "Temporarily unavailable" in page_en.body
    parts = {title: value for title, value in found["parts"].items() if title != "到期"}
    whole = parts[writes[0][0]]
    assert whole[0] == 1 and whole[1] == 2 and whole[2] > 0 and whole[3] == 1  # a report, 2 deadlines, duties, audit
    assert all(value == whole for value in parts.values())  # nothing half-written
    assert {title for title, code in writes if code == 201} <= set(parts)  # every 201 is there
    assert found["events"] == len(parts) + 1 and found["chain_ok"] and found["late"] == 1  # fired once
    committed_anyway = sum(title in parts for title, code in writes if code == 503)
    proved(f"postgresql restarted: {codes.count(503)} writes and 4/4 probes got 503 in the user's language "
           f"(JSON under /api/, a page elsewhere), {codes.count(201)} writes made; {len(parts)} incidents all whole "
           f"({committed_anyway} answered 503 yet committed), audit chain intact ({found['entries']} entries); "
           f"served again {recovered * 1000:.0f} ms after the database was back, without a restart; the deadline "
           f"due in the outage fired once {swept:.1f} s after")


def _race(calls: list) -> list:
    """Run every call at once, each in its own thread with its own database connection."""
    barrier, results = threading.Barrier(len(calls)), [None] * len(calls)

    def run(n: int) -> None:
        try:
            barrier.wait()
            results[n] = calls[n]()
        except Exception as error:  # the refusals are the point: kept and checked
            results[n] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_fifty_racing_decisions_each_won_once_the_rest_refused_and_the_audit_chain_holds(proved, grading_tables):
    city = organisation("city")
    lead = lead_officer(city)
    proposals = [response_services.proposal_create(actor=lead, incident=incident_in(city), level=2, reasons="扩大")
                 for _ in range(5)]
    commanders = [user_with_role(Role.COMMANDER, city.top) for _ in range(10)]
    clients = []
    for n, commander in enumerate(commanders):
        client = APIClient(HTTP_ACCEPT_LANGUAGE="en" if n % 2 else "zh-hans")
        client.force_login(commander)
        clients.append(client)

    def decide(client, proposal):
        return lambda: client.post(f"/api/v1/proposals/{proposal.pk}/decide/", {"outcome": "approved"}, format="json")

    answers = _race([decide(client, proposal) for proposal in proposals for client in clients])
    by_proposal = [sorted(a.status_code for a in answers[n * 10:(n + 1) * 10]) for n in range(5)]
    said = {"zh-hans": "该建议已被决定。", "en": "This proposal has already been decided."}
    refusals = [(a.json()["error"], said["en" if n % 2 else "zh-hans"])  # commander n asks in their language
                for n, a in enumerate(answers) if a.status_code == 409]
    responses = [d.response for d in Decision.objects.filter(proposal__in=proposals).select_related("response")]

    def end(commander, response):
        return lambda: response_services.response_end(actor=commander, response=response, reason="处置完毕")

    ends = _race([end(commander, response) for response in responses for commander in commanders])
    audit = StringIO()
    call_command("verify_audit", stdout=audit)
    assert by_proposal == [[201] + [409] * 9] * 5 and len(responses) == 5
    assert len(refusals) == 45 and all(error == {"code": "conflict", "message": expected}
                                       for error, expected in refusals)
    won = [r for r in ends if not isinstance(r, Exception)]
    assert len(won) == 5 and {r.pk for r in won} == {r.pk for r in responses}
    assert all(isinstance(r, Conflict) for r in ends if isinstance(r, Exception))
    assert "chain intact" in audit.getvalue()
    entries = AuditEntry.objects.count()
    proved(f"concurrent decisions: 50 racing approvals on 5 proposals (API) -> 5 won, 45 got 409 conflict in the "
           f"caller's language; 50 racing ends of the 5 responses (services) -> 5 won, 45 conflicts; "
           f"audit chain intact ({entries} entries)")


def test_with_redis_down_signing_in_for_a_token_still_works(proved, settings):
    user = UserFactory()
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                   "LOCATION": f"redis://127.0.0.1:{free_port()}/0"}}  # nobody listens there
    answer = APIClient().post("/api/v1/auth/token/", {"username": user.username, "password": PASSWORD}, format="json")
    assert answer.status_code == 200 and answer.json()["token"] == Token.objects.get(user=user).key
    proved("redis down: signing in for an API token answers 200 (its throttle lets the request through; "
           "axes still counts failures in the database)")
