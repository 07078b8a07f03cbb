"""Load the two demo organisations (西安海关, 贵港市) from the YAML under `emergency/demo/`.

Idempotent: rows are matched by their codes (experts by pool and name) and only what differs
is written; each creation or change appends an audit entry whose actor is the loader (None).
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from django.db import transaction

from emergency.audit.services import audit_record, snapshot

from .models import Department, Expert, ExpertPool, OrgUnit, RoleAssignment, User
from .roles import DEPARTMENT_ROLES, Role
from .services import DEPARTMENT_FIELDS, EXPERT_FIELDS, UNIT_FIELDS

DEMO_DIR = Path(__file__).resolve().parent.parent / "demo"
DEMO_PASSWORD = "demo-pass-2026"
DEMO_ROLE_NAMES = {
    Role.DUTY_OFFICER: "值班员",
    Role.LEAD_OFFICER: "牵头部门人员",
    Role.COMMANDER: "指挥长",
    Role.PRINCIPAL: "主要负责同志",
    Role.PARTY_COMMITTEE: "党委（党组）",
    Role.LEADER_IN_CHARGE: "分管负责同志",
    Role.DEPARTMENT_PRINCIPAL: "牵头部门主要负责同志",
    Role.PLAN_ADMIN: "预案管理员",
    Role.SYSTEM_ADMIN: "系统管理员",
}
DEMO_ROLES = {
    "duty": Role.DUTY_OFFICER,
    "lead": Role.LEAD_OFFICER,
    "commander": Role.COMMANDER,
    "principal": Role.PRINCIPAL,
    "party": Role.PARTY_COMMITTEE,
    "incharge": Role.LEADER_IN_CHARGE,
    "deptprincipal": Role.DEPARTMENT_PRINCIPAL,
    "planadmin": Role.PLAN_ADMIN,
    "sysadmin": Role.SYSTEM_ADMIN,
}


@dataclass
class LoadReport:
    created: int = 0
    updated: int = 0

    def __add__(self, other: "LoadReport") -> "LoadReport":
        return LoadReport(self.created + other.created, self.updated + other.updated)


def _upsert(model, lookup: dict[str, Any], values: dict[str, Any], fields, report: LoadReport, unit_id=None):
    """Create or update one row, auditing what changed."""
    instance = model.objects.filter(**lookup).first()
    if instance is None:
        instance = model.objects.create(**lookup, **values)
        report.created += 1
        audit_record(actor=None, unit_id=unit_id(instance) if unit_id else None, action="demo.create",
                     target=instance, after=snapshot(instance, fields))
        return instance
    before = snapshot(instance, fields)
    for name, value in values.items():
        setattr(instance, name, value)
    after = snapshot(instance, fields)
    if after != before:
        instance.save()
        report.updated += 1
        audit_record(actor=None, unit_id=unit_id(instance) if unit_id else None, action="demo.update",
                     target=instance, before=before, after=after)
    return instance


def _load_unit(node: dict, parent: OrgUnit | None, position: int, report: LoadReport) -> OrgUnit:
    unit = _upsert(
        OrgUnit, {"code": node["code"]},
        {"name": node["name"], "name_en": node.get("name_en", ""), "kind": node["kind"],
         "division_code": str(node.get("division_code") or ""), "parent": parent, "position": position,
         "superior_name": node.get("superior_name", "")},
        UNIT_FIELDS, report, unit_id=lambda u: u.pk,
    )
    for index, child in enumerate(node.get("children") or []):
        _load_unit(child, unit, index, report)
    return unit


def load_organisation(path: Path, *, prefix: str) -> LoadReport:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    report = LoadReport()
    top = _load_unit(data["organisation"], None, 0, report)
    units = {u.code: u for u in OrgUnit.objects.descendants(top, include_self=True)}
    for index, item in enumerate(data.get("departments") or []):
        _upsert(
            Department, {"code": item["code"]},
            {"unit": units[item["unit"]], "name": item["name"], "name_en": item.get("name_en", ""),
             "duties": (item.get("duties") or "").strip(), "duties_en": (item.get("duties_en") or "").strip(),
             "position": index},
            DEPARTMENT_FIELDS, report, unit_id=lambda d: d.unit_id,
        )
    for item in data.get("experts") or []:
        unit = units[item["unit"]]
        pool = _upsert(ExpertPool, {"unit": unit, "name": item["pool"]}, {"name_en": item.get("pool_en", "")},
                       ("unit", "name", "name_en"), report, unit_id=lambda p: p.unit_id)
        _upsert(
            Expert, {"pool": pool, "name": item["name"]},
            {"field": item["field"], "field_en": item.get("field_en", ""), "contact": str(item["contact"])},
            EXPERT_FIELDS, report, unit_id=lambda e: pool.unit_id,
        )
    _load_demo_users(top, prefix, report)
    _load_authority(top, data.get("response_authority") or [], report)
    if data.get("plan_routes"):
        from plans.loader import load_cadences, load_routes

        load_routes(top, data["plan_routes"])
        load_cadences(top, data.get("plan_cadence") or [])
    for item in data.get("reporting_rules") or []:
        from incidents.models import ReportingRule

        ReportingRule.objects.update_or_create(organisation=top, kind=item["kind"], defaults={
            "within_minutes": item["within_minutes"], "counted_from": item["counted_from"],
            "from_plan": item["from_plan"], "basis": item["basis"]})
    for item in data.get("warning_authority") or []:
        from alerts.models import WarningAuthority

        WarningAuthority.objects.update_or_create(organisation=top, level=item["level"],
                                                  defaults={"roles": item["roles"], "basis": item.get("basis", ""),
                                                            "from_plan": item.get("from_plan", False)})
    from incidents.grading.services import table_adopt_shipped

    if table_adopt_shipped(organisation=top):  # the demo grades each organisation by its own copy of v1
        report.created += 1
    if data.get("annual_review"):
        from plans.models import AnnualReviewPolicy

        AnnualReviewPolicy.objects.update_or_create(organisation=top, defaults={
            "due_month": data["annual_review"].get("month", 3), "due_day": data["annual_review"].get("day", 31)})
    return report


def _load_authority(top: OrgUnit, rules: list[dict], report: LoadReport) -> None:
    from incidents.response.models import AuthorityRule

    for item in rules:
        _upsert(
            AuthorityRule, {"organisation": top, "level": item["level"]},
            {"decider_roles": item["deciders"], "scope": item["scope"], "proposer_roles": item["proposers"],
             "direct_start_roles": item.get("direct_start", []),
             "remind_after_seconds": int(item.get("remind_after_minutes", 10)) * 60,
             "wording": item.get("wording", ""), "command_at": item.get("command_at", "top")},
            ("organisation", "level", "decider_roles", "scope", "proposer_roles", "direct_start_roles",
             "remind_after_seconds", "wording", "command_at"), report, unit_id=lambda r: r.organisation_id,
        )


def _load_demo_users(top: OrgUnit, prefix: str, report: LoadReport) -> None:
    lead_department = top.departments.order_by("position", "id").first()
    for suffix, role in DEMO_ROLES.items():
        username = f"{prefix}-{suffix}"
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(username=username, full_name=f"{top.name}{DEMO_ROLE_NAMES[role]}（演示）",
                        email=f"{username}@emergency.invalid")
            user.set_password(DEMO_PASSWORD)
            user.save()
            report.created += 1
        department = lead_department if role in DEPARTMENT_ROLES else None
        assignment, created = RoleAssignment.objects.get_or_create(
            user=user, unit=top, role=role, department=department
        )
        if created:
            report.created += 1
            audit_record(actor=None, unit_id=top.pk, action="demo.role_assign", target=assignment,
                         after=snapshot(assignment, ("user", "unit", "role", "department")))


DEMO_ORGANISATIONS = (("xian_customs.yaml", "xa"), ("guigang_city.yaml", "gg"))


def load_links(top: OrgUnit, items: list[dict], report: LoadReport) -> None:
    """`linked_organisations`: the organisations `top` informs (联动单位), by their code, each with
    its basis in the plan. Run once every organisation is loaded; an unknown code is an error."""
    from .models import OrganisationLink

    for item in items:
        linked = OrgUnit.objects.filter(code=item["code"], parent__isnull=True).first()
        if linked is None:
            raise ValueError(f"{top.code}: linked organisation {item['code']!r} is not a loaded organisation")
        link, created = OrganisationLink.objects.update_or_create(organisation=top, linked=linked,
                                                                  defaults={"basis": item.get("basis", "")})
        if created:
            report.created += 1
            audit_record(actor=None, unit_id=top.pk, action="demo.organisation_link", target=link,
                         after={"linked": linked.pk, "basis": link.basis})


@transaction.atomic
def load_demo() -> LoadReport:
    report = LoadReport()
    for filename, prefix in DEMO_ORGANISATIONS:
        report = report + load_organisation(DEMO_DIR / filename, prefix=prefix)
    for filename, _prefix in DEMO_ORGANISATIONS:  # links name other organisations: once all exist
        data = yaml.safe_load((DEMO_DIR / filename).read_text(encoding="utf-8"))
        top = OrgUnit.objects.get(code=data["organisation"]["code"])
        load_links(top, data.get("linked_organisations") or [], report)
    return report
