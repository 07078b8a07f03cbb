"""Who may attach files to a record: someone holding one of the given roles in the record's unit (a
role held in a unit covers its descendants, as everywhere)."""
from __future__ import annotations

from typing import Callable

from django.utils.translation import gettext as _

from emergency.errors import NotPermitted
from emergency.org.roles import Role
from emergency.org.scope import unit_scope


def held_in_unit(*roles: str, unit: Callable) -> Callable:
    def check(user, record) -> None:
        if unit(record) not in unit_scope(user).units_with(*roles):
            raise NotPermitted(_("Only the %(roles)s of %(unit)s may attach files here.") % {
                "roles": " / ".join(str(Role(r).label) for r in roles), "unit": _unit_name(unit(record))})
    return check


def _unit_name(unit_id: int) -> str:
    from emergency.org.models import OrgUnit

    return OrgUnit.objects.filter(pk=unit_id).values_list("name", flat=True).first() or ""
