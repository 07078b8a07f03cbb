"""The hash chain over the audit trail: how a row's hash is computed and how the chain is checked."""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Iterable

GENESIS = "0" * 64


def canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def entry_hash(
    *, prev_hash: str, at: datetime, actor_id: int | None, unit_id: int | None, action: str,
    object_type: str, object_id: str, object_repr: str, before: Any, after: Any,
) -> str:
    body = canonical({
        "prev": prev_hash,
        "at": at.isoformat(timespec="microseconds"),
        "actor": actor_id,
        "unit": unit_id,
        "action": action,
        "type": object_type,
        "id": object_id,
        "repr": object_repr,
        "before": before,
        "after": after,
    })
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    entries_checked: int
    first_broken_id: int | None = None
    reason: str = ""
    last_id: int | None = None
    last_hash: str = GENESIS


FIELDS = ("id", "prev_hash", "hash", "at", "actor_id", "unit_id", "action", "object_type", "object_id",
          "object_repr", "before", "after")


def verify_rows(rows: Iterable[tuple]) -> ChainReport:
    """Walk rows (in id order, as FIELDS tuples) and report the first broken link."""
    expected_prev = GENESIS
    checked = 0
    for row in rows:
        record = dict(zip(FIELDS, row))
        checked += 1
        if record["prev_hash"] != expected_prev:
            return ChainReport(False, checked, record["id"], "prev_hash does not match the previous entry's hash")
        recomputed = entry_hash(
            prev_hash=record["prev_hash"], at=record["at"], actor_id=record["actor_id"], unit_id=record["unit_id"],
            action=record["action"], object_type=record["object_type"], object_id=record["object_id"],
            object_repr=record["object_repr"], before=record["before"], after=record["after"],
        )
        if recomputed != record["hash"]:
            return ChainReport(False, checked, record["id"], "content does not match its hash")
        expected_prev = record["hash"]
        last_id = record["id"]
    return ChainReport(True, checked, last_id=last_id if checked else None, last_hash=expected_prev)


@dataclass(frozen=True)
class Head:
    """What the database recorded as the chain's end (`AuditHead`), or nothing yet."""

    entries: int
    last_entry_id: int
    last_hash: str


def verify_against_head(report: ChainReport, head: Head | None) -> ChainReport:
    """A chain intact link by link must also end where its head says: entries deleted from the end
    leave fewer entries, or another newest hash, than the head records."""
    if not report.ok:
        return report
    if head is None:
        if report.entries_checked:
            return ChainReport(False, report.entries_checked, report.last_id,
                               "the chain has entries but no recorded head")
        return report
    if report.entries_checked == head.entries and report.last_id == head.last_entry_id \
            and report.last_hash == head.last_hash:
        return report
    missing = head.entries - report.entries_checked
    if missing > 0:
        reason = (f"{missing} entries missing from the end: the head records {head.entries} entries "
                  f"ending at #{head.last_entry_id}, the chain has {report.entries_checked}")
    else:
        reason = (f"the chain does not end where its head says ({head.entries} entries ending at "
                  f"#{head.last_entry_id}; the chain has {report.entries_checked} ending at #{report.last_id})")
    return ChainReport(False, report.entries_checked, head.last_entry_id, reason)
