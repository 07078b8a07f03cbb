"""Issue 17, items 5 and 6: a warning that runs out without being lifted releases what it put on
standby as lifting does (city 3.2.2 4) "解除已經採取的有關措施"), once, through a timed duty that
survives a worker's restart; equipment goes on standby like teams and supplies; the dashboard's map
marks what waits on standby and what is dispatched and not back, from the state as from the frames."""
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from alerts import services as alert_services
from alerts.expiry import EXPIRE
from alerts.models import EarlyWarning
from emergency.audit.models import AuditEntry
from emergency.dashboard.models import LiveEvent
from emergency.org.roles import Role
from emergency.timers.models import TimedDuty
from emergency.timers.services import duties_sweep
from resources.frames import resources_out
from resources.models import Equipment, Standby, Stock, Team
from resources.services import records
from resources.services.requests import request_advance, request_create, request_decide

from .factories import user_with_role
from .resource_helpers import city_with_inventory, issued_warning

pytestmark = pytest.mark.django_db


@pytest.fixture
def city(grading_tables):
    return city_with_inventory()


def _issued(city):
    return issued_warning(city, lasting=timedelta(hours=6))


def _duty(warning):
    return TimedDuty.objects.get(kind=EXPIRE, subject_type="alerts.earlywarning", subject_id=warning.pk,
                                 state__in=["scheduled", "fired"])


def _run_out(warning):
    """The warning's end time passes: both the row and its duty are moved to a minute ago."""
    past = timezone.now() - timedelta(minutes=1)
    EarlyWarning.objects.filter(pk=warning.pk).update(expires_at=past)
    TimedDuty.objects.filter(kind=EXPIRE, subject_id=warning.pk, state="scheduled").update(due_at=past)


def test_issuing_schedules_the_expiry_adjusting_moves_it_and_lifting_cancels_it(city):
    warning, commander = _issued(city)
    duty = _duty(warning)
    assert (duty.state, duty.due_at, duty.unit_id) == ("scheduled", warning.expires_at, city.county.pk)
    later = timezone.now() + timedelta(days=1)
    alert_services.warning_adjust(actor=commander, warning=warning, expected_end=later)
    warning.refresh_from_db()
    assert _duty(warning).due_at == warning.expires_at and TimedDuty.objects.filter(kind=EXPIRE).count() == 1
    alert_services.warning_lift(actor=commander, warning=warning, reason="水位回落")
    assert TimedDuty.objects.get(kind=EXPIRE, subject_id=warning.pk).state == "cancelled"


def test_an_expired_warning_releases_its_teams_equipment_and_supplies_once(city, client):
    warning, commander = _issued(city)
    records.standby_set(actor=city.keeper, warning=warning, team=city.team)
    records.standby_set(actor=city.keeper, warning=warning, equipment=city.pump)
    tents = records.standby_set(actor=city.keeper, warning=warning, stock=Stock.objects.get(store=city.store),
                                quantity=10)
    records.standby_in_place(actor=city.keeper, standby=tents)
    assert duties_sweep() == 0  # not due yet: nothing moves
    assert Team.objects.get(pk=city.team.pk).readiness == "standby"
    assert Equipment.objects.get(pk=city.pump.pk).status == "standby"

    _run_out(warning)
    assert duties_sweep() == 1  # the sweeper fires what a killed worker's message missed
    assert [s.state for s in Standby.objects.filter(warning=warning).order_by("id")] == ["released"] * 3
    assert Team.objects.get(pk=city.team.pk).readiness == "ready"
    assert Equipment.objects.get(pk=city.pump.pk).status == "available"
    released = AuditEntry.objects.filter(action="resources.standby.release").order_by("id")
    assert [(e.actor_id, e.after["with"]) for e in released] == [(None, "warning.expire")] * 3
    assert warning.measures.exclude(status__in=["lifted", "done"]).count() == 0
    expired = LiveEvent.objects.get(event="warning.expire")
    assert (expired.about, expired.unit_id) == (f"warning:{warning.pk}", city.county.pk)
    client.force_login(commander)
    rows = [r for r in client.get(reverse("events"), {"after": 0}).json() if r["event"] == "warning.expire"]
    assert rows[-1]["apply"]["zh-hans"] == {"warnings": {str(warning.pk): None}}  # off the screens

    assert duties_sweep() == 0 and _duty(warning).state == "fired"  # once
    assert AuditEntry.objects.filter(action="resources.standby.release").count() == 3
    alert_services.warning_lift(actor=commander, warning=warning, reason="补发解除")  # lifting later frees nothing twice
    assert AuditEntry.objects.filter(action="resources.standby.release").count() == 3


