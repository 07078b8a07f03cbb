"""Commit → screen latency of the live dashboard, against a bare Channels broadcast in the same run.

    DATABASE_URL=... REDIS_URL=... .venv/bin/python bench/push_latency.py [--clients 500] [--changes 1000]

On a throwaway database: a city with 10 counties; 10 % of the screens watch the city (every event),
the rest a county each. Starts `--servers` daphne processes behind one Redis, opens `--clients`
authenticated WebSockets (the `websockets` package) spread over them, then duty officers make
`--changes` incident logs through the API (`--rate` per second, token auth). Each event carries the
time it was recorded in the outbox (inside its transaction, just before the commit, so the figures
are an upper bound of commit → screen); a client records when it arrived. Reported: per event,
recorded → the last screen that should see it (p50/p99/max) and per delivery; lost, duplicated and
out-of-order events against the outbox; the servers' CPU. Then the same topology and rate on a
bare Channels echo app (group_send → socket, no session, no database) for the ratio.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
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

COUNTIES = 10


def cpu_seconds(pids: list[int]) -> float:
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime + stime
    return total / ticks


def screen_session(username: str, unit, role: str) -> str:
    """A user holding `role` in `unit`, signed in: the session key a screen's cookie carries."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    from emergency.org.models import RoleAssignment, User

    user = User.objects.create(username=username, password="!")
    RoleAssignment.objects.create(user=user, unit=unit, role=role)
    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session.update({SESSION_KEY: str(user.pk), BACKEND_SESSION_KEY: "django.contrib.auth.backends.ModelBackend",
                    HASH_SESSION_KEY: user.get_session_auth_hash()})
    session.create()
    return session.session_key


def build(clients: int):
    """The units, the screens' users with sessions, and one duty officer with a token per county."""
    from rest_framework.authtoken.models import Token

    from emergency.org.models import OrgUnit, RoleAssignment, User
    from emergency.org.roles import Role
    from incidents.grading.loader import ensure_defaults

    ensure_defaults()
    city = OrgUnit.objects.create(code="bench-city", name="基准市", name_en="Bench City", kind=OrgUnit.Kind.CITY)
    counties = [OrgUnit.objects.create(code=f"bench-c{n}", name=f"基准县{n}", name_en=f"County {n}", parent=city,
                                       kind=OrgUnit.Kind.CITY) for n in range(COUNTIES)]
    screens = []
    for n in range(clients):
        unit = city if n % 10 == 0 else counties[n % COUNTIES]
        screens.append((unit.pk, screen_session(f"screen{n}", unit, Role.COMMANDER)))
    officers = []
    for county in counties:
        user = User.objects.create(username=f"officer-{county.code}", password="!")
        RoleAssignment.objects.create(user=user, unit=county, role=Role.DUTY_OFFICER)
        officers.append((county.pk, Token.objects.create(user=user).key))
    return city.pk, screens, officers


class Screens:
    """`n` WebSocket clients in one event loop, recording (client, organisation, seq, latency)."""

    def __init__(self, urls: list[str], paths: list[str], cookies: list[str | None]):
        self.urls, self.paths, self.cookies = urls, paths, cookies
        self.received: list[tuple[int, str, int, float]] = []
        self.arrived: dict[tuple[str, int], float] = {}  # (organisation, seq) → last arrival
        self.recorded: dict[tuple[str, int], float] = {}
        self.relayed: dict[tuple[str, int], float] = {}  # recorded → sent by the relay

    async def client(self, index: int, opened: asyncio.Queue):
        import websockets

        url = self.urls[index % len(self.urls)]
        headers = {"Cookie": f"sessionid={self.cookies[index]}"} if self.cookies[index] else {}
        async with websockets.connect(url.replace("http", "ws") + self.paths[index], origin=url,
                                      additional_headers=headers, max_queue=None, open_timeout=60) as socket:
            json.loads(await socket.recv())  # hello
            await opened.put(index)
            while not self.stop.is_set():
                try:
                    raw = await asyncio.wait_for(socket.recv(), 0.5)
                except asyncio.TimeoutError:
                    continue
                now = time.time()
                message = json.loads(raw)
                if "seq" not in message:
                    continue
                key = (str(message["organisation"]), message["seq"])
                self.received.append((index, key[0], key[1], now - message["recorded"]))
                self.recorded[key] = message["recorded"]
                self.relayed[key] = message.get("relayed", message["recorded"]) - message["recorded"]
                self.arrived[key] = max(self.arrived.get(key, 0), now)

    def close(self):
        """Stop the clients and take their records back from their process."""
        self.stop.set()
        self.received, self.arrived, self.recorded, self.relayed = self.results.recv()
        self.process.join(10)

    def run(self):
        """The clients run in a process of their own, as screens run on machines of their own: in
        the benchmark's process they would share its interpreter lock with the officers' threads,
        and every frame's arrival would wait for an officer's HTTP client (measured: ~120 ms of a
        delivery's 200 ms p50 was the client's own queue)."""
        import multiprocessing

        context = multiprocessing.get_context("fork")
        self.stop, ready = context.Event(), context.Event()
        self.results, child_end = context.Pipe(duplex=False)
        self.process = context.Process(target=self._child, args=(ready, child_end), daemon=True)
        self.process.start()
        if not ready.wait(300):
            raise SystemExit("the clients did not all connect")

    def _child(self, ready, results) -> None:
        async def main():
            opened: asyncio.Queue = asyncio.Queue()
            tasks = []
            for index in range(len(self.paths)):
                tasks.append(asyncio.create_task(self.client(index, opened)))
                if index % 50 == 49:
                    await asyncio.sleep(0.2)  # do not stampede the servers' accept queues
            for _ in range(len(self.paths)):
                await opened.get()
            ready.set()
            await asyncio.gather(*tasks)

        try:
            asyncio.run(main())
            results.send((self.received, self.arrived, self.recorded, self.relayed))
        finally:
            os._exit(0)  # the parent's database connections are not this process's to close


