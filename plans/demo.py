"""The plans part of a demo organisation's file: approval routes, drill and evaluation cadences, the
annual review's due date, and the general plan in force (its text from `emergency/demo/plans/`)."""
from __future__ import annotations

import re
from datetime import date, datetime, time

from dateutil.relativedelta import relativedelta
from django.utils import timezone

from emergency.audit.services import audit_record
from emergency.org.demo import DEMO_DIR, LoadReport, demo_section
from emergency.org.models import Department, OrgUnit, RoleAssignment
from emergency.org.roles import Role

from . import duties, selectors
from .loader import load_cadences, load_filing_term, load_routes
from .models import AnnualReviewPolicy, Plan, PlanEdition, PlanType, PlanVersion

CHAPTER = re.compile(r"^(\d+)\s+(\S.*)$")  # "1  总则": a chapter; "1.1  适用范围" is not


def chapters(text: str) -> tuple[str, list[dict[str, str]]]:
    """The plan's title (its first line) and its chapters as sections."""
    lines = text.strip().splitlines()
    title, sections, preamble = lines[0].strip(), [], []
    for line in lines[1:]:
        match = CHAPTER.match(line.strip())
        if match:
            sections.append({"title": f"{match.group(1)} {match.group(2).strip()}", "body": ""})
        elif sections:
            sections[-1]["body"] += line.strip() + "\n" if line.strip() else ""
        elif line.strip():
            preamble.append(line.strip())
    if preamble:
        sections.insert(0, {"title": "前言", "body": "\n".join(preamble) + "\n"})
    return title, [{"title": s["title"], "body": s["body"].strip()} for s in sections]


def load_general_plan(top: OrgUnit, item: dict, report: LoadReport) -> Plan | None:
    """The organisation's general plan, as it is in force: published before the platform was set up
    (its edition dated when the plan was issued), its drill and evaluation due a cycle after that (a
    plan issued years ago with no drill recorded shows its drill overdue, as it is)."""
    title, sections = chapters((DEMO_DIR / item["file"]).read_text(encoding="utf-8"))
    if Plan.objects.filter(unit=top, plan_type=PlanType.GENERAL, title=title).exists():
        return None
    admin = RoleAssignment.objects.filter(role=Role.PLAN_ADMIN, unit=top).select_related("user").first()
    if admin is None:
        return None
    published = item.get("published_on") or timezone.localdate()
    published = published if isinstance(published, date) else date.fromisoformat(str(published))
    moment = timezone.make_aware(datetime.combine(published, time(9)))
    plan = Plan.objects.create(unit=top, plan_type=PlanType.GENERAL, title=title, created_by=admin.user,
                               lead_department=Department.objects.filter(code=item.get("lead_department")).first())
    version = PlanVersion.objects.create(plan=plan, number=1, sections=sections, change_summary="现行版本",
                                         created_by=admin.user, state=PlanVersion.State.PUBLISHED)
    edition = PlanEdition.objects.create(plan=plan, version=version, number=1, title=title, sections=sections,
                                         published_at=moment, published_by=admin.user)
    plan.published_edition, plan.state = edition, Plan.State.PUBLISHED
    cadence = selectors.plan_cadence(plan=plan)
    if cadence and cadence.drill_months:
        plan.next_drill_due = published + relativedelta(months=cadence.drill_months)
    if cadence and cadence.evaluation_months:
        plan.next_evaluation_due = published + relativedelta(months=cadence.evaluation_months)
    plan.save(update_fields=["published_edition", "state", "next_drill_due", "next_evaluation_due"])
    duties.due_set(plan=plan, what="drill", due_on=plan.next_drill_due)
    duties.due_set(plan=plan, what="evaluation", due_on=plan.next_evaluation_due)
    audit_record(actor=None, unit_id=top.pk, action="plan.publish", target=edition,
                 after={"version": 1, "published_on": str(published), "loaded": "demo"})
    report.created += 1
    return plan



@demo_section
def _plans(*, top: OrgUnit, data: dict, report: LoadReport) -> None:
    if data.get("plan_routes"):
        load_routes(top, data["plan_routes"])
        load_cadences(top, data.get("plan_cadence") or [])
        load_filing_term(top, data.get("plan_filing"))
    if data.get("general_plan"):
        load_general_plan(top, data["general_plan"], report)
    if data.get("annual_review"):
        AnnualReviewPolicy.objects.update_or_create(organisation=top, defaults={
            "due_month": data["annual_review"].get("month", 3), "due_day": data["annual_review"].get("day", 31)})