def test_a_duty_left_behind_by_a_later_end_changes_nothing_and_follows_the_end(city):
    warning, _commander = _issued(city)
    records.standby_set(actor=city.keeper, warning=warning, team=city.team)
    TimedDuty.objects.filter(kind=EXPIRE, subject_id=warning.pk).update(due_at=timezone.now() - timedelta(seconds=1))
    assert duties_sweep() == 1
    assert Standby.objects.get(warning=warning).state == "standby"
    assert TimedDuty.objects.filter(kind=EXPIRE, subject_id=warning.pk, state="scheduled").get().due_at == (
        warning.expires_at)


def test_equipment_goes_on_standby_through_the_api_and_is_refused_when_busy(city, client):
    warning, _commander = _issued(city)
    client.force_login(city.keeper)
    response = client.post("/api/v1/resources/standbys/", {"warning": warning.pk, "equipment": city.pump.pk},
                           content_type="application/json")
    assert response.status_code == 201, response.content
    assert response.json()["equipment"] == city.pump.pk and response.json()["state"] == "standby"
    assert Equipment.objects.get(pk=city.pump.pk).status == "standby"
    again = client.post("/api/v1/resources/standbys/", {"warning": warning.pk, "equipment": city.pump.pk},
                        content_type="application/json", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert again.status_code == 409 and Standby.objects.filter(equipment=city.pump).count() == 1
    both = client.post("/api/v1/resources/standbys/", {"warning": warning.pk, "equipment": city.pump.pk,
                                                        "team": city.team.pk}, content_type="application/json")
    assert both.status_code == 400 and Team.objects.get(pk=city.team.pk).readiness == "ready"
    standby = Standby.objects.get(equipment=city.pump)
    assert client.post(f"/api/v1/resources/standbys/{standby.pk}/release/").status_code == 200
    assert Equipment.objects.get(pk=city.pump.pk).status == "available"


def test_the_state_marks_standby_and_dispatched_resources_in_a_fixed_number_of_queries(city, client):
    warning, commander = _issued(city)
    records.standby_set(actor=city.keeper, warning=warning, equipment=city.pump)
    client.force_login(user_with_role(Role.COMMANDER, city.top))

    def dispatch():
        request = request_create(actor=city.requester, incident=city.incident, kind="supply", item=city.tents,
                                 holding_unit=city.top, quantity=1, reason="安置")
        request_decide(actor=city.approver, request=request, approve=True)
        request_advance(actor=city.keeper, request=request, state="dispatched", store=city.store)
        return request

    client.get(reverse("dashboard-state"))  # the session and the year's figures, read once
    first = dispatch()
    with CaptureQueriesContext(connection) as few:
        state = client.get(reverse("dashboard-state")).json()
    entry = next(w for w in state["warnings"] if w["id"] == warning.pk)
    assert [(s["kind"], s["name"], s["lat"], s["lon"]) for s in entry["standby"]] == [
        ("equipment", "大流量排水抢险车", 23.103, 109.599)]
    assert [(r["request"], r["state"], r["lat"], r["lon"]) for r in state["resources"]] == [
        (first.pk, "dispatched", 23.21, 109.56)]
    for _ in range(5):
        dispatch()
    request_advance(actor=city.keeper, request=first, state="en_route")
    request_advance(actor=city.requester, request=first, state="arrived")
    with CaptureQueriesContext(connection) as many:
        state = client.get(reverse("dashboard-state")).json()
    assert len(state["resources"]) == 6 and {r["state"] for r in state["resources"]} == {"dispatched", "arrived"}
    assert len(many) == len(few)
    with CaptureQueriesContext(connection) as alone:
        resources_out([city.top.pk, city.county.pk, city.township.pk])
    assert len(alone) == 1
    request_advance(actor=city.requester, request=first, state="in_use")
    request_advance(actor=city.keeper, request=first, state="returned", quantity=1)
    assert first.pk not in [r["request"] for r in client.get(reverse("dashboard-state")).json()["resources"]]
