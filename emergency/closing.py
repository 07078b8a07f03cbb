"""An operation's audit entries and live events, written together at the end of its change.

The audit chain is one lock for the whole database (each entry names the hash before it), and a
live frame must carry what screens apply (emergency.live.describe: a dozen queries in both
languages). Written as the services call them, the chain's lock was taken by the first entry and
held through every query after it, so describing a frame before commit serialised every write,
and describing it after commit made each frame wait for its change's thread (the relay holds the
frames after it too).

Inside `closing()` (every page and API operation runs in one: emergency.operations) the services'
`audit_record` and `live.publish` calls are kept, and at the end of the change, still in its
transaction:

1. each organisation's last event number is read, then the frames' subjects are described, with
   no lock of the chain held: the picture is the change's own, as it will commit;
2. the chain's lock is taken and the entries are appended in one statement;
3. a subject another change published about between (1) and now may be older in this picture
   than in that change's frame: its frames go without `apply`, and are described after commit as
   outside a closing (emergency.live); every other frame carries its entries, so the relay sends
   it the moment the change commits.

The chain's lock is held for those few statements only. Outside a closing (tasks, the demo load,
tests calling services) both calls write at once, as before.
"""
from __future__ import annotations

import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Iterator

from django.db import transaction

_local = threading.local()


@dataclass
class Closing:
    entries: list[Any] = field(default_factory=list)  # unsaved AuditEntry objects, in call order
    events: list[dict[str, Any]] = field(default_factory=list)  # emergency.live.publish's arguments


def current() -> Closing | None:
    """The closing the calling thread's change runs in, if any."""
    return getattr(_local, "closing", None)


@contextmanager
def closing() -> Iterator[Closing]:
    """Run a change in one transaction whose audit entries and live events are written at its end.
    A closing inside another joins it."""
    if current() is not None:
        yield current()
        return
    with transaction.atomic():
        batch = _local.closing = Closing()
        try:
            yield batch
            _local.closing = None  # what _write records is not kept again
            _write(batch)
        finally:
            _local.closing = None


def _write(batch: Closing) -> None:
    from emergency import live
    from emergency.audit.services import audit_append, chain_lock

    if not batch.entries and not batch.events:
        return
    before = live.numbers_before(batch.events)
    descriptions = live.describe(dict.fromkeys(e["subject"] for e in batch.events if e["subject"]))
    chain_lock()
    if batch.entries:
        audit_append(batch.entries)
    live.record_described(batch.events, before, descriptions)
