"""Dashboards at scale: N screens that do over the network what the shipped page does, while duty
officers log and update incidents through the API.

    DATABASE_URL=... REDIS_URL=... .venv/bin/python bench/screens.py --screens 200 --rate 5
    ... --screens 500 --rate 20 --officers 10 --servers 2 [--server uvicorn] [--reload-on-event]

Each screen opens the page (GET /dashboard/), its socket (/ws/dashboard/), and on `hello` loads the
state (GET /api/v1/dashboard/state/); then it follows static/js/dashboard.js: frames queue and are
applied in number order per organisation; a frame whose `prev` (the number last sent to the same
group) is newer than what the screen holds, or without `prev` a skipped number, asks
/api/v1/events/?organisation=&after= whether a change this screen may see was missed (then it
reloads the state); a `resync` or a reconnect reloads the state. `--reload-on-event` is the page
before the local model: every newer event reloads the state (debounced 100 ms), a gap fetches the
events then reloads.

Reported: change → every screen that should show it shows it (p50/p99/max, from the moment the
change recorded its event, just before its commit), screens that never showed a change, every HTTP
status ≥ 500 (officers' and screens'), the officers' request times, and the most PostgreSQL
connections the web processes held at once (pg_stat_activity, sampled every 50 ms).
"""
from __future__ import annotations

