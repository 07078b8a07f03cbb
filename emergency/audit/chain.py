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
    return ChainReport(True, checked)
