"""Writing to and checking the audit trail. Every service that changes state calls `audit_record`."""
from __future__ import annotations

import json
import logging
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction
from django.utils import timezone

from emergency.closing import current

from .chain import FIELDS, GENESIS, ChainReport, Head, entry_hash, verify_against_head, verify_rows
from .models import AuditCheck, AuditEntry, AuditHead

# Serialises appends to the chain until the appending transaction ends (live.publish takes it too,
# so that locks are always taken in one order: this one, then an organisation's event sequence).
CHAIN_LOCK_KEY = 7_310_001
logger = logging.getLogger("emergency.audit")


def snapshot(instance: models.Model, fields: list[str] | tuple[str, ...]) -> dict[str, Any]:
    """A JSON-safe picture of `fields` of `instance` (foreign keys by id)."""
    picture = {}
    for name in fields:
        field = instance._meta.get_field(name)
        picture[name] = getattr(instance, field.attname)
    return json.loads(json.dumps(picture, cls=DjangoJSONEncoder))


def _json_safe(value: Any) -> Any:
    return None if value is None else json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def audit_record(
    *, actor, unit_id: int, action: str, target: models.Model,
    before: dict[str, Any] | None = None, after: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append one entry to the chain. Must run inside the transaction of the change it records.
    In an operation's closing (emergency.closing) the entry is kept and appended with the others
    at the end of the change, so the chain's lock is held only for that."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit_record must run inside the transaction of the change it records")
    if unit_id is None:  # the audit views are per unit: an entry without one is seen by nobody
        raise ValueError("every audit entry names its unit (a system entry: the organisation's top unit)")
    entry = AuditEntry(
        actor_id=getattr(actor, "pk", None),
        unit_id=unit_id,
        action=action,
        object_type=target._meta.label_lower,
        object_id=str(target.pk),
        object_repr=str(target)[:300],
        before=_json_safe(before),
        after=_json_safe(after),
    )
    batch = current()
    if batch is not None:
        batch.entries.append(entry)
        return entry
    chain_lock()
    audit_append([entry])
    return entry


def chain_lock() -> None:
    """The chain's lock, held until the transaction ends (entries are appended one change at a time)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHAIN_LOCK_KEY])


def audit_append(entries: list[AuditEntry]) -> None:
    """Chain `entries` after the head and insert them in one statement; the chain's lock is held."""
    prev_hash = AuditEntry.objects.order_by("-id").values_list("hash", flat=True).first() or GENESIS
    now = timezone.now()
    for entry in entries:
        entry.at, entry.prev_hash = now, prev_hash
        entry.hash = prev_hash = entry_hash(
            prev_hash=prev_hash, at=entry.at, actor_id=entry.actor_id, unit_id=entry.unit_id, action=entry.action,
            object_type=entry.object_type, object_id=entry.object_id, object_repr=entry.object_repr,
            before=entry.before, after=entry.after,
        )
    AuditEntry.objects.bulk_create(entries)


def audit_chain_report() -> ChainReport:
    """Walk the chain up to the head the database recorded, and check that it ends there.

    The head is read first; entries appended meanwhile have higher ids (appends take the chain's
    lock in turn) and are left for the next check."""
    head = AuditHead.objects.filter(pk=1).values_list("entries", "last_entry_id", "last_hash").first()
    head = Head(*head) if head else None
    entries = AuditEntry.objects.order_by("id")
    if head is not None:
        entries = entries.filter(id__lte=head.last_entry_id)
    report = verify_rows(entries.values_list(*FIELDS).iterator(chunk_size=5000))
    if head is None and report.entries_checked:  # appended since the head was read: read it again
        head = AuditHead.objects.filter(pk=1).values_list("entries", "last_entry_id", "last_hash").first()
        head = Head(*head) if head else None
        if head is not None:
            return audit_chain_report()
    return verify_against_head(report, head)


def audit_chain_check() -> AuditCheck:
    """Verify the whole chain and record the result."""
    report = audit_chain_report()
    # The log leaves the database: the head it names is a witness an attacker there cannot rewrite.
    if report.ok:
        logger.info("audit chain intact: %d entries, head #%s %s", report.entries_checked, report.last_id,
                    report.last_hash)
    else:
        logger.error("audit chain BROKEN at entry %s: %s", report.first_broken_id, report.reason)
    return AuditCheck.objects.create(
        entries_checked=report.entries_checked, ok=report.ok,
        first_broken_id=report.first_broken_id, reason=report.reason,
    )
