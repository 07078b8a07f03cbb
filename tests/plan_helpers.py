"""An organisation with the demo's plan routes and cadences, and its plan administrators."""
from dataclasses import dataclass

from django.db import transaction

from emergency.org.models import Department, OrgUnit
from plans.loader import load_cadences, load_filing_term, load_routes

from .factories import DepartmentFactory, UnitFactory, user_with_role

CADENCE = {"city": [{"type": "special", "drill_months": 36, "evaluation_months": 36},
                    {"type": "departmental", "drill_months": 36, "evaluation_months": 36},
                    {"type": "general", "evaluation_months": 36}],
           "customs": [{"type": t, "drill_months": 24, "evaluation_months": 36}
                       for t in ("general", "special", "departmental", "grassroots")]}


@dataclass
class PlanOrg:
    top: OrgUnit
    sub: OrgUnit
    lead: Department
    admin: object


def plan_org(kind: str = "city") -> PlanOrg:
    top = UnitFactory(code=f"p-{kind}", name="贵港市" if kind == "city" else "西安海关")
    sub = UnitFactory(code=f"p-{kind}-sub", name="港北区" if kind == "city" else "商洛海关", parent=top)
    lead = DepartmentFactory(unit=top, code=f"p-{kind}-lead", name="市应急管理局")
    with transaction.atomic():
        load_routes(top, f"routes_{kind}")
        load_cadences(top, CADENCE[kind])
        load_filing_term(top, {"days": 30, "basis": "本单位设定"})
    return PlanOrg(top=top, sub=sub, lead=lead, admin=user_with_role("plan_admin", top))
