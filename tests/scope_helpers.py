"""Real objects of every kind a URL can name, made through the services in one unit.

Each object is left in the state in which a write on it would succeed (a pending proposal and
transfer, an open revision request, an unrecorded opinion, an issued order and warning), so that
a missing scope check shows up as a change, not as a refusal for some other reason.
"""
from __future__ import annotations

from datetime import timedelta

import yaml
from django.db import transaction
from django.utils import timezone

from django.core.files.uploadedfile import SimpleUploadedFile

from alerts import measures as alert_measures
from alerts import services as alert_services
from alerts.models import WarningTarget
from emergency.attachments.services import attachment_add
from emergency.audit.models import AuditEntry
from emergency.org.demo import DEMO_DIR, LoadReport
from incidents.response.demo import load_authority
from incidents.response.delegation_models import DelegationGrant
from incidents.response.help_models import HelpRequest
from incidents.response.models import AuthorityRule, KeyPeriod
from emergency.org.models import OrgUnit
from emergency.org.roles import DEPARTMENT_ROLES, Role
from incidents import releases, services as incident_services
from incidents.demo import copy_rules
from incidents.models import ReportCopy
from incidents.response import command
from incidents.response.dutylog import duty_log_write
from incidents.response import measures as response_measures
from incidents.response import services as response_services
from plans import annual
from plans import services as plan_services
from plans.loader import load_cadences, load_routes
from plans.models import AnnualReviewDuty, AnnualReviewPolicy

from .factories import DepartmentFactory, ExpertFactory, ExpertPoolFactory, UserFactory
from .plan_helpers import CADENCE

SECTIONS = [{"title": "1 总则", "body": "适用于本单位突发事件。"}]


def organisation_rules(top: OrgUnit) -> None:
    """The city's response authority, plan routes and cadences, report copy rules, and the annual review."""
    data = yaml.safe_load((DEMO_DIR / "guigang_city.yaml").read_text(encoding="utf-8"))
    with transaction.atomic():
        load_authority(top, data["response_authority"], LoadReport())
        # Level 4 commanded where the incident happens, so that a transfer upward exists to probe.
        AuthorityRule.objects.filter(organisation=top, level=4).update(command_at=AuthorityRule.CommandAt.INCIDENT_UNIT)
        load_routes(top, "routes_city")
        load_cadences(top, CADENCE["city"])
        copy_rules(top, data["report_copy_rules"])
    AnnualReviewPolicy.objects.create(organisation=top)
    annual.ensure_duties()


def boss_of(unit: OrgUnit, department):
    """One user holding every role in `unit` (department roles for its department)."""
    user = UserFactory(username=f"boss-{unit.code}")
    for role in Role:
        user.role_assignments.create(unit=unit, role=role, department=department if role in DEPARTMENT_ROLES else None)
    return user


def unit_objects(unit: OrgUnit) -> dict[str, object]:
    """kind → an object of `unit`; kinds are the names the scope matrix maps URL arguments to."""
    department = DepartmentFactory(unit=unit, code=f"{unit.code}-office", name=f"{unit.name}办公室")
    pool = ExpertPoolFactory(unit=unit, name=f"{unit.name}专家组")
    expert = ExpertFactory(pool=pool, name=f"{unit.name}专家")
    boss = boss_of(unit, department)
    objects = {"unit": unit, "department": department, "expert_pool": pool, "expert": expert, "boss": boss,
               "user": boss,
               "role_assignment": boss.role_assignments.first(),
               "annual_review": AnnualReviewDuty.objects.get(unit=unit)}
    objects.update(_incident_objects(unit, boss, department))
    objects.update(_plan_objects(unit, boss, department))
    objects.update(_warning_objects(unit, boss, department))
    objects["attachment"] = attachment_add(actor=boss, owner_kind="incident_report", owner_id=objects["report"].pk,
                                           file=SimpleUploadedFile("scene.png", _PNG))
    objects.update(_resource_objects(unit, boss, objects["incident"], objects["response"].command_post))
    objects.update(_resource_records(unit, boss, objects))
    objects["response_measure"] = response_measures.measure_assign(
        actor=boss, response=objects["response"], key=response_measures.catalogue_for(objects["response"])[0].key,
        department=department)
    objects["release"] = releases.release_draft(actor=boss, incident=objects["incident"], kind="release",
                                                channel=f"{unit.name}发布", text="权威发布")
    objects["duty_log_entry"] = duty_log_write(actor=boss, incident=objects["incident"], text=f"{unit.name}值班记录")
    objects["report_copy"] = ReportCopy.objects.create(
        report=objects["report"], unit=unit, department=department, recipient=department.name, basis="市预案3.3.1 2)",
        sent_at=timezone.now())
    objects["audit_entry"] = AuditEntry.objects.filter(unit=unit).first()
    return objects


_PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000002000000020802000000fdd49a730000001649444154"
                     "789c633cc1c0c0c0c0c0c4c0c0c0c0c000000a5200cc5027a13c0000000049454e44ae426082")


def _incident_objects(unit, boss, department) -> dict[str, object]:
    now = timezone.now()
    incident = incident_services.incident_log(
        actor=boss, unit=unit, type_code="work_safety", title=f"{unit.name}仓库火灾", address="物流园",
        occurred_at=now, received_at=now, body="首报", metrics={"deaths": 1}, lead_department=department)
    proposal = response_services.proposal_create(actor=boss, incident=incident, level=4, reasons="四级")
    response = response_services.proposal_decide(actor=boss, proposal=proposal, outcome="approved").response
    post = command.post_open(actor=boss, response=response, name=f"{unit.name}现场指挥部", location="物流园")
    group = command.group_add(actor=boss, post=post, kind="medical", lead_department=department)
    order = command.order_issue(actor=boss, response=response, text="组织搜救", department=department)
    transfer = response_services.transfer_request(actor=boss, response=response, reason="超出处置能力")
    pending = response_services.proposal_create(actor=boss, incident=incident, level=3, reasons="伤亡增加")
    return {"incident": incident, "report": incident.reports.get(), "response": response, "order": order,
            "transfer": transfer, "proposal": pending, "command_post": post, "working_group": group,
            "key_period": KeyPeriod.objects.create(organisation=unit, name=f"{unit.name}重要会议", starts_at=now,
                                                   ends_at=now + timedelta(days=1)),
            "help_request": HelpRequest.objects.create(response=response, from_unit=unit, to_body="自治区人民政府",
                                                       asked="请求派出专家组", requested_by=boss, requested_at=now),
            "delegation": DelegationGrant.objects.create(unit=unit, level=1, grantor=boss, grantor_role="principal",
                                                         grantee=boss, reason="出差", granted_at=now,
                                                         ends_at=now + timedelta(days=1))}


def _plan_objects(unit, boss, department) -> dict[str, object]:
    plan = plan_services.plan_create(actor=boss, unit=unit, plan_type="general", title=f"{unit.name}总体应急预案",
                                     sections=SECTIONS)
    version = plan_services.version_submit(actor=boss, version=plan.versions.get())
    _consult(boss, version, department, record=True)
    while plan_services.next_step(version).kind != "filing":  # approval, publication: edition 1
        plan_services.step_take(actor=boss, version=version, step=plan_services.next_step(version))
    revision = plan_services.version_start(actor=boss, plan=plan, change_summary="修订",  # a major one: full route
                                           sections=SECTIONS + [{"title": "9 组织指挥体系", "body": "调整"}])
    revision = plan_services.version_submit(actor=boss, version=revision)
    opinion = _consult(boss, revision, department, record=False)
    request = plan_services.revision_request_file(actor=boss, plan=plan, trigger="other", description="机构调整")
    return {"plan": plan, "edition": plan.editions.get(), "opinion": opinion, "revision_request": request,
            "step": plan_services.next_step(revision)}


