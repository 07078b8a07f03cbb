"""The connection budget of one web process, with writes first.

Under ASGI Django runs each request's sync code in a thread of its own, and each thread opens its
own PostgreSQL connection: with persistent connections they pile up (one per request thread ever
started), and however they are kept, the number in use follows the number of requests in flight.
So the process bounds that number here, in front of Django; Django hands each request's connection
back when it ends (CONN_MAX_AGE=0) to the process's pool of the same size (emergency.db.pool),
which keeps them open for the next requests:

- at most DATABASE_BUDGET_READS safe requests (GET, HEAD, OPTIONS: dashboards, lists, pages) and
  DATABASE_BUDGET_WRITES others run at once, each with at most one connection;
- a write takes a write slot, or a free read slot when every write slot is busy, and otherwise
  waits its turn (up to DATABASE_WRITE_WAIT_SECONDS): an officer's write is queued, not refused,
  and screens can never take the slots that writes keep;
- a read waits up to DATABASE_READ_WAIT_SECONDS for a read slot, then is shed with a 503, a
  Retry-After and a message in the user's language (JSON under /api/): the screen retries.

The rest of the process's budget: one connection for the live-event relay and one for the
WebSocket consumers (Channels runs their database work on a single thread). `connection_budget()`
is the total the README states.
"""
from __future__ import annotations

import asyncio
import logging
from io import BytesIO

from django.conf import settings

logger = logging.getLogger(__name__)

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
RETRY_AFTER_SECONDS = 2


def connection_budget() -> int:
    """PostgreSQL connections one web process may hold at most: its requests, the WebSocket
    consumers' thread and the live-event relay."""
    return settings.DATABASE_BUDGET


class DatabaseGate:
    """ASGI middleware: HTTP requests enter Django only with a slot of the process's budget."""

    def __init__(self, app, *, reads: int | None = None, writes: int | None = None,
                 read_wait: float | None = None, write_wait: float | None = None) -> None:
        self.app = app
        self.reads = asyncio.Semaphore(settings.DATABASE_BUDGET_READS if reads is None else reads)
        self.writes = asyncio.Semaphore(settings.DATABASE_BUDGET_WRITES if writes is None else writes)
        self.read_wait = settings.DATABASE_READ_WAIT_SECONDS if read_wait is None else read_wait
        self.write_wait = settings.DATABASE_WRITE_WAIT_SECONDS if write_wait is None else write_wait
        self.exempt = "/" + settings.STATIC_URL.lstrip("/")  # static files need no database
        self.shed = 0  # reads refused so far, for the benchmarks and the logs

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope["path"].startswith(self.exempt):
            return await self.app(scope, receive, send)
        slot = await self._acquire(scope["method"] not in SAFE_METHODS)
        if slot is None:
            self.shed += 1
            return await _send_busy(scope, send)
        try:
            return await self.app(scope, receive, send)
        finally:
            slot.release()

    async def _acquire(self, write: bool) -> asyncio.Semaphore | None:
        if write:
            for semaphore in (self.writes, self.reads):  # a free read slot serves a write at once
                if not semaphore.locked():
                    await semaphore.acquire()
                    return semaphore
            semaphore, wait = self.writes, self.write_wait
        else:
            semaphore, wait = self.reads, self.read_wait
        try:
            await asyncio.wait_for(semaphore.acquire(), wait)
        except TimeoutError:
            if write:
                logger.error("a write waited %.0f s for a database connection: refused", wait)
            return None
        return semaphore


def busy_message() -> str:
    from django.utils.translation import gettext as _

    return _("The platform is busy serving other requests. Please try again in a moment.")


async def _send_busy(scope, send) -> None:
    """The 503 of a shed request, in the user's language, without touching the database."""
    from django.core.handlers.asgi import ASGIRequest
    from django.http import HttpResponse
    from django.template.loader import render_to_string
    from django.utils import translation

    from emergency.api.errors import error_response, is_api

    request = ASGIRequest(scope, BytesIO())
    with translation.override(translation.get_language_from_request(request)):
        if is_api(request):
            response = error_response("busy", busy_message(), 503)
        else:
            response = HttpResponse(render_to_string("503.html", {"message": busy_message()}), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    headers = [(name.encode("latin-1"), value.encode("latin-1")) for name, value in response.items()]
    await send({"type": "http.response.start", "status": 503, "headers": headers})
    await send({"type": "http.response.body", "body": response.content})
