"""What a plan's list of measures is made of (a warning's, city 3.2.2 3) / customs 3.2.2 (3); a
response's, city 3.3.4 / customs 3.3.4): each item in the plan's own words (Chinese first, the
English rendering second) with its clause; and which plan governs a unit, by its organisation's kind
(a customs district takes the customs plan's lists, every other organisation the city plan's)."""
from __future__ import annotations

from typing import NamedTuple

from django.utils.translation import get_language

from emergency.org.models import OrgUnit
from emergency.org.tree import top_id

CUSTOMS_KINDS = (OrgUnit.Kind.CUSTOMS_DISTRICT, OrgUnit.Kind.CUSTOMS_REGION, OrgUnit.Kind.CUSTOMS_OFFICE)


class PlanMeasure(NamedTuple):
    key: str
    wording: str
    wording_en: str
    clause: str

    @property
    def display(self) -> str:
        return self.wording_en if (get_language() or "").startswith("en") else self.wording


def under_customs_plan(unit: OrgUnit) -> bool:
    """Whether `unit`'s organisation (its top unit's kind decides) is a customs one."""
    top = unit if unit.parent_id is None else OrgUnit.objects.only("kind").get(pk=top_id(unit.pk))
    return top.kind in CUSTOMS_KINDS
