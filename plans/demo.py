"""The plans part of a demo organisation's file: approval routes, drill and evaluation cadences, the
annual review's due date."""
from __future__ import annotations

from emergency.org.demo import LoadReport, demo_section
from emergency.org.models import OrgUnit

from .loader import load_cadences, load_routes
from .models import AnnualReviewPolicy


@demo_section
def _plans(*, top: OrgUnit, data: dict, report: LoadReport) -> None:
    if data.get("plan_routes"):
        load_routes(top, data["plan_routes"])
        load_cadences(top, data.get("plan_cadence") or [])
    if data.get("annual_review"):
        AnnualReviewPolicy.objects.update_or_create(organisation=top, defaults={
            "due_month": data["annual_review"].get("month", 3), "due_day": data["annual_review"].get("day", 31)})
