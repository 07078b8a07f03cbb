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

# Every unit of the organisations (top units and their trees) in which the user holds any role.
_ORGANISATIONS_SQL = """
WITH RECURSIVE up(id, parent_id) AS (
    SELECT u.id, u.parent_id FROM org_orgunit u JOIN org_roleassignment ra ON ra.unit_id = u.id WHERE ra.user_id = %s
  UNION
    SELECT p.id, p.parent_id FROM org_orgunit p JOIN up ON p.id = up.parent_id
), down(id) AS (
    SELECT id FROM up WHERE parent_id IS NULL
  UNION
    SELECT c.id FROM org_orgunit c JOIN down ON c.parent_id = down.id
)
SELECT id FROM down
"""


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


def organisation_units(user) -> frozenset[int] | None:
    """Every unit of the organisations the user works in (None: every unit, for platform operators).

    What a choice may name: a unit can address its whole organisation (neighbours, superiors,
    subordinates) but nothing of another organisation, except through a configured link."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    if user.is_superuser:
        return None
    cached = getattr(user, "_organisation_units", None)
    if cached is None:
        with connection.cursor() as cursor:
            cursor.execute(_ORGANISATIONS_SQL, [user.pk])
            cached = frozenset(row[0] for row in cursor.fetchall())
        user._organisation_units = cached
    return cached


_LINKED_SQL = """
SELECT l.linked_id FROM org_organisationlink l JOIN org_orgunit u ON u.id = l.organisation_id
WHERE u.parent_id IS NULL AND u.id = ANY(%s)
"""

_MEMBERS_SQL = """
WITH RECURSIVE org(id) AS (
    SELECT %s::bigint
  UNION
    SELECT c.id FROM org_orgunit c JOIN org ON c.parent_id = org.id
)
SELECT u.id FROM org_user u WHERE u.id = ANY(%s) AND (
    EXISTS (SELECT 1 FROM org_roleassignment ra JOIN org ON ra.unit_id = org.id WHERE ra.user_id = u.id)
    OR NOT EXISTS (SELECT 1 FROM org_roleassignment ra WHERE ra.user_id = u.id))
"""


def linked_organisations(user) -> frozenset[int]:
    """The organisations (top units) that the user's organisations inform (联动单位)."""
    units = organisation_units(user)
    with connection.cursor() as cursor:
        if units is None:
            cursor.execute("SELECT DISTINCT linked_id FROM org_organisationlink")
        else:
            cursor.execute(_LINKED_SQL, [list(units)])
        return frozenset(row[0] for row in cursor.fetchall())


def organisation_members(organisation_id: int, user_ids) -> set[int]:
    """Those of `user_ids` who hold a role somewhere in the organisation under `organisation_id`, or
    no role at all (an account not yet placed belongs to no other organisation)."""
    ids = sorted(set(user_ids))
    if not ids:
        return set()
    with connection.cursor() as cursor:
        cursor.execute(_MEMBERS_SQL, [organisation_id, ids])
        return {row[0] for row in cursor.fetchall()}


def scoped(queryset, user, units: frozenset[int] | None = None):
    """`queryset` limited to the objects owned by `units` (default: the user's organisations).

    The owning unit is found through the model's `scope_lookup` (the path to its unit, "pk" for a
    unit itself); a model without one cannot be offered as a choice."""
    model = queryset.model
    lookup = getattr(model, "scope_lookup", None)
    if lookup is None:
        raise TypeError(f"{model.__name__} has no scope_lookup: say which unit owns it")
    allowed = organisation_units(user) if units is None else units
    if allowed is None:
        return queryset
    owned = model._default_manager.filter(**{f"{lookup}__in": list(allowed)}).values("pk")
    return queryset.filter(pk__in=owned)


def forget_scope(user) -> None:
    """Drop the cached scope after the user's roles changed."""
    for name in ("_unit_scope", "_organisation_units"):
        if hasattr(user, name):
            delattr(user, name)