def _consult(boss, version, department, *, record: bool):
    (opinion,) = plan_services.opinions_request(actor=boss, version=version, departments=[department],
                                                due_on=timezone.localdate() + timedelta(days=7))
    if record:
        plan_services.opinion_record(actor=boss, opinion=opinion, text="无意见")
        plan_services.step_take(actor=boss, version=version, step=plan_services.next_step(version))
    return opinion


def _warning_objects(unit, boss, department) -> dict[str, object]:
    warning = alert_services.warning_draft(
        actor=boss, unit=unit, type_code="flood_drought", level=4, title=f"{unit.name}洪水预警", signs="水位上涨",
        points="沿岸低洼地带可能受淹", area_desc=f"{unit.name}沿岸", starts_at=timezone.now())
    alert_measures.measure_assign(actor=boss, warning=warning, key="monitoring", department=department)
    message = alert_services.warning_issue(actor=boss, warning=warning)
    target = WarningTarget.objects.create(unit=unit, kind="elderly", name=f"{unit.name}敬老院", channel="phone")
    return {"warning": warning, "message": message, "measure": warning.measures.get(), "warning_target": target}


def _resource_objects(unit, boss, incident, post) -> dict[str, object]:
    """A team, a store with stock, equipment, a shelter and the catalogue entry of `unit`, and a
    request for the team from the unit's incident waiting for its decision (made by another
    officer, so that the boss's approval would go through)."""
    from emergency.org.tree import top_id
    from resources.models import ApprovalRule, SupplyItem
    from resources.services import inventory
    from resources.services.requests import point_open, request_create

    from .factories import user_with_role

    top = top_id(unit.pk)
    for kind in ApprovalRule.Kind.values:
        ApprovalRule.objects.get_or_create(organisation_id=top, kind=kind,
                                           defaults={"approver_roles": [Role.COMMANDER, Role.PRINCIPAL]})
    place = {"latitude": 23.1, "longitude": 109.6}
    item = SupplyItem.objects.create(organisation_id=top, code=f"tent-{unit.code}", name="救灾帐篷", category="living",
                                     unit_of_measure="顶")
    team = inventory.team_create(actor=boss, unit=unit, name=f"{unit.name}救援队", kind="grassroots", **place)
    store = inventory.store_create(actor=boss, unit=unit, name=f"{unit.name}储备点", **place)
    movement = inventory.stock_receive(actor=boss, store=store, item=item, quantity=50, batch="B1")
    requester = user_with_role(Role.DUTY_OFFICER, unit)
    request = request_create(actor=requester, incident=incident, kind="team", team=team, reason="救援")
    point = point_open(actor=boss, post=post, kind="receiving", name="物资接收点", **place)
    return {"team": team, "store": store, "supply": item, "point": point, "movement": movement, "resource_request": request,
            "resource_step": request.steps.get(),
            "equipment": inventory.equipment_create(actor=boss, unit=unit, name=f"{unit.name}水泵", kind="pump", **place),
            "shelter": inventory.shelter_create(actor=boss, unit=unit, name=f"{unit.name}避难场所", capacity=100, **place)}


def _resource_records(unit, boss, objects) -> dict[str, object]:
    """A requisition awaiting compensation, a team on standby for the unit's warning, a training
    session and a commendation."""
    from decimal import Decimal

    from resources.services import records

    requisition = records.requisition_record(actor=boss, incident=objects["incident"], kind="premises",
                                             description="仓库", owner="某物流公司", owner_kind="company",
                                             value=Decimal("5000"))
    standby = records.standby_set(actor=boss, warning=objects["warning"], stock=objects["store"].stock.get(),
                                  quantity=10)
    training = records.training_record(actor=boss, unit=unit, kind="training", topic="防汛培训",
                                       held_on=timezone.localdate())
    sanction = records.sanction_record(actor=boss, unit=unit, year=timezone.localdate().year, kind="commendation",
                                       subject="救援队", decision="通报表扬", decided_on=timezone.localdate())
    return {"requisition": requisition, "standby": standby, "training": training, "sanction": sanction}
