"""The dashboard socket: session users only, same-origin only, a user's own units only, events
numbered per organisation in commit order, a resync when rights change; missed events by number."""

import pytest
from channels.testing import WebsocketCommunicator
from django.urls import reverse
from django.utils import timezone

from emergency.asgi import application
from emergency.dashboard.consumers import DashboardConsumer
from emergency.dashboard.models import LiveEvent
from emergency.org.roles import Role
from emergency.org.services import role_assign
from incidents import services as incident_services

from .factories import UnitFactory, user_with_role
from .processes import run_async

pytestmark = pytest.mark.django_db(transaction=True)




def _log(officer, unit, title):
    now = timezone.now()
    return incident_services.incident_log(actor=officer, unit=unit, type_code="work_safety", title=title,
                                          address="厂区", occurred_at=now, received_at=now, body="首报",
                                          metrics={"deaths": 1})


async def _connect(user):
    communicator = WebsocketCommunicator(DashboardConsumer.as_asgi(), "/ws/dashboard/")
    communicator.scope["user"] = user
    connected, _code = await communicator.connect()
    hello = await communicator.receive_json_from(timeout=5) if connected else None
    return communicator, connected, hello


def test_anonymous_and_foreign_origins_are_refused(grading_tables):
    async def scenario():
        from django.contrib.auth.models import AnonymousUser

        anonymous = WebsocketCommunicator(DashboardConsumer.as_asgi(), "/ws/dashboard/")
        anonymous.scope["user"] = AnonymousUser()
        connected, code = await anonymous.connect()
        foreign = WebsocketCommunicator(application, "/ws/dashboard/", headers=[(b"origin", b"http://evil.example")])
        foreign_connected, _ = await foreign.connect()
        return connected, code, foreign_connected

    connected, code, foreign_connected = run_async(scenario())
    assert not connected and code == 4401 and not foreign_connected


def test_events_reach_only_the_units_a_user_sees_in_order_and_rights_changes_apply_at_once(grading_tables,
                                                                                           live_relay):
    city = UnitFactory(code="city")
    county = UnitFactory(code="county", parent=city)
    other = UnitFactory(code="other", parent=city)  # a sibling county: an administrator grants only in their organisation
    officer = user_with_role(Role.DUTY_OFFICER, county)
    watcher = user_with_role(Role.COMMANDER, city)
    outsider = user_with_role(Role.COMMANDER, other)
    admin = user_with_role(Role.SYSTEM_ADMIN, city)

    async def scenario():
        mine, ok, hello = await _connect(watcher)
        theirs, ok2, _ = await _connect(outsider)
        assert ok and ok2 and hello["type"] == "hello"
        from channels.db import database_sync_to_async

        for n in range(3):
            await database_sync_to_async(_log)(officer, county, f"事件{n}")
        received = [await mine.receive_json_from(timeout=5) for _ in range(3)]
        assert await theirs.receive_nothing(timeout=0.5)
        await database_sync_to_async(role_assign)(actor=admin, user=outsider, unit=county, role=Role.COMMANDER)
        resync = await theirs.receive_json_from(timeout=5)
        await database_sync_to_async(_log)(officer, county, "之后的事件")
        after = await theirs.receive_json_from(timeout=5)
        while after["type"] != "event":
            after = await theirs.receive_json_from(timeout=5)
        await mine.disconnect()
        await theirs.disconnect()
        return received, resync, after

    received, resync, after = run_async(scenario())
    assert [m["data"]["title"] for m in received] == ["事件0", "事件1", "事件2"]
    assert [m["seq"] for m in received] == sorted(m["seq"] for m in received)
    assert len({m["seq"] for m in received}) == 3 and all(m["organisation"] == city.pk for m in received)
    assert resync["type"] in ("hello", "resync") and after["data"]["title"] == "之后的事件"


