"""Issue 18, item 3: every fan-out is scoped. Everything organisation A does that tells people
something (warnings issued, adjusted, lifted and escalated with their measures, reports sent up,
missed deadlines escalated, the reports' copies (抄送), reminders of deadlines, proposals, orders, plan duties and the annual
review, the generic reminder, a linked organisation's duty room) is run, every timed duty is
fired, and then no notification, e-mail or gateway delivery and no live event may name anyone
or any unit outside the allowed set: A's own people and units, and the duty officers of C, the
organisation A is linked to. The call sites are found in the code: one that the run did not pass
through fails the test. A mutation run with the scoping switched off must find the leak.
"""
from __future__ import annotations

import ast
import inspect
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from alerts import measures as alert_measures
from alerts import services as alert_services
from alerts.models import EarlyWarning
from emergency.errors import ValidationFailed
from emergency.dashboard.models import LiveEvent
from emergency.notify import services as notify_services
from emergency.notify.duties import REMINDER
from emergency.notify.models import Delivery, Notification
from emergency.org.models import OrganisationLink, OrgUnit, RoleAssignment
from emergency.org.roles import Role
from emergency.timers.models import TimedDuty
from emergency.timers.services import duties_sweep, duty_schedule
from incidents import releases, services as incident_services
from incidents.response import command, escalation
from incidents.response import measures as response_measures

from .factories import DepartmentFactory, UnitFactory, UserFactory, user_with_role
from .scope_helpers import organisation_rules, unit_objects

FAN_OUT = {"notification_send", "notify", "notify_duty_officers", "duty_room_inform"}
APPS = ("alerts", "incidents", "plans", "emergency")


def fan_out_call_sites() -> set[tuple[str, int]]:
    """(file, line) of every call of a fan-out function in the project's code."""
    sites = set()
    for app in APPS:
        for path in (Path(settings.BASE_DIR) / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Call):
                    name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
                    if name in FAN_OUT:
                        sites.add((str(path), node.lineno))
    return sites


def _organisation(code: str) -> dict:
    top = UnitFactory(code=f"r{code}", name=f"{code.upper()}市")
    county = UnitFactory(code=f"{code}1", name=f"{code.upper()}区", parent=top, kind=OrgUnit.Kind.COUNTY)
    township = UnitFactory(code=f"{code}2", name=f"{code.upper()}镇", parent=county, kind=OrgUnit.Kind.TOWNSHIP)
    organisation_rules(top)
    for unit in (top, county, township):
        user_with_role(Role.DUTY_OFFICER, unit, username=f"{unit.code}-duty", email=f"{unit.code}@example.invalid")
    bureau = DepartmentFactory(unit=county, code=f"{county.code}-emergency", name=f"{county.name}应急管理局")
    RoleAssignment.objects.create(user=UserFactory(username=f"{county.code}-bureau"), unit=county,
                                  role=Role.LEAD_OFFICER, department=bureau)  # told of the copies (抄送)
    return {"top": top, "county": county, "township": township}


@pytest.fixture
def world(db, django_capture_on_commit_callbacks):
    orgs = {code: _organisation(code) for code in ("a", "b", "c")}
    OrganisationLink.objects.create(organisation=orgs["a"]["top"], linked=orgs["c"]["top"])
    with django_capture_on_commit_callbacks(execute=True):
        orgs["b"].update(unit_objects(orgs["b"]["township"]))  # B is busy too: its own fan-out stays inside B
    return orgs


def _run_everything_a_does(orgs: dict) -> None:
    a, b, c = orgs["a"], orgs["b"], orgs["c"]
    objects = unit_objects(a["township"])  # incident, response, post, order, transfer, plans, a warning
    boss, department = objects["boss"], objects["department"]
    incident = objects["incident"]
    incident_services.report_send_up(actor=boss, report=incident.reports.get())
    releases.release_decide(actor=user_with_role(Role.COMMANDER, a["top"]), release=objects["release"],
                            approved=False, reason="数字未核实")  # the drafter is told
    command.order_update(actor=boss, order=objects["order"], status="acknowledged")
    command.order_issue(actor=boss, response=objects["response"], text="转移群众", department=department)
    escalation.help_request(actor=boss, response=objects["response"], asked="请求派出危化品处置专家")  # the county's duty room
    response_measures.measure_assign(actor=boss, response=objects["response"],
                                     key=response_measures.catalogue_for(objects["response"])[0].key, department=department)
    warning = alert_services.warning_draft(
        actor=boss, unit=a["township"], type_code="flood_drought", level=4, title="A镇洪水预警", signs="水位上涨",
        points="沿岸低洼地带可能受淹", area_desc="A镇沿岸", starts_at=timezone.now(), area_units=[a["county"]],
        neighbours=[a["top"]], linked_organisations=[c["top"]])
    alert_measures.measure_assign(actor=boss, warning=warning, key="standby", department=department)
    alert_services.warning_issue(actor=boss, warning=warning, report_to=a["top"])
    alert_services.warning_adjust(actor=boss, warning=warning, area_desc="A镇、A区沿岸")
    alert_services.warning_escalate(actor=boss, warning=warning, body="堤防管涌", lead_department=department)
    with pytest.raises(ValidationFailed):  # the issue's leak: B's units in the area of A's warning
        alert_services.warning_draft(
            actor=boss, unit=a["township"], type_code="flood_drought", level=4, title="越界预警", signs="水位上涨",
            points="x", area_desc="B市", starts_at=timezone.now(), area_units=[b["top"]], neighbours=[b["county"]])
    # a reminder that names, among A's people, someone of B
    duty_schedule(kind=REMINDER, subject=a["township"], unit_id=a["township"].pk, due_at=timezone.now(),
                  payload={"user_ids": [boss.pk, b["boss"].pk], "title": "提醒"})
    units = OrgUnit.objects.descendants(a["top"], include_self=True)
    for _round in range(3):  # every deadline, reminder and plan duty of A, and those they schedule
        TimedDuty.objects.filter(state="scheduled", unit__in=units).update(due_at=timezone.now() - timedelta(seconds=1))
        duties_sweep(limit=5000)


