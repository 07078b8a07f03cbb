"""Seed an organisation's approval routes and drill/evaluation cadences from `plans/data`."""
from __future__ import annotations

from pathlib import Path

import yaml

from .models import ApprovalRoute, DrillCadence, FilingTerm, RouteStep

DATA_DIR = Path(__file__).resolve().parent / "data"


def load_routes(organisation, name: str) -> int:
    """Replace the organisation's routes with those of `data/<name>.yaml`. Returns the step count."""
    data = yaml.safe_load((DATA_DIR / f"{name}.yaml").read_text(encoding="utf-8"))
    count = 0
    for plan_type, spec in data.items():
        for simplified, steps in ((False, spec["steps"]), (True, spec.get("simplified"))):
            if steps is None:
                continue
            route, _created = ApprovalRoute.objects.update_or_create(
                organisation=organisation, plan_type=plan_type, simplified=simplified,
                defaults={"wording": spec.get("wording", "")})
            for index, step in enumerate(steps):
                RouteStep.objects.update_or_create(route=route, position=index, defaults={
                    "kind": step["kind"], "name": step["name"], "name_en": step.get("name_en", ""),
                    "roles": step["roles"], "scope": step["scope"]})
            route.steps.filter(position__gte=len(steps)).delete()
            count += len(steps)
    return count


def load_cadences(organisation, cadences: list[dict]) -> None:
    for item in cadences:
        DrillCadence.objects.update_or_create(
            organisation=organisation, plan_type=item["type"],
            defaults={"drill_months": item.get("drill_months"), "evaluation_months": item.get("evaluation_months"),
                      "unit_kinds": item.get("unit_kinds", []),
                      "drill_from_plan": item.get("drill_from_plan", True), "drill_basis": item.get("drill_basis", ""),
                      "evaluation_from_plan": item.get("evaluation_from_plan", False),
                      "evaluation_basis": item.get("evaluation_basis", "")})


def load_filing_term(organisation, item: dict | None) -> None:
    """`plan_filing`: the organisation's own term for filing a published plan (the plans give none)."""
    if not item:
        FilingTerm.objects.filter(organisation=organisation).delete()
        return
    FilingTerm.objects.update_or_create(organisation=organisation,
                                        defaults={"days": item["days"], "basis": item.get("basis", "")})