def test_a_screen_that_missed_events_fetches_them_by_number(client, grading_tables):
    city = UnitFactory(code="city")
    officer = user_with_role(Role.DUTY_OFFICER, city)
    for n in range(4):
        _log(officer, city, f"事件{n}")
    numbers = list(LiveEvent.objects.filter(organisation=city).values_list("sequence", flat=True))
    assert numbers == sorted(numbers) and len(set(numbers)) == len(numbers)
    client.force_login(officer)
    missed = client.get(reverse("events"), {"organisation": city.pk, "after": numbers[1]}).json()
    assert [e["seq"] for e in missed] == numbers[2:]
    state = client.get(reverse("dashboard-state")).json()
    assert state["last"][str(city.pk)] == numbers[-1] and len(state["incidents"]) == 4
    stranger = user_with_role(Role.DUTY_OFFICER, UnitFactory(code="x"))
    client.force_login(stranger)
    assert client.get(reverse("events"), {"after": 0}).json() == []


def _state_queries(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        state = client.get(reverse("dashboard-state")).json()
    return state, len(queries)


def test_the_state_holds_every_running_clock_and_its_queries_do_not_grow_with_rows(client, grading_tables):
    from datetime import timedelta

    from incidents.response import command, services as response_services
    from plans.models import Plan

    from .response_helpers import incident_in, lead_officer, organisation

    city = organisation("city")
    commander = user_with_role(Role.COMMANDER, city.top)
    client.force_login(commander)

    def respond():
        incident = incident_in(city)
        proposal = response_services.proposal_create(actor=lead_officer(city), incident=incident, level=2,
                                                      reasons="二级")
        response = response_services.proposal_decide(actor=commander, proposal=proposal, outcome="approved").response
        command.order_issue(actor=commander, response=response, department=city.lead, text="组织搜救")
        response_services.proposal_create(actor=lead_officer(city), incident=incident_in(city), level=3, reasons="三级")

    respond()
    plan = Plan.objects.create(unit=city.sub, title="港北区防汛应急预案", plan_type="special", state="published",
                               created_by=commander,
                               next_drill_due=timezone.localdate() + timedelta(days=5))
    small, few = _state_queries(client)
    kinds = {clock["kind"] for clock in small["deadlines"]}
    assert {"report.superior_report", "proposal", "order", "plan.drill"} <= kinds
    active = next(i for i in small["incidents"] if i["response"])
    assert active["response"]["level"] == 2 and active["response"]["decider"] == str(commander)
    # a wall screen names levels and grades as people say them: 二级响应, not "级别 2"; Ⅲ级（较大）, not "III"
    assert active["response"]["level_name"] == "二级响应"
    assert {c["label"] for c in small["deadlines"] if c["kind"] == "proposal"} == {"三级响应待决定"}
    assert [r["label"] for r in small["figures"]["by_grade"]][2:] == ["Ⅲ级（较大）", "Ⅳ级（一般）", "尚未定级"]
    assert small["figures"]["by_grade"] and sum(r["count"] for r in small["figures"]["by_type"]) == 2
    assert small["figures"]["response_minutes"][0]["count"] == 1
    assert any(c["subject"] == plan.title for c in small["deadlines"])
    for _ in range(3):
        respond()
    large, many = _state_queries(client)
    assert len(large["incidents"]) == 8 and many == few


def test_every_event_the_platform_publishes_has_a_name_on_the_feed():
    """The feed shows "请求上级帮助和指导", never the raw "response.help": each `live.publish(event=...)`
    in the source has its label."""
    import re
    from pathlib import Path

    from emergency.dashboard.selectors import EVENT_LABELS

    root = Path(__file__).resolve().parent.parent
    published = {name for folder in ("emergency", "incidents", "plans", "alerts", "resources")
                 for path in (root / folder).rglob("*.py")
                 for name in re.findall(r'event="([a-z_.]+)"', path.read_text(encoding="utf-8"))}
    assert {"response.help", "incident.logged"} <= published
    assert sorted(published - set(EVENT_LABELS)) == []
