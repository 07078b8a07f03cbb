"""More screens and readers than a web process has PostgreSQL connections (issue 13 item 1, issue 18
item 4): the process never holds more than its budget, reads past it wait or are shed with a clear
503, every officer's write succeeds, and every screen ends holding the server's state.

The server connects as a role PostgreSQL allows only the budget's connections (CONNECTION LIMIT): a
process that opened one more would have it refused, and that request would fail with a 503."""
from __future__ import annotations

import asyncio
import json
import os
import threading
import time
from urllib.parse import quote, unquote, urlsplit

import psycopg2
import pytest
import requests
from django.db import connection
from django.utils import timezone
from rest_framework.authtoken.models import Token

from emergency.org.roles import Role
from incidents.models import Incident

from .factories import UnitFactory, user_with_role
from .processes import asgi_server, run_async, wait_for

ROLE = f"budget_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"
READS, WRITES = 2, 1
BUDGET = READS + WRITES + 1 + 1  # requests, the WebSocket consumers' thread, the live-event relay
SERVER_ENV = {"DATABASE_BUDGET_READS": str(READS), "DATABASE_BUDGET_WRITES": str(WRITES),
              "DATABASE_READ_WAIT_SECONDS": "0.3", "PGAPPNAME": ROLE}


def _limited_database_url() -> str:
    """The test database, as a role PostgreSQL lets hold at most BUDGET connections (made by the
    embedded server's superuser: the platform's own roles may create none)."""
    admin = os.environ.get("TEST_ADMIN_DATABASE_URL")
    if not admin:
        pytest.skip("needs the embedded server's superuser (python3 dev.py test) to create a limited role")
    user, _, host = urlsplit(admin).netloc.rpartition("@")  # the host is a socket directory, %-encoded
    raw = psycopg2.connect(host=unquote(host), user=user, dbname=connection.settings_dict["NAME"])
    raw.autocommit = True
    try:
        with raw.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [ROLE])
            if not cursor.fetchone():
                cursor.execute(f"CREATE ROLE {ROLE} LOGIN")
            cursor.execute(f"ALTER ROLE {ROLE} CONNECTION LIMIT {BUDGET}")
            cursor.execute(f"GRANT ALL ON ALL TABLES IN SCHEMA public TO {ROLE}")
            cursor.execute(f"GRANT ALL ON ALL SEQUENCES IN SCHEMA public TO {ROLE}")
    finally:
        raw.close()
    s = connection.settings_dict
    host = quote(s["HOST"], safe="") if s["HOST"].startswith("/") else s["HOST"]
    return f"postgres://{ROLE}@{host}{':' + str(s['PORT']) if s['PORT'] else ''}/{s['NAME']}"


class ConnectionsWatch:
    """The most connections the server's role held at once, sampled from pg_stat_activity."""

    def __init__(self) -> None:
        self.most = 0
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)

    def run(self) -> None:

        s = connection.settings_dict
        raw = psycopg2.connect(host=s["HOST"], port=s["PORT"] or None, user=s["USER"], dbname=s["NAME"])
        raw.autocommit = True
        with raw.cursor() as cursor:
            while not self.stop.is_set():
                cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE usename = %s", [ROLE])
                self.most = max(self.most, cursor.fetchone()[0])
                time.sleep(0.01)
        raw.close()

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        self.thread.join(5)


def _screen_session(user) -> str:
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session.update({SESSION_KEY: str(user.pk), BACKEND_SESSION_KEY: "django.contrib.auth.backends.ModelBackend",
                    HASH_SESSION_KEY: user.get_session_auth_hash()})
    session.create()
    return session.session_key


class Screen:
    """What the shipped page does over the network: subscribe, load the state, reload it after each
    newer event (one load at a time) and retry a load the server shed."""

    def __init__(self, url: str, session: str) -> None:
        self.url, self.session = url, session
        self.state: dict | None = None
        self.statuses: list[int] = []

    def load(self) -> None:
        while True:
            response = requests.get(self.url + "/api/v1/dashboard/state/", cookies={"sessionid": self.session},
                                    headers={"Accept-Language": "zh-hans"}, timeout=60)
            self.statuses.append(response.status_code)
            if response.status_code == 200:
                self.state = response.json()
                return
            time.sleep(0.2)

    async def run(self, stop: asyncio.Event) -> None:
        import websockets

        ws = self.url.replace("http", "ws") + "/ws/dashboard/"
        async with websockets.connect(ws, origin=self.url, additional_headers={
                "Cookie": f"sessionid={self.session}"}) as socket:
            json.loads(await socket.recv())  # hello: subscribed, now load
            await asyncio.to_thread(self.load)
            stale = False
            while not stop.is_set():
                try:
                    message = json.loads(await asyncio.wait_for(socket.recv(), 0.2))
                    if message.get("type") == "event":
                        held = (self.state or {}).get("last", {}).get(str(message["organisation"]), 0)
                        stale = stale or message["seq"] > held
                except TimeoutError:
                    pass
                if stale:  # debounced: everything that arrived meanwhile, in one load
                    stale = False
                    await asyncio.to_thread(self.load)


