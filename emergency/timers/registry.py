"""Handlers for each kind of timed duty. Domain apps register theirs at import time:

    @timers.registry.handler("incident.deadline.missed")
    def deadline_missed(duty: TimedDuty) -> None: ...

A handler runs inside the firing transaction: it writes rows (and registers on_commit work)
but must not talk to the outside world directly, so that a crash rolls everything back.
"""
from __future__ import annotations

from typing import Callable

_HANDLERS: dict[str, Callable] = {}


def handler(kind: str):
    def register(func: Callable) -> Callable:
        _HANDLERS[kind] = func
        return func

    return register


def handler_for(kind: str) -> Callable:
    try:
        return _HANDLERS[kind]
    except KeyError:
        raise LookupError(f"no handler registered for timed duty kind {kind!r}") from None
