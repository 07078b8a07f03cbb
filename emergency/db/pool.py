"""A bounded pool of PostgreSQL connections shared by the threads of one process.

Under ASGI Django runs each request's sync code in a thread of its own and closes its connection
when the request ends (CONN_MAX_AGE=0): without a pool every request pays a new server process
(~10 ms of PostgreSQL's CPU here, more while its catalogue caches warm). The pool keeps up to `size`
connections open: a closing request hands its connection back (rolled back if a transaction was
left open), the next request takes the most recently used one. psycopg2 stays the driver: this is
the part of psycopg 3's pool that Django uses, for psycopg2.

- At most `size` connections are open or handed out at once; a caller waits up to `wait` seconds
  for one, then gets `OperationalError` (the web tier answers that with a 503). The web process's
  gate (emergency.gate) admits no more requests than the pool holds, so callers rarely wait.
- A handed-out connection that is never handed back (its thread died) frees its place when it is
  garbage-collected: the pool holds only weak references to connections in use.
- An idle connection the server has closed (restart, `idle_session_timeout`, PgBouncer) is found
  before it is handed out: its socket is readable while no query runs. It is dropped, not given.
- After a fork the child builds its own pools and never touches (nor frees) the parent's: closing
  an inherited connection would end the parent's session.
"""
from __future__ import annotations

import os
import select
import threading
import time
import weakref
from collections.abc import Callable
from typing import Any

import psycopg2
from psycopg2 import extensions

_pools: dict[tuple[int, str], ConnectionPool] = {}
_inherited: list[ConnectionPool] = []  # a forked child's view of its parent's pools: kept, never used
_lock = threading.Lock()


class ConnectionPool:
    def __init__(self, *, size: int, wait: float) -> None:
        self.size = size
        self.wait = wait
        self._idle: list[Any] = []  # most recently used last
        self._out: weakref.WeakSet = weakref.WeakSet()
        self._changed = threading.Condition()
        self.opened = 0  # connections ever opened, for tests and benchmarks

    def open_count(self) -> int:
        with self._changed:
            return len(self._idle) + len(self._out)

    def get(self, *, connect: Callable[[], Any]) -> Any:
        deadline = time.monotonic() + self.wait
        with self._changed:
            while True:
                while self._idle:
                    connection = self._idle.pop()
                    if _alive(connection):
                        self._out.add(connection)
                        return connection
                    _close_quietly(connection)
                if len(self._out) < self.size:
                    break
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise psycopg2.OperationalError(
                        f"all {self.size} connections of this process's pool stayed in use for {self.wait:.0f} s")
                self._changed.wait(min(remaining, 0.5))  # a lost connection frees its place silently
            self.opened += 1
            placeholder = _Placeholder()  # holds the place while connecting outside the lock
            self._out.add(placeholder)
        try:
            connection = connect()
        except BaseException:
            with self._changed:
                self._out.discard(placeholder)
                self._changed.notify_all()
            raise
        with self._changed:  # the place passes to the connection at once: never one too many
            self._out.discard(placeholder)
            self._out.add(connection)
        return connection

    def put(self, connection: Any, *, reuse: bool = True) -> None:
        if reuse:
            reuse = _reset(connection)
        if not reuse:
            _close_quietly(connection)
        with self._changed:
            self._out.discard(connection)
            if reuse:
                self._idle.append(connection)
            self._changed.notify_all()

    def close(self) -> None:
        with self._changed:
            idle, self._idle = self._idle, []
        for connection in idle:
            _close_quietly(connection)


class _Placeholder:
    """Stands for a connection being opened (weakly referenced like the others)."""


def pool_for(params: dict[str, Any], *, size: int, wait: float) -> ConnectionPool:
    """This process's pool for the server and database `params` name."""
    key = (os.getpid(), repr(sorted(params.items())))
    with _lock:
        pool = _pools.get(key)
        if pool is None:
            for other_key in [k for k in _pools if k[0] != key[0]]:
                _inherited.append(_pools.pop(other_key))
            pool = _pools[key] = ConnectionPool(size=size, wait=wait)
        return pool


def close_all() -> None:
    """Close this process's idle pooled connections (before dropping a database, at shutdown)."""
    pid = os.getpid()
    with _lock:
        pools = [pool for key, pool in _pools.items() if key[0] == pid]
    for pool in pools:
        pool.close()


def _alive(connection: Any) -> bool:
    if connection.closed:
        return False
    try:
        readable, _w, _x = select.select([connection.fileno()], [], [], 0)
    except (OSError, ValueError, psycopg2.Error):
        return False
    return not readable  # an idle session the server speaks on is one it has ended


def _reset(connection: Any) -> bool:
    """Whether the connection can serve another caller, after rolling back what it left open."""
    if connection.closed:
        return False
    try:
        if connection.info.transaction_status != extensions.TRANSACTION_STATUS_IDLE:
            connection.rollback()
        return connection.info.transaction_status == extensions.TRANSACTION_STATUS_IDLE
    except psycopg2.Error:
        return False


def _close_quietly(connection: Any) -> None:
    try:
        connection.close()
    except psycopg2.Error:
        pass
