"""Cheap walks up the organisation tree (the tree-wide CTE of django-tree-queries is for reads
of whole subtrees; these walk one unit's parents only)."""
from __future__ import annotations

import time

from django.db import connection

_PATH_SQL = """
WITH RECURSIVE up(id, code, parent_id, depth) AS (
    SELECT id, code, parent_id, 0 FROM org_orgunit WHERE id = %s
  UNION ALL
    SELECT u.id, u.code, u.parent_id, up.depth + 1 FROM org_orgunit u JOIN up ON u.id = up.parent_id
)
SELECT id, code FROM up ORDER BY depth DESC
"""


PATH_TTL_SECONDS = 60.0  # units never move; a renamed code shows in new numbers within this time
_paths: dict[int, tuple[float, list[tuple[int, str]]]] = {}


def unit_path(unit_id: int) -> list[tuple[int, str]]:
    """(id, code) of the unit and its ancestors, the top unit first (remembered for a minute)."""
    remembered = _paths.get(unit_id)
    if remembered is not None and time.monotonic() - remembered[0] < PATH_TTL_SECONDS:
        return remembered[1]
    with connection.cursor() as cursor:
        cursor.execute(_PATH_SQL, [unit_id])
        path = [(row[0], row[1]) for row in cursor.fetchall()]
    if len(_paths) > 10_000:
        _paths.clear()
    _paths[unit_id] = (time.monotonic(), path)
    return path


def forget_paths() -> None:
    _paths.clear()


def top_id(unit_id: int) -> int:
    """The organisation a unit belongs to: its top-level ancestor (or itself)."""
    return unit_path(unit_id)[0][0]


def ancestor_ids(unit_id: int) -> set[int]:
    """The unit and its ancestors."""
    return {pk for pk, _code in unit_path(unit_id)}


def reach_ids(unit) -> set[int]:
    """The units a unit can call on: itself, its superiors and its subordinates."""
    from .models import OrgUnit

    return ancestor_ids(unit.pk) | set(OrgUnit.objects.descendants(unit, include_self=True)
                                       .values_list("pk", flat=True))