def _members(top: OrgUnit, *roles: str) -> tuple[set[int], set[int]]:
    units = set(OrgUnit.objects.descendants(top, include_self=True).values_list("pk", flat=True))
    holders = RoleAssignment.objects.filter(unit_id__in=units if not roles else [top.pk])
    if roles:
        holders = holders.filter(role__in=roles)
    return units, set(holders.values_list("user_id", flat=True))


def _outside(orgs: dict, since_notification: int, since_event: int) -> list[str]:
    """What was told, or shown, to anyone or anywhere outside the allowed set: A's and B's
    notifications stay with their own people, C's (the duty room A informs) with its duty officers."""
    allowed = {name: _members(orgs[name]["top"]) for name in ("a", "b")}
    allowed["c"] = _members(orgs["c"]["top"], Role.DUTY_OFFICER)
    found = []
    for item in Notification.objects.filter(pk__gt=since_notification).select_related("recipient"):
        owner = next((name for name, (units, _people) in allowed.items() if item.unit_id in units), None)
        if owner is None or item.recipient_id not in allowed[owner][1]:
            found.append(f"notification {item.kind} {item.source_key} of unit {item.unit_id} to {item.recipient.username}")
    for delivery in Delivery.objects.filter(notification_id__gt=since_notification).select_related(
            "notification__recipient"):
        if delivery.address not in (delivery.notification.recipient.email, delivery.notification.recipient.phone):
            found.append(f"delivery {delivery.pk} to {delivery.address}, not its recipient's own address")
    a_units = allowed["a"][0]
    for event in LiveEvent.objects.filter(pk__gt=since_event, organisation=orgs["a"]["top"]):
        if event.unit_id not in a_units:
            found.append(f"live event {event.event} of A to unit {event.unit_id}")
    return found


def _record_call_sites(monkeypatch) -> set[tuple[str, int]]:
    seen: set[tuple[str, int]] = set()
    original = notify_services.addressable

    def recording(**kwargs):
        seen.update((frame.filename, frame.lineno) for frame in inspect.stack(0)[1:40])
        return original(**kwargs)

    monkeypatch.setattr(notify_services, "addressable", recording)
    return seen


def _last_ids() -> tuple[int, int]:
    return (Notification.objects.order_by("-pk").values_list("pk", flat=True).first() or 0,
            LiveEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0)


def test_every_fan_out_path_reaches_only_the_allowed_people(world, monkeypatch, django_capture_on_commit_callbacks):
    seen = _record_call_sites(monkeypatch)
    since = _last_ids()
    with django_capture_on_commit_callbacks(execute=True):
        _run_everything_a_does(world)
    made = Notification.objects.filter(pk__gt=since[0])
    assert made.filter(unit=world["c"]["top"], recipient__username="rc-duty").exists()  # the linked duty room
    assert not made.filter(recipient=world["b"]["boss"], kind=REMINDER).exists()  # named, but of B
    missed = sorted(f"{Path(file).relative_to(settings.BASE_DIR)}:{line}" for file, line in fan_out_call_sites() - seen)
    leaks = _outside(world, *since)
    print(f"\nscoped fan-out: {len(fan_out_call_sites())} call sites, {made.count()} notifications, "
          f"{Delivery.objects.filter(notification__in=made).count()} deliveries, "
          f"{LiveEvent.objects.filter(pk__gt=since[1]).count()} live events, {len(leaks)} outside the allowed set")
    assert not missed, "fan-out call sites this test did not pass through:\n" + "\n".join(missed)
    assert not leaks, "\n".join(leaks)


def test_the_check_finds_the_leak_when_the_scoping_is_switched_off(world, monkeypatch,
                                                                    django_capture_on_commit_callbacks):
    """The mutation run: notification_send addresses whomever it is given, and the warning service
    takes units of any organisation (how it was before issue 18)."""
    monkeypatch.setattr(notify_services, "addressable", lambda *, unit_id, recipient_ids: set(recipient_ids))
    monkeypatch.setattr(alert_services, "_check_recipients", lambda unit, **chosen: None)
    since = _last_ids()
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(pytest.fail.Exception):
        _run_everything_a_does(world)  # the refused warning is now drafted: "DID NOT RAISE"
    boss = RoleAssignment.objects.filter(unit=world["a"]["township"], role=Role.COMMANDER).first().user
    alert_services.warning_issue(actor=boss, warning=EarlyWarning.objects.get(title="越界预警"))
    duty_schedule(kind=REMINDER, subject=world["a"]["top"], unit_id=world["a"]["top"].pk, due_at=timezone.now(),
                  payload={"user_ids": [world["b"]["boss"].pk], "title": "提醒"})
    duties_sweep()
    leaks = _outside(world, *since)
    print(f"\nscoped fan-out, mutation run: {len(leaks)} deliveries outside the allowed set found")
    assert any("rb-duty" in leak for leak in leaks) and any(REMINDER in leak for leak in leaks)
