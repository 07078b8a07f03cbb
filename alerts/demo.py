"""The warnings part of a demo organisation's file: who issues each level."""
from __future__ import annotations

from emergency.org.demo import LoadReport, demo_section
from emergency.org.models import OrgUnit

from .models import WarningAuthority


@demo_section
def _warnings(*, top: OrgUnit, data: dict, report: LoadReport) -> None:
    for item in data.get("warning_authority") or []:
        WarningAuthority.objects.update_or_create(organisation=top, level=item["level"],
                                                  defaults={"roles": item["roles"]})
