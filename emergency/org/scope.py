"""Which units a user may see, and in which units they hold which role.

A role held in a unit covers the unit and all its descendants. The whole answer is one
recursive query, computed once per user object (so once per request) and cached on it.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from django.db import connection

_SCOPE_SQL = """
WITH RECURSIVE covered(role, unit_id) AS (
    SELECT ra.role, ra.unit_id FROM org_roleassignment ra WHERE ra.user_id = %s
  UNION
    SELECT covered.role, child.id FROM org_orgunit child JOIN covered ON child.parent_id = covered.unit_id
)
SELECT role, unit_id FROM covered
"""

_ALL_UNITS_SQL = "SELECT id FROM org_orgunit"


@dataclass(frozen=True)
class UnitScope:
    visible: frozenset[int]
    by_role: dict[str, frozenset[int]] = field(default_factory=dict)
    everything: bool = False

    def can_see(self, unit_id: int | None) -> bool:
        return unit_id is not None and (self.everything or unit_id in self.visible)

    def has_role(self, role: str, unit_id: int | None) -> bool:
        if unit_id is None:
            return False
        return unit_id in self.by_role.get(role, frozenset())

    def roles(self) -> frozenset[str]:
        return frozenset(role for role, units in self.by_role.items() if units)

    def units_with(self, *roles: str) -> frozenset[int]:
        found: set[int] = set()
        for role in roles:
            found |= self.by_role.get(role, frozenset())
        return frozenset(found)


EMPTY_SCOPE = UnitScope(visible=frozenset())


def unit_scope(user) -> UnitScope:
    """The user's scope; anonymous users see nothing, superusers (platform operators) everything."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return EMPTY_SCOPE
    cached = getattr(user, "_unit_scope", None)
    if cached is not None:
        return cached
    by_role: dict[str, set[int]] = {}
    with connection.cursor() as cursor:
        cursor.execute(_SCOPE_SQL, [user.pk])
        for role, unit_id in cursor.fetchall():
            by_role.setdefault(role, set()).add(unit_id)
        visible = set().union(*by_role.values()) if by_role else set()
        if user.is_superuser:
            cursor.execute(_ALL_UNITS_SQL)
            visible = {row[0] for row in cursor.fetchall()}
    scope = UnitScope(
        visible=frozenset(visible),
        by_role={role: frozenset(units) for role, units in by_role.items()},
        everything=user.is_superuser,
    )
    user._unit_scope = scope
    return scope


def forget_scope(user) -> None:
    """Drop the cached scope after the user's roles changed."""
    if hasattr(user, "_unit_scope"):
        del user._unit_scope
