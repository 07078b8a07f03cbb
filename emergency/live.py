"""Live events for the command dashboards, sent through the channel layer after commit.

Every unit has a group `unit.<id>`; an event about a unit goes to it and to each ancestor's
group, since superiors watch their subordinates. Sending happens on one background event loop
per process, so a request never waits for Redis; a failed send never undoes the change, and
the dashboards reload their state from the database when they reconnect.
"""
from __future__ import annotations

import asyncio
import json
import logging
import threading
from typing import Any, Iterable

from channels.layers import get_channel_layer
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction

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


def publish(*, event: str, unit_id: int, data: dict[str, Any], path: Iterable[int] | None = None):
    """Record `event` in the outbox with the organisation's next number (in the caller's
    transaction), and send it to the unit's and its ancestors' dashboards once that commits.
    `path` (the unit's ancestor ids, top first) saves a query when the caller has it."""
    ids = list(path) if path is not None else [pk for pk, _code in unit_path(unit_id)]
    text = json.dumps(data, cls=DjangoJSONEncoder)
    payload = json.loads(text)
    with connection.cursor() as cursor:  # number and record it in one round trip
        cursor.execute(_RECORD_SQL, [ids[0], unit_id, event, text])
        sequence = cursor.fetchone()[0]
    message = {"type": "live.event", "event": event, "unit": unit_id, "organisation": ids[0], "seq": sequence,
               "data": payload}
    groups = [unit_group(pk) for pk in ids]
    transaction.on_commit(lambda: _sender.submit(groups, message))


# The organisation's next number (its row lock orders concurrent changes) and the outbox row.
_RECORD_SQL = """
WITH next AS (
    INSERT INTO dashboard_eventsequence (organisation_id, last) VALUES (%s, 1)
    ON CONFLICT (organisation_id) DO UPDATE SET last = dashboard_eventsequence.last + 1
    RETURNING organisation_id, last
)
INSERT INTO dashboard_liveevent (organisation_id, sequence, unit_id, event, data, created_at)
SELECT next.organisation_id, next.last, %s, %s, %s::jsonb, now() FROM next
RETURNING sequence
"""


def send_to_user(user_id: int, message: dict[str, Any]) -> None:
    """After commit, tell one user's open screens something (e.g. their rights changed)."""
    transaction.on_commit(lambda: _sender.submit([f"user.{user_id}"], message))