def test_with_more_screens_and_readers_than_connections_every_write_succeeds_and_screens_converge(
        transactional_db, grading_tables):
    city = UnitFactory(name="贵港市", name_en="Guigang")
    counties = [UnitFactory(name=f"县{n}", name_en=f"County {n}", parent=city) for n in range(3)]
    officers = [user_with_role(Role.DUTY_OFFICER, county) for county in counties]
    tokens = [Token.objects.create(user=officer).key for officer in officers]
    commanders = [user_with_role(Role.COMMANDER, city if n % 2 else counties[n % 3]) for n in range(12)]
    sessions = [_screen_session(user) for user in commanders]
    writes: list[int] = []
    reads: list[requests.Response] = []

    with asgi_server(server="uvicorn", env={"DATABASE_URL": _limited_database_url(), **SERVER_ENV}) as server, \
            ConnectionsWatch() as watch:
        screens = [Screen(server.url, key) for key in sessions]
        done = threading.Event()

        def flood() -> None:  # lists and state loads, far past the two read slots
            with requests.Session() as http:
                while not done.is_set():
                    path = "/api/v1/dashboard/state/" if len(reads) % 2 else "/api/v1/incidents/"
                    reads.append(http.get(server.url + path, cookies={"sessionid": sessions[0]},
                                          headers={"Accept-Language": "zh-hans"}, timeout=60))

        def write(officer: int) -> None:
            with requests.Session() as http:
                for n in range(8):
                    now = timezone.now().isoformat()
                    response = http.post(server.url + "/api/v1/incidents/", timeout=120, json={
                        "unit": counties[officer].pk, "type": "work_safety", "title": f"事故{officer}-{n}",
                        "address": "现场", "occurred_at": now, "received_at": now, "body": "首报",
                        "metrics": {"deaths": 1}}, headers={"Authorization": f"Token {tokens[officer]}"})
                    writes.append(response.status_code)

        async def watch_screens(stop: asyncio.Event) -> None:
            await asyncio.gather(*(screen.run(stop) for screen in screens))

        stop_screens = asyncio.Event()
        screens_thread = threading.Thread(target=run_async, args=(watch_screens(stop_screens),))
        screens_thread.start()
        wait_for(lambda: all(screen.state is not None for screen in screens), timeout=60)
        flooders = [threading.Thread(target=flood) for _ in range(16)]
        writers = [threading.Thread(target=write, args=(n,)) for n in range(len(officers))]
        for thread in flooders + writers:
            thread.start()
        for thread in writers:
            thread.join()
        done.set()
        for thread in flooders:
            thread.join()

        expected = [_server_state(user) for user in commanders]

        def converged() -> bool:
            return all(screen.state and (screen.state["last"], {i["id"] for i in screen.state["incidents"]}) == held
                       for screen, held in zip(screens, expected))

        try:
            wait_for(converged, timeout=60)
        except AssertionError:
            held = [s.state and s.state["last"] for s in screens]
            raise AssertionError(f"screens hold {held}, server {[e[0] for e in expected]}; "
                                 f"writes {writes}; {watch.most} connections; server said:\n"
                                 + "".join(server.output[-30:])) from None
        finally:
            stop_screens.set()  # the event lives on the screens' loop; setting it from here is enough for 0.2 s polls
            screens_thread.join(30)

    assert writes == [201] * 24, writes  # every officer's write served, none refused
    assert Incident.objects.count() == 24
    statuses = {r.status_code for r in reads} | {s for screen in screens for s in screen.statuses}
    assert statuses <= {200, 503}, statuses
    for shed in [r for r in reads if r.status_code == 503][:5]:
        assert shed.headers["Retry-After"] == "2"
        assert shed.json()["error"] == {"code": "busy", "message": "平台正忙于处理其他请求，请稍后重试。"}
    assert len(reads) > 16 * 2
    assert watch.most <= BUDGET, f"{watch.most} connections for a budget of {BUDGET}"


def _server_state(user) -> tuple[dict[str, int], set[int]]:
    """The last event numbers and the active incidents the server holds for `user`'s units."""
    from emergency.dashboard.selectors import last_numbers
    from emergency.org.scope import unit_scope

    visible = unit_scope(user).visible
    active = Incident.objects.filter(unit_id__in=visible, status__in=("reported", "responding"))
    return last_numbers(visible), set(active.values_list("pk", flat=True))