import argparse
import asyncio
import bisect
import json
import os
import random
import sys
import threading
import time
from collections import Counter, defaultdict
from contextlib import ExitStack
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.append(str(Path(__file__).resolve().parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "emergency.settings")

from common import ConnectionsWatch, percentile, throwaway_database  # noqa: E402

APP_NAME = "bench-web"  # the web processes' application_name in pg_stat_activity


class Http:
    """One keep-alive HTTP/1.1 connection of a screen (h11 over asyncio streams)."""

    def __init__(self, url: str, cookie: str, statuses: Counter) -> None:
        parts = urlsplit(url)
        self.host, self.port, self.cookie, self.statuses = parts.hostname, parts.port, cookie, statuses
        self.reader = self.writer = self.conn = None

    async def get(self, path: str) -> tuple[int, bytes]:
        import h11

        for attempt in range(3):
            try:
                if self.writer is None:
                    self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
                    self.conn = h11.Connection(h11.CLIENT)
                request = h11.Request(method="GET", target=path, headers=[
                    ("Host", f"{self.host}:{self.port}"), ("Cookie", f"sessionid={self.cookie}"),
                    ("Accept-Language", "zh-hans")])
                self.writer.write(self.conn.send(request) + self.conn.send(h11.EndOfMessage()))
                status, body = 0, bytearray()
                while True:
                    event = self.conn.next_event()
                    if event is h11.NEED_DATA:
                        data = await self.reader.read(65536)
                        self.conn.receive_data(data)
                        continue
                    if isinstance(event, h11.Response):
                        status = event.status_code
                    elif isinstance(event, h11.Data):
                        body += event.data
                    elif isinstance(event, (h11.EndOfMessage, h11.ConnectionClosed)):
                        break
                if self.conn.our_state is h11.DONE and self.conn.their_state is h11.DONE:
                    self.conn.start_next_cycle()
                else:
                    self.close()
                self.statuses[status] += 1
                return status, bytes(body)
            except (OSError, h11.ProtocolError):
                self.close()
                await asyncio.sleep(0.2 * (attempt + 1))
        self.statuses[599] += 1
        return 599, b""

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = self.conn = None


class Screen:
    """One dashboard page: what it holds per organisation, and when it came to hold it."""

    def __init__(self, index: int, url: str, cookie: str, reload_on_event: bool, statuses: Counter) -> None:
        self.index, self.url, self.reload_on_event = index, url, reload_on_event
        self.http = Http(url, cookie, statuses)
        self.cookie = cookie
        self.held: dict[str, int] = {}
        self.history: dict[str, tuple[list[float], list[int]]] = defaultdict(lambda: ([], []))
        self.queue: list[dict] = []
        self.loaded = False
        self.want_load = False
        self.wake = asyncio.Event()
        self.loads = self.catchups = self.reconnects = 0

    def hold(self, org: str, seq: int) -> None:
        if seq > self.held.get(org, 0):
            self.held[org] = seq
            times, numbers = self.history[org]
            times.append(time.time())
            numbers.append(seq)

    def shown_at(self, org: str, seq: int) -> float | None:
        times, numbers = self.history.get(org, ([], []))
        at = bisect.bisect_left(numbers, seq)
        return times[at] if at < len(times) else None

    async def load(self) -> None:
        self.loads += 1
        retry = 0.5
        while True:
            status, body = await self.http.get("/api/v1/dashboard/state/")
            if status == 200:
                for org, seq in json.loads(body)["last"].items():
                    self.hold(org, seq)
                self.loaded = True
                return
            await asyncio.sleep(retry)
            retry = min(retry * 2, 10)

    async def catch_up(self, org: str, after: int, upto: int) -> None:
        """A skipped number: was it a change this screen may see (reload) or another unit's?"""
        self.catchups += 1
        status, body = await self.http.get(f"/api/v1/events/?organisation={org}&after={after}")
        if status != 200:
            self.want_load = True
            return
        if any(after < e["seq"] < upto for e in json.loads(body)):
            self.want_load = True
        else:
            self.hold(org, upto - 1)

    async def work(self, stop: threading.Event) -> None:
        while not stop.is_set():
            if self.want_load:
                self.want_load = False
                if self.reload_on_event:
                    await asyncio.sleep(0.1)  # the old page's debounce
                await self.load()
                continue
            if self.loaded and self.queue:
                message = self.queue[0]
                org, seq = str(message["organisation"]), message["seq"]
                seen = self.held.get(org, 0)
                if seq <= seen:
                    self.queue.pop(0)
                elif self.reload_on_event:
                    self.queue.pop(0)
                    if seen and seq > seen + 1:
                        await self.catch_up(org, seen, seq)
                    self.want_load = True
                elif (message["prev"] > seen) if "prev" in message else (seq > seen + 1):
                    await self.catch_up(org, seen, seq)  # a frame of this screen's groups was lost
                else:
                    self.queue.pop(0)
                    self.hold(org, seq)  # applied to the local model: shown
                continue
            self.wake.clear()
            try:
                await asyncio.wait_for(self.wake.wait(), 0.5)
            except TimeoutError:
                pass

    async def run(self, stop: threading.Event, opened: asyncio.Queue) -> None:
        import websockets

        await self.http.get("/dashboard/")
        worker = asyncio.create_task(self.work(stop))
        retry, first = 0.5, True
        ws = self.url.replace("http", "ws") + "/ws/dashboard/"
        while not stop.is_set():
            try:
                async with websockets.connect(ws, origin=self.url, max_queue=None, open_timeout=60,
                                              additional_headers={"Cookie": f"sessionid={self.cookie}"}) as socket:
                    retry = 0.5
                    while not stop.is_set():
                        try:
                            message = json.loads(await asyncio.wait_for(socket.recv(), 0.5))
                        except TimeoutError:
                            continue
                        if message.get("type") in ("hello", "resync"):
                            self.want_load = True
                            if first:
                                first = False
                                await opened.put(self.index)
                        elif message.get("type") == "event":
                            self.queue.append(message)
                        self.wake.set()
            except (OSError, websockets.WebSocketException):
                self.reconnects += 1
                await asyncio.sleep(retry)
                retry = min(retry * 2, 10)
        await worker


class PageScreens:
    """`n` page-like screens in one event loop of their own thread (the interface of
    push_latency.Screens, so bench/load.py can use either)."""

    def __init__(self, urls: list[str], paths: list[str], cookies: list[str], reload_on_event: bool = False):
        self.statuses: Counter = Counter()
        self.screens = [Screen(n, urls[n % len(urls)], cookie, reload_on_event, self.statuses)
                        for n, cookie in enumerate(cookies)]
        self.stop = threading.Event()
        self.ready = threading.Event()

    def run(self) -> None:
        async def main():
            opened: asyncio.Queue = asyncio.Queue()
            tasks = []
            for n, screen in enumerate(self.screens):
                tasks.append(asyncio.create_task(screen.run(self.stop, opened)))
                if n % 50 == 49:
                    await asyncio.sleep(0.2)  # do not stampede the servers' accept queues
            for _ in self.screens:
                await opened.get()
            while not all(s.loaded for s in self.screens):
                await asyncio.sleep(0.1)
            self.ready.set()
            await asyncio.gather(*tasks)

        self.thread = threading.Thread(target=lambda: asyncio.run(main()), daemon=True)
        self.thread.start()
        if not self.ready.wait(300):
            raise SystemExit("the screens did not all open")

    def close(self) -> None:
        self.stop.set()
        self.thread.join(30)


def officers_write(urls, officers, count: int, rate: float, results: dict) -> float:
    """`count` changes at `rate` per second over the officers: 70 % log an incident, 30 % add a
    follow-up report to one of their own."""
    import requests
    from django.utils import timezone

    from push_latency import paced

    local = threading.local()  # a session per writing thread
    own: dict[int, list[int]] = defaultdict(list)
    rng = random.Random(13)
    lock = threading.Lock()

    def change(i: int) -> None:
        n = i % len(officers)
        county, token = officers[n]
        if not hasattr(local, "http"):
            local.http = requests.Session()
        url = urls[i % len(urls)]
        headers = {"Authorization": f"Token {token}"}
        started = time.perf_counter()
        if own[n] and rng.random() < 0.3:
            name = "POST reports"
            response = local.http.post(f"{url}/api/v1/incidents/{rng.choice(own[n])}/report/", headers=headers,
                                        json={"body": f"续报{i}"}, timeout=120)
        else:
            name = "POST incidents"
            now = timezone.now().isoformat()
            response = local.http.post(f"{url}/api/v1/incidents/", headers=headers, timeout=120, json={
                "unit": county, "type": "work_safety", "title": f"基准事件{i}", "address": "现场",
                "occurred_at": now, "received_at": now, "body": "首报", "metrics": {"deaths": 1}})
            if response.status_code == 201:
                own[n].append(response.json()["id"])
        with lock:
            results.setdefault(name, []).append((time.perf_counter() - started, response.status_code))

    return paced(count, rate, change, workers=len(officers))


def shown(spec, city, screens: PageScreens, events) -> tuple[list[float], int, set]:
    """Per change, ms from its event's recording to the last screen that should show it showing it
    (a screen of the city shows everything, one of a county its own); the (screen, change) pairs
    never shown, and on which screens."""
    per_event: dict[tuple[str, int], float] = {}
    missed, missed_screens = 0, set()
    for index, (unit, _key) in enumerate(spec):
        screen = screens.screens[index]
        for org, seq, event_unit, at in events:
            if unit not in (city, event_unit):
                continue
            at_screen = screen.shown_at(str(org), seq)
            if at_screen is None:
                missed += 1
                missed_screens.add(index)
                continue
            per_event[(str(org), seq)] = max(per_event.get((str(org), seq), 0.0), (at_screen - at) * 1000)
    return list(per_event.values()) or [0.0], missed, missed_screens


def report(args, spec, city, screens: PageScreens, events, results, watch, budget) -> None:
    latencies, missed, missed_screens = shown(spec, city, screens, events)
    server_errors = sum(n for status, n in screens.statuses.items() if status >= 500)
    writes = [(name, t, status) for name, rows in results.items() for t, status in rows]
    write_errors = sum(1 for _n, _t, status in writes if status >= 500)
    print(f"change → every screen shows it: p50 {percentile(latencies, 50):.0f} ms  p99 "
          f"{percentile(latencies, 99):.0f} ms  max {max(latencies):.0f} ms  ({len(events)} changes)")
    print(f"missed: {missed} (screen, change) pairs on {len(missed_screens)} screens")
    for name, rows in sorted(results.items()):
        ms = [t * 1000 for t, _s in rows]
        print(f"{name:<16} {len(rows):5d}  p50 {percentile(ms, 50):6.0f} ms  p99 {percentile(ms, 99):6.0f} ms  "
              f"statuses {dict(Counter(s for _t, s in rows))}")
    s = screens.screens
    print(f"screens' HTTP: {dict(screens.statuses)}; state loads {sum(x.loads for x in s)}, catch-ups "
          f"{sum(x.catchups for x in s)}, reconnects {sum(x.reconnects for x in s)}")
    print(f"5xx: {write_errors} on writes, {server_errors} on screens' requests")
    print(f"PostgreSQL connections of the web processes: max {max(watch.samples or [0])}, median "
          f"{percentile(watch.samples or [0], 50)} (budget {budget} = {args.servers} × "
          f"{budget // args.servers})")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--screens", type=int, default=200)
    parser.add_argument("--rate", type=float, default=5.0, help="changes per second")
    parser.add_argument("--seconds", type=float, default=30.0, help="how long the officers write")
    parser.add_argument("--officers", type=int, default=10)
    parser.add_argument("--servers", type=int, default=2)
    parser.add_argument("--server", choices=["daphne", "uvicorn"], default="daphne")
    parser.add_argument("--reload-on-event", action="store_true", help="screens as the page before the local model")
    parser.add_argument("--settle", type=float, default=5.0)
    args = parser.parse_args()
    with throwaway_database("bench_screens"):
        from django.db import connection
        from rest_framework.authtoken.models import Token

        from emergency.dashboard.models import LiveEvent
        from emergency.gate import connection_budget
        from emergency.org.models import RoleAssignment, User
        from emergency.org.roles import Role
        from push_latency import build
        from tests.processes import asgi_server

        city, spec, county_tokens = build(args.screens)
        officers = []
        for n in range(args.officers):
            county, _token = county_tokens[n % len(county_tokens)]
            user = User.objects.create(username=f"bench-officer{n}", password="!")
            RoleAssignment.objects.create(user=user, unit_id=county, role=Role.DUTY_OFFICER)
            officers.append((county, Token.objects.create(user=user).key))
        s = connection.settings_dict
        dsn = {"host": s["HOST"], "port": s["PORT"] or None, "user": s["USER"], "dbname": s["NAME"]}
        budget = connection_budget() * args.servers
        mode = "reload on every event" if args.reload_on_event else "local model"
        print(f"{args.screens} screens ({mode}) over {args.servers} {args.server} processes, {args.officers} officers, "
              f"{args.rate:g} changes/s for {args.seconds:g} s, {os.cpu_count()} cores")
        with ExitStack() as stack:
            servers = [stack.enter_context(asgi_server(server=args.server, env={"PGAPPNAME": APP_NAME}))
                       for _ in range(args.servers)]
            urls = [server.url for server in servers]
            watch = ConnectionsWatch(dsn, APP_NAME)
            watch.start()
            stack.callback(lambda: (watch.halt.set(), watch.join(5)))  # its connection closed before the drop
            opened = time.monotonic()
            screens = PageScreens(urls, [], [key for _unit, key in spec], args.reload_on_event)
            screens.run()
            print(f"{args.screens} screens open and loaded in {time.monotonic() - opened:.1f} s")
            first = LiveEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
            results: dict = {}
            officers_write(urls, officers, int(args.rate * args.seconds), args.rate, results)
            time.sleep(args.settle)
            screens.close()
            watch.halt.set()
            events = [(org, seq, unit, at.timestamp()) for org, seq, unit, at in LiveEvent.objects.filter(
                id__gt=first).values_list("organisation_id", "sequence", "unit_id", "created_at")]
            report(args, spec, city, screens, events, results, watch, budget)


if __name__ == "__main__":
    main()
