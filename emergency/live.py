"""Live events for the command dashboards.

Every unit has a group `unit.<id>`; an event about a unit goes to it and to each ancestor's
group, since superiors watch their subordinates. Services record events in the outbox
(`publish`); the relay sends them after commit, in number order. Messages to one user's screens
(their rights changed) go straight through the channel layer after commit, on one background
event loop per process, so a request never waits for Redis.
"""
from __future__ import annotations

import asyncio
import json
import logging
import threading
from typing import Any, Callable, Iterable

from channels.layers import get_channel_layer
from django.core.serializers.json import DjangoJSONEncoder
from django.conf import settings
from django.db import connection, transaction
from django.utils import translation

from emergency.audit.services import CHAIN_LOCK_KEY
from emergency.closing import current
from emergency.org.tree import unit_path

logger = logging.getLogger(__name__)


def unit_group(unit_id: int) -> str:
    return f"unit.{unit_id}"


class _Sender:
    """A daemon thread running an asyncio loop that owns the channel layer's connections."""

    def __init__(self) -> None:
        self._loop: asyncio.AbstractEventLoop | None = None
        self._lock = threading.Lock()

    def loop(self) -> asyncio.AbstractEventLoop:
        with self._lock:
            if self._loop is None or self._loop.is_closed():
                loop = asyncio.new_event_loop()
                threading.Thread(target=loop.run_forever, name="live-events", daemon=True).start()
                self._loop = loop
            return self._loop

    def submit(self, groups: list[str], message: dict[str, Any]):
        async def send() -> None:
            layer = get_channel_layer()
            if layer is None:
                return
            try:
                for group in groups:
                    await layer.group_send(group, message)
            except Exception:
                logger.warning("live event %s not sent", message.get("event"), exc_info=True)

        return asyncio.run_coroutine_threadsafe(send(), self.loop())


_sender = _Sender()


# What a screen applies for changes about subjects of one kind ("incident", "warning", "plan"): the
# dashboard registers one function per kind (emergency.dashboard.frames), taking the ids, reading
# what they need once and returning a `Render`: each one's entries in the active language, with no
# further query. This core imports no domain app.
Render = Callable[[], dict[int, dict[str, Any]]]
_describers: dict[str, Callable[[list[int]], Render]] = {}


def describer(kind: str):
    def register(function: Callable[[list[int]], Render]):
        _describers[kind] = function
        return function
    return register


def describe(subjects: Iterable[str]) -> dict[str, str]:
    """What screens apply for changes about `subjects` ("incident:5", ...), as they stand now, in
    each language (names and labels are translated): JSON text per subject a describer knows, read
    in a fixed number of queries per kind and language. The relay calls it after commit: a frame
    carries at least the picture its change left."""
    by_kind: dict[str, list[int]] = {}
    for subject in dict.fromkeys(subjects):
        kind, _sep, pk = subject.partition(":")
        if kind in _describers and pk.isdigit():
            by_kind.setdefault(kind, []).append(int(pk))
    entries: dict[str, dict[str, Any]] = {}
    renders = {kind: _describers[kind](ids) for kind, ids in by_kind.items()}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            for kind, render in renders.items():
                for pk, entry in render().items():
                    entries.setdefault(f"{kind}:{pk}", {})[code] = entry
    return {subject: json.dumps(entry, cls=DjangoJSONEncoder) for subject, entry in entries.items()}


def publish(*, event: str, unit_id: int, data: dict[str, Any], path: Iterable[int] | None = None,
            about: tuple[str, int] | None = None) -> None:
    """Record `event` in the outbox with the organisation's next number, in the caller's
    transaction; the relay (emergency.dashboard.relay) sends it to the unit's and its ancestors'
    screens once that commits. `path` (the unit's ancestor ids, top first) saves a query.
    `about` (kind, id) names the subject whose dashboard entries the frame carries (`describe`).

    In an operation's closing (emergency.closing) the event is recorded at the end of the change,
    described before commit and outside the chain's lock (`record_described`). Outside one it is
    recorded now and its entries are read after commit, outside its locks, by the changing thread
    (`_describe_committed`) or, if it has not within the relay's grace, by the relay. Either way a
    frame carries at least the picture its change left, and no earlier frame a newer one."""
    organisation = next(iter(path)) if path is not None else unit_path(unit_id)[0][0]
    record = {"organisation": organisation, "unit": unit_id, "event": event,
              "text": json.dumps(data, cls=DjangoJSONEncoder), "subject": f"{about[0]}:{about[1]}" if about else ""}
    batch = current()
    if batch is not None:
        batch.events.append(record)
        return
    _record(record)