def paced(count: int, rate: float, action, workers: int = 4) -> float:
    """Call action(i) for i in range(count) at `rate` per second over `workers` threads."""
    start = time.monotonic()
    counter = iter(range(count))
    lock = threading.Lock()

    def work():
        while True:
            with lock:
                i = next(counter, None)
            if i is None:
                return
            delay = start + i / rate - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            action(i)

    threads = [threading.Thread(target=work) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.monotonic() - start


def summarise(label: str, screens: Screens, expected: dict[int, set], seconds: float, cpu: float) -> dict:
    got: dict[int, list] = defaultdict(list)
    for index, org, seq, _latency in screens.received:
        got[index].append((org, seq))
    lost = dup = disorder = 0
    for index, keys in expected.items():
        seen = got.get(index, [])
        lost += len(keys - set(seen))
        dup += len(seen) - len(set(seen))
        last: dict[str, int] = {}
        for org, seq in seen:
            disorder += seq <= last.get(org, 0)
            last[org] = seq
    per_event = [(screens.arrived[k] - screens.recorded[k]) * 1000 for k in screens.arrived]
    per_delivery = [r[3] * 1000 for r in screens.received]
    relay = [v * 1000 for v in screens.relayed.values()]
    row = {"label": label, "events": len(per_event), "deliveries": len(per_delivery),
           "p50": percentile(per_event, 50), "p99": percentile(per_event, 99), "max": max(per_event),
           "d50": percentile(per_delivery, 50), "d99": percentile(per_delivery, 99),
           "r50": percentile(relay, 50), "r99": percentile(relay, 99),
           "lost": lost, "dup": dup, "disorder": disorder, "cpu": cpu, "cpu_pct": 100 * cpu / seconds}
    print(f"{label:<10} {row['events']:5d} events {row['deliveries']:7d} deliveries | commit→all screens "
          f"p50 {row['p50']:6.1f} ms p99 {row['p99']:6.1f} ms max {row['max']:7.1f} ms | per delivery p50 "
          f"{row['d50']:6.1f} p99 {row['d99']:6.1f} | of which recorded→relayed p50 {row['r50']:.1f} p99 "
          f"{row['r99']:.1f} | lost {lost} dup {dup} out-of-order {disorder} | "
          f"servers' CPU {cpu:.1f} s ({row['cpu_pct']:.0f} % of a core)")
    return row


def run_platform(args, city, screens_spec, officers, servers, writers=()) -> dict:
    import requests
    from django.utils import timezone

    from emergency.dashboard.models import LiveEvent

    first_id = LiveEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
    urls = [s.url for s in servers]
    screens = Screens(urls, ["/ws/dashboard/"] * len(screens_spec), [key for _unit, key in screens_spec])
    screens.run()
    sessions = [requests.Session() for _ in officers]
    targets = [s.url for s in writers] or urls  # the officers' API: the socket servers unless apart
    everyone = [s.pid for s in (*servers, *writers)]
    cpu0 = cpu_seconds(everyone)

    def change(i: int):
        county, token = officers[i % len(officers)]
        now = timezone.now().isoformat()
        response = sessions[i % len(sessions)].post(
            targets[i % len(targets)] + "/api/v1/incidents/", headers={"Authorization": f"Token {token}"}, json={
                "unit": county, "type": "work_safety", "title": f"基准事件{i}", "address": "现场",
                "occurred_at": now, "received_at": now, "body": "首报", "metrics": {"deaths": 1}})
        if response.status_code != 201:
            refused.append(f"change {i} refused: {response.status_code} {response.text[:300]}")

    refused: list[str] = []
    seconds = paced(args.changes, args.rate, change, workers=min(len(sessions), 8))
    if refused:
        raise SystemExit(f"{len(refused)} changes refused, e.g. {refused[0]}")
    events = list(LiveEvent.objects.filter(id__gt=first_id).values_list("organisation_id", "sequence", "unit_id"))
    time.sleep(args.settle)
    cpu = cpu_seconds(everyone) - cpu0
    screens.close()
    expected = {}
    for index, (unit, _key) in enumerate(screens_spec):
        expected[index] = {(str(org), seq) for org, seq, event_unit in events if unit in (city, event_unit)}
    return summarise("dashboard", screens, expected, seconds + args.settle, cpu)


def run_bare(args, screens_spec, city, servers) -> dict:
    from channels.layers import get_channel_layer

    urls = [s.url for s in servers]
    paths = [f"/ws/echo/?group=bench.{unit}" for unit, _key in screens_spec]
    screens = Screens(urls, paths, [None] * len(screens_spec))
    screens.run()
    counties = sorted({unit for unit, _key in screens_spec if unit != city})
    loop = asyncio.new_event_loop()
    threading.Thread(target=loop.run_forever, daemon=True).start()
    layer = get_channel_layer()
    cpu0 = cpu_seconds([s.pid for s in servers])

    async def send(i: int):
        message = {"type": "bench.message", "organisation": "bench", "seq": i + 1, "recorded": time.time()}
        await layer.group_send(f"bench.{counties[i % len(counties)]}", message)
        await layer.group_send(f"bench.{city}", message)

    seconds = paced(args.changes, args.rate, lambda i: asyncio.run_coroutine_threadsafe(send(i), loop).result(), 1)
    time.sleep(args.settle)
    cpu = cpu_seconds([s.pid for s in servers]) - cpu0
    screens.close()
    expected = {index: {("bench", i + 1) for i in range(args.changes)
                        if unit in (city, counties[i % len(counties)])}
                for index, (unit, _key) in enumerate(screens_spec)}
    return summarise("bare", screens, expected, seconds + args.settle, cpu)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=500)
    parser.add_argument("--changes", type=int, default=1000)
    parser.add_argument("--rate", type=float, default=20.0, help="changes per second")
    parser.add_argument("--servers", type=int, default=2)
    parser.add_argument("--server", choices=["daphne", "uvicorn"], default="uvicorn")
    parser.add_argument("--settle", type=float, default=3.0, help="seconds to wait for the last events")
    parser.add_argument("--write-servers", type=int, default=0,
                        help="servers that take the officers' writes and hold no socket (0: the socket servers)")
    parser.add_argument("--server-options", default=None,
                        help="the servers' flags instead of the tests' defaults, e.g. the run command's")
    args = parser.parse_args()
    options = tuple(args.server_options.split()) if args.server_options is not None else None
    with throwaway_database():
        from tests.processes import asgi_server

        city, screens_spec, officers = build(args.clients)
        print(f"{args.clients} screens over {args.servers} {args.server} servers, {args.changes} changes at "
              f"{args.rate:g}/s, {os.cpu_count()} cores")
        with ExitStack() as stack:
            servers = [stack.enter_context(asgi_server(server=args.server, options=options))
                       for _ in range(args.servers)]
            writers = [stack.enter_context(asgi_server(server=args.server, options=options))
                       for _ in range(args.write_servers)]
            ours = run_platform(args, city, screens_spec, officers, servers, writers)
        with ExitStack() as stack:
            servers = [stack.enter_context(asgi_server(app="bench.echo_asgi:application", server=args.server,
                                                       options=options))
                       for _ in range(args.servers)]
            bare = run_bare(args, screens_spec, city, servers)
        print(f"ratio dashboard / bare: p50 {ours['p50'] / bare['p50']:.2f}×, p99 {ours['p99'] / bare['p99']:.2f}×, "
              f"CPU {ours['cpu'] / max(bare['cpu'], 0.01):.2f}×")


if __name__ == "__main__":
    main()
