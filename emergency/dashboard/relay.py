"""The outbox relay: the one sender of live events to the screens.

Services only record events (numbered per organisation, in the change's transaction, with a
NOTIFY that PostgreSQL delivers at commit). One relay per database, chosen by an advisory lock
(every ASGI process runs a candidate; if the holder dies its session ends and another takes over),
reads the committed events in number order and sends each to its unit's and ancestors' groups.
So the screens get every organisation's events in commit order, whichever process made the change;
and if Redis is down the events wait in the outbox and go out when it is back. `relayed` is moved
after each send, so a takeover may resend the last few (screens ignore numbers they hold) but
never skips one.
"""
from __future__ import annotations

import asyncio
import json
import logging
import select
import threading
import time

from django.conf import settings
from django.db import connections

from emergency.org.tree import unit_path

logger = logging.getLogger(__name__)

CHANNEL = "live_events"
LOCK_KEY = 0x6C697665  # 'live'
BATCH = 500
DESCRIBE_GRACE = 1.0  # seconds a frame waits for its change to describe it after commit

_PENDING_SQL = """
SELECT e.organisation_id, e.sequence, e.unit_id, e.event, e.data::text, e.apply::text,
       extract(epoch FROM e.created_at)::float8, e.id, e.about
FROM dashboard_eventsequence s
JOIN dashboard_liveevent e ON e.organisation_id = s.organisation_id AND e.sequence > s.relayed
WHERE s.relayed < s.last
ORDER BY e.organisation_id, e.sequence
LIMIT %s
"""


def frame(organisation: int, sequence: int, unit: int, event: str, data: str, recorded: float,
          apply: str | None = None) -> str:
    """The WebSocket text a screen receives, rendered once for all its recipients: `recorded` is
    when the change wrote it, `relayed` when the relay sent it (seconds since the epoch); `apply`
    what the screen changes in its local model (JSON text, or null for a change it only lists)."""
    return (f'{{"type":"event","event":{json.dumps(event)},"seq":{sequence},"organisation":{organisation},'
            f'"unit":{unit},"recorded":{recorded},"relayed":{time.time():.6f},"data":{data},'
            f'"apply":{apply or "null"}}}')


def relay_alias() -> str:
    """A session-level lock and LISTEN need a session of their own: behind PgBouncer's transaction
    pooling the relay connects straight to PostgreSQL (the `direct` database, DATABASE_DIRECT_URL)."""
    return "direct" if "direct" in settings.DATABASES else "default"


