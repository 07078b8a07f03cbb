"""The platform under a working day's load, on its ASGI servers (`--web`, 2 as the run command
starts them) with one Celery worker and beat.

    DATABASE_URL=... REDIS_URL=... .venv/bin/python bench/load.py [--minutes 5] [--officers 50]
        [--commanders 10] [--screens 300]

On a throwaway database with the Guigang demo organisation: `--officers` duty officers in the
counties log incidents and send follow-up reports and read their lists; `--commanders` commanders
name the lead department of an incident, whose officer proposes level 2, and decide it from their
inbox; `--screens`
dashboards stay connected (half the city's, half the counties'). Short reporting deadlines
(`--deadline-seconds`) make deadlines fall due during the run. Reported: requests/s, p50/p99 per
endpoint, errors (5xx and refused), recorded → screen p99, deadline lateness (fired − due), and the
most PostgreSQL connections in use (each web process takes its connections from its pool of the
connection budget, emergency/db/pool.py; the worker keeps its own, CONN_MAX_AGE=60; no PgBouncer).
"""
from __future__ import annotations

import argparse
import os
import random
import sys
import threading
import time
from collections import defaultdict
from contextlib import ExitStack
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.append(str(Path(__file__).resolve().parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "emergency.settings")

from common import percentile, throwaway_database  # noqa: E402


class Calls:
    """Latency and outcome per endpoint, from many threads."""

    def __init__(self):
        self.lock = threading.Lock()
        self.times: dict[str, list[float]] = defaultdict(list)
        self.errors: dict[str, int] = defaultdict(int)
        self.refused: dict[str, int] = defaultdict(int)
        self.example: dict[str, str] = {}  # the first refusal's body per endpoint

    def call(self, session, name, method, url, **kwargs):
        started = time.perf_counter()
        try:
            response = session.request(method, url, timeout=30, **kwargs)
            status = response.status_code
        except Exception as error:  # no answer at all: counted as a server error, with its reason
            response, status = None, 599
            with self.lock:
                self.example.setdefault(name + " 5xx", f"{type(error).__name__}: {str(error)[:160]}")
        elapsed = time.perf_counter() - started
        with self.lock:
            self.times[name].append(elapsed)
            if status >= 500:
                self.errors[name] += 1
                if response is not None:
                    self.example.setdefault(name + " 5xx", f"{status} {response.text[:200]}")
            elif status >= 400:
                self.refused[name] += 1
                self.example.setdefault(name, f"{status} {response.text[:200]}")
        return response if response is not None and status < 400 else None


def setup(args):
    from django.db import transaction
    from rest_framework.authtoken.models import Token

    from emergency.org.demo import DEMO_DIR, load_organisation
    from emergency.org.models import OrgUnit, RoleAssignment, User
    from emergency.org.roles import Role

    with transaction.atomic():
        load_organisation(DEMO_DIR / "guigang_city.yaml", prefix="gg")
    city = OrgUnit.objects.get(code="gg")
    counties = list(OrgUnit.objects.filter(parent=city, kind="county").order_by("code")) or \
        list(OrgUnit.objects.filter(parent=city).exclude(code="gg-command").order_by("code"))
    lead = User.objects.get(username="gg-lead")
    department = lead.role_assignments.get().department

    def user(name, role, unit, **extra):
        person = User.objects.create(username=name, password="!")
        RoleAssignment.objects.create(user=person, unit=unit, role=role, **extra)
        return Token.objects.create(user=person).key

    officers = [(counties[n % len(counties)].pk, user(f"load-duty{n}", Role.DUTY_OFFICER, counties[n % len(counties)]))
                for n in range(args.officers)]
    commanders = [user(f"load-commander{n}", Role.COMMANDER, city) for n in range(args.commanders)]
    leads = [user(f"load-lead{n}", Role.LEAD_OFFICER, city, department=department) for n in range(args.commanders)]
    return city, counties, department.pk, officers, commanders, leads


def screens_for(city, counties, count):
    from push_latency import screen_session

    from emergency.org.roles import Role

    units = [city if n % 2 == 0 else counties[n % len(counties)] for n in range(count)]
    return [(unit.pk, screen_session(f"load-screen{n}", unit, Role.PRINCIPAL)) for n, unit in enumerate(units)]


def officer_loop(calls, url, county, token, until, mine):
    import requests
    from django.utils import timezone

    session = requests.Session()
    session.headers["Authorization"] = f"Token {token}"
    rng = random.Random(token)
    own: list[int] = []  # this officer's incidents; `mine` is the pool the commanders take from
    while time.monotonic() < until:
        now = timezone.now().isoformat()
        made = calls.call(session, "POST incidents", "POST", f"{url}/api/v1/incidents/", json={
            "unit": county, "type": "work_safety", "title": f"负载事件{rng.randrange(10**6)}", "address": "现场",
            "occurred_at": now, "received_at": now, "body": "首报", "metrics": {"deaths": rng.randrange(0, 4)}})
        if made is not None:
            own.append(made.json()["id"])
            mine.append(own[-1])
        time.sleep(rng.uniform(1, 4))
        if own:
            calls.call(session, "POST reports", "POST", f"{url}/api/v1/incidents/{rng.choice(own)}/report/",
                       json={"body": "续报：现场处置有序进行。"})
        calls.call(session, "GET incidents", "GET", f"{url}/api/v1/incidents/")
        time.sleep(rng.uniform(1, 4))


def commander_loop(calls, url, commander, lead, department, until, incidents):
    import requests

    boss, officer = requests.Session(), requests.Session()
    boss.headers["Authorization"] = f"Token {commander}"
    officer.headers["Authorization"] = f"Token {lead}"
    rng = random.Random(commander)
    while time.monotonic() < until:
        time.sleep(rng.uniform(2, 5))
        if not incidents:
            continue
        try:
            incident = incidents.pop(rng.randrange(len(incidents)))
        except (IndexError, ValueError):
            continue
        calls.call(boss, "POST lead-dept", "POST", f"{url}/api/v1/incidents/{incident}/lead-department/",
                   json={"department": department})
        proposal = calls.call(officer, "POST proposals", "POST", f"{url}/api/v1/incidents/{incident}/propose/",
                              json={"level": 2, "reasons": "伤亡增加，建议启动二级响应"})
        calls.call(boss, "GET inbox", "GET", f"{url}/api/v1/proposals/?inbox=1")
        if proposal is not None:
            calls.call(boss, "POST decide", "POST", f"{url}/api/v1/proposals/{proposal.json()['id']}/decide/",
                       json={"outcome": "approved"})


def connections_in_use(samples, until):
    from django.db import connection

    name = connection.settings_dict["NAME"]
    with connection.cursor() as cursor:
        while time.monotonic() < until:
            cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = %s", [name])
            samples.append(cursor.fetchone()[0])
            time.sleep(1)
    connection.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--minutes", type=float, default=5)
    parser.add_argument("--officers", type=int, default=50)
    parser.add_argument("--commanders", type=int, default=10)
    parser.add_argument("--screens", type=int, default=300)
    parser.add_argument("--web", type=int, default=int(os.environ.get("WEB_PROCESSES", "2")),
                        help="ASGI server processes (the run command's WEB_PROCESSES, 2)")
    parser.add_argument("--server", choices=["daphne", "uvicorn"], default="uvicorn")
    parser.add_argument("--concurrency", type=int, default=1, help="the Celery worker's processes")
    parser.add_argument("--deadline-seconds", type=int, default=120, help="the 1-hour report deadline, shortened")
    parser.add_argument("--settle", type=float, default=15.0,
                        help="seconds the screens get after the last write to show the last changes")
    args = parser.parse_args()
    os.environ.update({"DEADLINE_SUPERIOR_REPORT_SECONDS": str(args.deadline_seconds),
                       "DEADLINE_REMINDER_MARKS_SECONDS": "60,30"})
    with throwaway_database():
        from screens import PageScreens
        from tests.processes import asgi_server, celery_worker

        run(args, asgi_server, celery_worker, PageScreens)


def run(args, asgi_server, celery_worker, Screens) -> None:
    from django.db.models import F
    from django.utils import timezone

    from emergency.dashboard.models import LiveEvent
    from emergency.timers.models import TimedDuty

    city, counties, department, officers, commanders, leads = setup(args)
    spec = screens_for(city, counties, args.screens)
    print(f"{args.officers} duty officers, {args.commanders} commanders, {args.screens} screens, "
          f"{args.minutes:g} min, {args.web} {args.server} + 1 worker (concurrency {args.concurrency}) + beat, "
          f"{os.cpu_count()} cores")
    with ExitStack() as stack:
        webs = [stack.enter_context(asgi_server(server=args.server)) for _ in range(args.web)]
        stack.enter_context(celery_worker(beat=True, concurrency=args.concurrency))
        urls = [web.url for web in webs]
        screens = Screens(urls, [], [key for _unit, key in spec])  # each does what the dashboard page does
        screens.run()
        first = LiveEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
        calls, incidents, samples = Calls(), [], []
        started = time.monotonic()
        until = started + args.minutes * 60
        threads = [threading.Thread(target=officer_loop, args=(calls, urls[n % len(urls)], county, token, until,
                                                               incidents))
                   for n, (county, token) in enumerate(officers)]
        threads += [threading.Thread(target=commander_loop, args=(calls, urls[n % len(urls)], boss, lead, department,
                                                                 until, incidents))
                    for n, (boss, lead) in enumerate(zip(commanders, leads))]
        threads.append(threading.Thread(target=connections_in_use, args=(samples, until)))
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        seconds = time.monotonic() - started
        stopped_at = timezone.now()  # changes recorded later (the worker catching up) are not counted
        time.sleep(args.settle)  # a change recorded before the writers stopped and not shown by then is missed
        screens.close()
        if sum(calls.errors.values()):
            failures = [line for web in webs for line in web.output if "Error" in line or "error" in line]
            print("server errors logged:\n" + "".join(failures[-20:]))
    total = sum(len(v) for v in calls.times.values())
    errors, refused = sum(calls.errors.values()), sum(calls.refused.values())
    print(f"{total} requests in {seconds:.0f} s: {total / seconds:.1f} req/s, {errors} server errors, "
          f"{refused} refused (4xx)")
    for name, times in sorted(calls.times.items()):
        ms = [t * 1000 for t in times]
        print(f"  {name:<16} {len(ms):6d}  p50 {percentile(ms, 50):7.1f} ms  p99 {percentile(ms, 99):7.1f} ms  "
              f"5xx {calls.errors[name]}  4xx {calls.refused[name]}  {calls.example.get(name + ' 5xx', '')} "
              f"{calls.example.get(name, '')}")
    from screens import shown

    recorded = LiveEvent.objects.filter(id__gt=first)
    later = recorded.filter(created_at__gt=stopped_at).count()
    events = [(org, seq, unit, at.timestamp()) for org, seq, unit, at in recorded.filter(
        created_at__lte=stopped_at).values_list("organisation_id", "sequence", "unit_id", "created_at")]
    pushes, missed, _on = shown(spec, city.pk, screens, events)
    print(f"push: {len(events)} changes, change → every screen shows it p50 {percentile(pushes, 50):.1f} ms "
          f"p99 {percentile(pushes, 99):.1f} ms max {max(pushes):.1f} ms, {missed} missed; screens' HTTP "
          f"{dict(screens.statuses)}; {later} changes recorded after the writers stopped (not counted)")
    fired = TimedDuty.objects.filter(state="fired").annotate(late=F("fired_at") - F("due_at"))
    late = [d.late.total_seconds() for d in fired]
    if late:
        print(f"deadlines and reminders: {len(late)} fired, lateness p50 {percentile(late, 50):.2f} s "
              f"p99 {percentile(late, 99):.2f} s max {max(late):.2f} s")
    if samples:
        print(f"PostgreSQL connections in use: max {max(samples)}, median {percentile(samples, 50)}")


if __name__ == "__main__":
    main()
