"""The incidents part of a demo organisation's file: reporting rules, report copy rules, and its own copy of the shipped
grading table."""
from __future__ import annotations

from emergency.org.demo import LoadReport, demo_section
from emergency.org.models import OrgUnit

from .grading.services import table_adopt_shipped
from .models import ReleaseAuthority, ReportCopyRule, ReportingRule


@demo_section
def _incidents(*, top: OrgUnit, data: dict, report: LoadReport) -> None:
    for item in data.get("reporting_rules") or []:
        ReportingRule.objects.update_or_create(organisation=top, kind=item["kind"], defaults={
            "within_minutes": item["within_minutes"], "counted_from": item["counted_from"],
            "from_plan": item["from_plan"], "basis": item["basis"]})
    load_release_authority(top, data.get("release_authority") or [])
    copy_rules(top, data.get("report_copy_rules") or [])
    if table_adopt_shipped(organisation=top):  # the demo grades each organisation by its own copy of the shipped table
        report.created += 1


def load_release_authority(top: OrgUnit, items: list[dict]) -> None:
    """`release_authority`: who approves a public release of each grade (a missing grade: every other)."""
    for item in items:
        ReleaseAuthority.objects.update_or_create(organisation=top, grade=item.get("grade", ""), defaults={
            "roles": item["roles"], "held_at": item["held_at"], "basis": item.get("basis", ""),
            "from_plan": item.get("from_plan", False)})


def copy_rules(top: OrgUnit, items: list[dict]) -> None:
    """The organisation's copy rules (抄送), replaced as a whole by its file's."""
    ReportCopyRule.objects.filter(organisation=top).delete()
    for item in items:
        ReportCopyRule.objects.create(organisation=top, categories=item.get("categories") or [],
                                      types=item.get("types") or [], target=item["target"],
                                      department_name=item.get("department_name", ""), recipient=item["recipient"],
                                      basis=item["basis"], from_plan=item.get("from_plan", True))
