"""The warnings part of a demo organisation's file: who issues each level."""
from __future__ import annotations

from emergency.org.demo import LoadReport, demo_section
from emergency.org.models import OrgUnit

from .models import WarningAuthority, WarningTarget


@demo_section
def _warnings(*, top: OrgUnit, data: dict, report: LoadReport) -> None:
    for item in data.get("warning_authority") or []:
        WarningAuthority.objects.update_or_create(organisation=top, level=item["level"],
                                                  defaults={"roles": item["roles"], "basis": item.get("basis", ""),
                                                            "from_plan": item.get("from_plan", False)})


@demo_section
def _last_mile(*, top: OrgUnit, data: dict, report: LoadReport) -> None:
    """`warning_targets`: the special populations and places each unit reaches by a targeted means."""
    units = {u.code: u for u in OrgUnit.objects.descendants(top, include_self=True)}
    for item in data.get("warning_targets") or []:
        _, created = WarningTarget.objects.update_or_create(unit=units[item["unit"]], name=item["name"], defaults={
            "kind": item["kind"], "channel": item["channel"], "contact": str(item.get("contact", "")),
            "people": item.get("people"), "lat": item.get("lat"), "lon": item.get("lon"),
            "basis": item.get("basis", "")})
        report.created += int(created)