class Relay:
    def __init__(self, *, poll_seconds: float = 1.0) -> None:
        self.poll_seconds = poll_seconds
        self.stopped = threading.Event()
        self.active = threading.Event()  # this process holds the lock and is sending
        self.loop = asyncio.new_event_loop()
        self.held = False  # the last look held frames back for their description
        self.prev: dict[str, int] = {}  # group → the number last sent to it, while this relay holds the lock

    def start(self) -> "Relay":
        threading.Thread(target=self.loop.run_forever, name="live-relay-loop", daemon=True).start()
        self.thread = threading.Thread(target=self.run, name="live-relay", daemon=True)
        self.thread.start()
        return self

    def stop(self) -> None:
        self.stopped.set()
        self.thread.join(5)
        self.loop.call_soon_threadsafe(self.loop.stop)

    def run(self) -> None:
        if relay_alias() != "default":
            # The frames' entries (emergency.live.describe) are read with the ORM: in this thread
            # on the relay's own connection, so the relay holds one connection, not two.
            connections["default"] = connections[relay_alias()]
        while not self.stopped.is_set():
            try:
                self._serve()
            except Exception:
                logger.warning("live relay: connection lost, retrying", exc_info=True)
            finally:
                self.active.clear()
                connections[relay_alias()].close()
            self.stopped.wait(1.0)

    def _serve(self) -> None:
        connection = connections[relay_alias()]
        connection.discard_on_close = True  # its LISTEN and session lock must not go back to a pool
        connection.ensure_connection()
        raw = connection.connection
        raw.autocommit = True
        with raw.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [LOCK_KEY])
            if not cursor.fetchone()[0]:
                self.stopped.wait(2.0)  # another process is the relay; stand by
                return
            cursor.execute(f"LISTEN {CHANNEL}")
        self.prev = {}  # numbers sent by an earlier holder are not known here: the first frames go without
        self.active.set()
        while not self.stopped.is_set():
            self.held = False
            while self._send_pending(raw):
                pass
            # Held back for a frame being described: look again soon, even if no NOTIFY comes.
            wait = min(self.poll_seconds, 0.05) if self.held else self.poll_seconds
            if select.select([raw], [], [], wait) != ([], [], []):
                raw.poll()
                raw.notifies.clear()

    def _send_pending(self, raw) -> bool:
        with raw.cursor() as cursor:
            cursor.execute(_PENDING_SQL, [BATCH])
            rows = cursor.fetchall()
        if not rows:
            return False
        from emergency.live import unit_group

        # A frame whose change is describing it after its commit waits for that (its NOTIFY wakes
        # the relay), and the frames after it with it, for at most DESCRIBE_GRACE seconds: then the
        # relay describes it itself (that change's process may have died).
        now = time.time()
        waiting = next((n for n, row in enumerate(rows)
                        if row[8] and row[5] is None and now - row[6] < DESCRIBE_GRACE), None)
        if waiting is not None:
            rows = rows[:waiting]
            self.held = True
            if not rows:
                return False
        applies = self._describe(raw, rows)
        sends = [([unit_group(pk) for pk, _code in unit_path(unit)],
                  {"type": "live.event", "organisation": organisation, "seq": sequence,
                   "text": frame(organisation, sequence, unit, event, data, recorded,
                                 apply if apply is not None else applies.get(about))})
                 for organisation, sequence, unit, event, data, apply, recorded, _id, about in rows]
        done: dict[int, int] = {}
        try:
            asyncio.run_coroutine_threadsafe(self._send(sends, done), self.loop).result()
        finally:  # record what went out, also when the channel layer failed part-way
            with raw.cursor() as cursor:
                for organisation, sequence in done.items():
                    cursor.execute("UPDATE dashboard_eventsequence SET relayed = %s "
                                   "WHERE organisation_id = %s AND relayed < %s", [sequence, organisation, sequence])
        return waiting is None and len(rows) == BATCH

    def _describe(self, raw, rows) -> dict[str, str]:
        """The batch's subjects described together, now (every row of the batch has committed, and
        batches go in number order: a frame's picture is never older than its change's, nor than
        an earlier frame's), and kept on their rows for the events API."""
        from emergency.live import describe

        pending: dict[str, list[int]] = {}
        for *_head, apply, _recorded, pk, about in rows:
            if about and apply is None:
                pending.setdefault(about, []).append(pk)
        if not pending:
            return {}
        try:
            applies = describe(pending)
        except Exception:  # subjects that cannot be read must not stop every screen's frames
            logger.warning("live relay: %s not described", ", ".join(pending), exc_info=True)
            return {}
        with raw.cursor() as cursor:  # one statement for the batch
            cursor.execute("UPDATE dashboard_liveevent e SET apply = v.apply::jsonb "
                           "FROM unnest(%s::bigint[], %s::text[]) AS v(id, apply) WHERE e.id = v.id",
                           [[pk for about, ids in pending.items() if about in applies for pk in ids],
                            [applies[about] for about, ids in pending.items() if about in applies for _pk in ids]])
        return applies

    async def _send(self, sends, done: dict[int, int]) -> None:
        """Each group's frame names the number last sent to that group (`prev`): a screen holding
        it has missed nothing, however many numbers other units' changes took in between; one that
        holds less lost a frame and catches up. Without `prev` (a new relay) a skipped number is
        checked against the events API."""
        from channels.layers import get_channel_layer

        layer = get_channel_layer()
        for groups, message in sends:
            for group in groups:
                prev = self.prev.get(group)
                text = message["text"] if prev is None else f'{message["text"][:-1]},"prev":{prev}}}'
                await layer.group_send(group, {**message, "text": text})
                self.prev[group] = message["seq"]
            done[message["organisation"]] = message["seq"]


_relay: Relay | None = None
_lock = threading.Lock()


def relay_start() -> Relay | None:
    """Start this process's relay candidate once (ASGI servers do, unless LIVE_RELAY is off)."""
    global _relay
    with _lock:
        if _relay is None and settings.LIVE_RELAY:
            _relay = Relay().start()
        return _relay