def _record(record: dict[str, Any], *, apply: str | None = None) -> None:
    with connection.cursor() as cursor:  # number, record and wake the relay in one round trip
        cursor.execute(_RECORD_SQL, [CHAIN_LOCK_KEY, record["organisation"], record["unit"], record["event"],
                                     record["text"], record["subject"], apply])
        _sequence, _notified, row_id = cursor.fetchone()
    if record["subject"] and apply is None:
        transaction.on_commit(lambda: _describe_committed(row_id, record["subject"]))


def numbers_before(records: list[dict[str, Any]]) -> dict[int, int]:
    """Each organisation's last committed event number, read before a closing describes its frames."""
    organisations = sorted({r["organisation"] for r in records if r["subject"]})
    if not organisations:
        return {}
    with connection.cursor() as cursor:
        cursor.execute("SELECT organisation_id, last FROM dashboard_eventsequence WHERE organisation_id = ANY(%s)",
                       [organisations])
        return {**dict.fromkeys(organisations, 0), **dict(cursor.fetchall())}


def record_described(records: list[dict[str, Any]], before: dict[int, int], descriptions: dict[str, str]) -> None:
    """Record a closing's events with the entries described before its chain lock was taken
    (held now: every number given out before it has committed). A subject some other change
    published about since `before` may be newer in that change's frame than in this picture: its
    frames are described after commit instead."""
    stale: set[str] = set()
    with connection.cursor() as cursor:
        for organisation, last in before.items():
            subjects = sorted({r["subject"] for r in records if r["organisation"] == organisation and r["subject"]})
            cursor.execute("SELECT DISTINCT about FROM dashboard_liveevent WHERE organisation_id = %s "
                           "AND sequence > %s AND about = ANY(%s)", [organisation, last, subjects])
            stale.update(about for (about,) in cursor.fetchall())
    for record in records:
        subject = record["subject"]
        _record(record, apply=None if subject in stale else descriptions.get(subject))


def _describe_committed(row_id: int, subject: str) -> None:
    """After commit: the frame's entries, kept on the outbox row (unless the relay was quicker),
    and the relay woken to send it."""
    try:
        text = describe([subject]).get(subject)
        with connection.cursor() as cursor:
            cursor.execute("UPDATE dashboard_liveevent SET apply = %s::jsonb WHERE id = %s AND apply IS NULL "
                           "RETURNING pg_notify('live_events', '')", [text, row_id])
    except Exception:  # the relay describes it once its grace is over
        logger.warning("live event %s: %s not described after commit", row_id, subject, exc_info=True)


# The organisation's next number (its row lock orders concurrent changes, so numbers commit in
# order), the outbox row, and a NOTIFY that PostgreSQL delivers to the relay at commit. A closing
# already holds the chain's lock: taking it again in the same transaction returns at once.
# Lock order: the audit chain's lock first, then the sequence row. Changes audit before or after
# they publish; without one order, two such changes deadlock (seen under bench/load.py).
_RECORD_SQL = """
WITH chain AS (SELECT pg_advisory_xact_lock(%s)),
next AS (
    INSERT INTO dashboard_eventsequence (organisation_id, last, relayed) SELECT %s, 1, 0 FROM chain
    ON CONFLICT (organisation_id) DO UPDATE SET last = dashboard_eventsequence.last + 1
    RETURNING organisation_id, last
)
INSERT INTO dashboard_liveevent (organisation_id, sequence, unit_id, event, data, about, apply, created_at)
SELECT next.organisation_id, next.last, %s, %s, %s::jsonb, %s, %s::jsonb, clock_timestamp() FROM next
RETURNING sequence, pg_notify('live_events', ''), id
"""


def send_to_user(user_id: int, message: dict[str, Any]) -> None:
    """After commit, tell one user's open screens something (e.g. their rights changed)."""
    transaction.on_commit(lambda: _sender.submit([f"user.{user_id}"], message))
