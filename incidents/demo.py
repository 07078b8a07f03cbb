"""The incidents part of a demo organisation's file: reporting rules, report copy rules, its own grading table of
the standard its plan grades by (`grading_standard`), and who grades by hand where no row decides (`grading_authority`)."""
from __future__ import annotations

from emergency.org.demo import LoadReport, demo_section
from emergency.org.models import OrgUnit

from .grading.models import GradingAuthority
from .grading.services import table_seed
from .models import ReleaseAuthority, ReportCopyRule, ReportingRule


@demo_section
def _incidents(*, top: OrgUnit, data: dict, report: LoadReport) -> None:
    for item in data.get("reporting_rules") or []:
        ReportingRule.objects.update_or_create(organisation=top, kind=item["kind"], defaults={
            "within_minutes": item["within_minutes"], "counted_from": item["counted_from"],
            "from_plan": item["from_plan"], "basis": item["basis"]})
    load_release_authority(top, data.get("release_authority") or [])
    copy_rules(top, data.get("report_copy_rules") or [])
    if table_seed(organisation=top, standard=data.get("grading_standard") or "appendix"):
        report.created += 1
    load_grading_authority(top, data.get("grading_authority") or [])


def load_grading_authority(top: OrgUnit, items: list[dict]) -> None:
    """`grading_authority`: who sets each grade by hand where the table has no row that decides it."""
    GradingAuthority.objects.filter(organisation=top).exclude(grade__in=[i.get("grade", "") for i in items]).delete()
    for item in items:
        GradingAuthority.objects.update_or_create(organisation=top, grade=item.get("grade", ""), defaults={
            "roles": item["roles"], "held_at": item["held_at"], "basis": item.get("basis", ""),
            "from_plan": item.get("from_plan", False)})


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
                                      basis=item["basis"], from_plan=item.get("from_plan", True),
                                      level=item.get("level", ReportCopyRule.Level.RECEIVING),
                                      outside_recipient=item.get("outside_recipient", ""),
                                      when_needed=item.get("when_needed", False),
                                      needed_by_default=item.get("needed_by_default", False))
