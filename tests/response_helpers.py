"""A small organisation carrying one demo organisation's response authority rules."""
from dataclasses import dataclass
from pathlib import Path

import yaml
from django.db import transaction
from django.utils import timezone

from emergency.org.demo import DEMO_DIR, LoadReport
from incidents.demo import load_release_authority
from incidents.response.demo import load_authority
from emergency.org.models import Department, OrgUnit
from incidents import services as incident_services

from .factories import DepartmentFactory, UnitFactory, user_with_role

FILES = {"customs": "xian_customs.yaml", "city": "guigang_city.yaml"}


@dataclass
class Organisation:
    top: OrgUnit
    sub: OrgUnit
    lead: Department
    other: Department


def organisation(kind: str) -> Organisation:
    data = yaml.safe_load((Path(DEMO_DIR) / FILES[kind]).read_text(encoding="utf-8"))
    top = UnitFactory(code=f"{kind}-top", name="西安海关" if kind == "customs" else "贵港市")
    sub = UnitFactory(code=f"{kind}-sub", name="商洛海关" if kind == "customs" else "港北区", parent=top)
    lead = DepartmentFactory(unit=top, code=f"{kind}-lead", name="卫生检疫处" if kind == "customs" else "市应急管理局")
    other = DepartmentFactory(unit=top, code=f"{kind}-other", name="财务处" if kind == "customs" else "市财政局")
    with transaction.atomic():
        load_authority(top, data["response_authority"], LoadReport())
        load_release_authority(top, data["release_authority"])
    return Organisation(top=top, sub=sub, lead=lead, other=other)


def incident_in(org: Organisation, *, grade_deaths: int = 3, lead=True):
    officer = user_with_role("duty_officer", org.sub)
    now = timezone.now()
    incident = incident_services.incident_log(
        actor=officer, unit=org.sub, type_code="work_safety", title="仓库爆炸", address="物流园", occurred_at=now,
        received_at=now, body="首报", metrics={"deaths": grade_deaths}, lead_department=org.lead if lead else None)
    return incident


def lead_officer(org: Organisation):
    return user_with_role("lead_officer", org.top, department=org.lead)


def level_two_started():
    """A city incident whose level 2 the commander approved: (organisation, response, commander)."""
    from emergency.org.roles import Role
    from incidents.response import services

    city = organisation("city")
    proposal = services.proposal_create(actor=lead_officer(city), incident=incident_in(city), level=2, reasons="二级")
    commander = user_with_role(Role.COMMANDER, city.top)
    response = services.proposal_decide(actor=commander, proposal=proposal, outcome="approved").response
    return city, response, commander
