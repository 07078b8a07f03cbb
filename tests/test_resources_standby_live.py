"""Issue 17, item 5: the teams and supplies a warning's measures put on standby show on the command
dashboard under the warning, with their status (备勤 → 已到位 → 已解除). Each change is a live event
about the warning whose frame carries the warning's entry as a fresh state shows it, so a screen
applies it without reloading; a screen sees only the standby of its own units' warnings."""
import json
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from alerts import services as alert_services
from emergency import live
from emergency.audit.models import AuditEntry
from emergency.dashboard.models import LiveEvent
from emergency.dashboard.selectors import EVENT_LABELS
from emergency.errors import Conflict
from emergency.org.models import OrgUnit
from emergency.org.roles import Role
from resources.models import Standby, Stock, Team
from resources.services import records

from .factories import UnitFactory, user_with_role
from .resource_helpers import city_with_inventory, issued_warning

pytestmark = pytest.mark.django_db


@pytest.fixture
def city(grading_tables):
    return city_with_inventory()


def _issued(city):
    return issued_warning(city, lasting=timedelta(days=2))


def _frame(client, event):
    """The newest frame of this kind as a Chinese screen applies it (through the events API)."""
    rows = [row for row in client.get(reverse("events"), {"after": 0}).json() if row["event"] == event]
    return rows[-1]["apply"]["zh-hans"] if rows else None


def _shown(client, warning):
    """The warning's entry in a freshly loaded state."""
    return next((w for w in client.get(reverse("dashboard-state")).json()["warnings"] if w["id"] == warning.pk), None)


def test_a_standby_change_sends_the_warning_with_its_standby_as_a_fresh_state_shows_it(city, client):
    """City plan 3.2.2 3): "组织应急救援队伍…进入待命状态…视情预置有关队伍、装备、物资等应急资源"."""
    warning, commander = _issued(city)
    client.force_login(commander)
    stock = Stock.objects.get(store=city.store)

    records.standby_set(actor=city.keeper, warning=warning, team=city.team)
    entry = _frame(client, "resources.standby.set")["warnings"][str(warning.pk)]
    assert [(s["kind"], s["name"], s["holder"], s["status"]) for s in entry["standby"]] == [
        ("team", "消防救援支队特勤大队", "贵港市", "备勤")]
    assert entry == _shown(client, warning)

    tents = records.standby_set(actor=city.keeper, warning=warning, stock=stock, quantity=40)
    records.standby_in_place(actor=city.keeper, standby=tents)
    entry = _frame(client, "resources.standby.in_place")["warnings"][str(warning.pk)]
    assert [(s["name"], s["quantity"], s["measure"], s["state"], s["status"]) for s in entry["standby"]] == [
        ("消防救援支队特勤大队", None, "", "standby", "备勤"), ("市救灾物资储备库 · 救灾帐篷", 40, "顶", "in_place", "已到位")]
    assert entry == _shown(client, warning)
    with pytest.raises(Conflict):  # only what is on standby is reported in position
        records.standby_in_place(actor=city.keeper, standby=tents)

    records.standby_release(actor=city.keeper, standby=tents)
    entry = _frame(client, "resources.standby.release")["warnings"][str(warning.pk)]
    assert [s["status"] for s in entry["standby"]] == ["备勤", "已解除"] and entry == _shown(client, warning)
    assert Team.objects.get(pk=city.team.pk).readiness == "standby"

    events = list(LiveEvent.objects.filter(event__startswith="resources.standby").order_by("sequence"))
    assert [e.event for e in events] == ["resources.standby.set", "resources.standby.set",
                                         "resources.standby.in_place", "resources.standby.release"]
    assert {e.about for e in events} == {f"warning:{warning.pk}"} and {e.unit_id for e in events} == {city.county.pk}
    assert all(e.event in EVENT_LABELS for e in events)
    assert "郁江洪水预警 · 救灾帐篷 × 40" in events[-1].data["title"]


def test_a_screen_sees_only_the_standby_of_its_own_units_warnings(city, client):
    warning, _commander = _issued(city)
    records.standby_set(actor=city.keeper, warning=warning, team=city.team)
    sibling = UnitFactory(code="c-sibling", name="港南区", parent=city.top, kind=OrgUnit.Kind.COUNTY)
    township_screen = user_with_role(Role.COMMANDER, city.township)
    for outsider in (user_with_role(Role.COMMANDER, sibling), township_screen):
        client.force_login(outsider)
        assert _shown(client, warning) is None
        assert _frame(client, "resources.standby.set") is None
    client.force_login(user_with_role(Role.COMMANDER, city.top))  # the superior watches its county's warning
    assert [s["name"] for s in _shown(client, warning)["standby"]] == ["消防救援支队特勤大队"]
    assert _frame(client, "resources.standby.set")["warnings"][str(warning.pk)]["standby"][0]["status"] == "备勤"


def test_lifting_the_warning_releases_its_standby_and_takes_it_off_the_dashboard(city, client):
    """City plan 3.2.2 4): "終止預警期，解除已經採取的有關措施": what the warning put on standby is
    released with it, and its team is ready for the next call."""
    warning, commander = _issued(city)
    client.force_login(commander)
    team = records.standby_set(actor=city.keeper, warning=warning, team=city.team)
    tents = records.standby_set(actor=city.keeper, warning=warning, stock=Stock.objects.get(store=city.store),
                                quantity=10)
    records.standby_in_place(actor=city.keeper, standby=tents)
    alert_services.warning_lift(actor=commander, warning=warning, reason="水位回落")
    assert _frame(client, "warning.cancel") == {"warnings": {str(warning.pk): None}}
    assert _shown(client, warning) is None
    assert [s.state for s in Standby.objects.filter(warning=warning).order_by("id")] == ["released", "released"]
    assert Team.objects.get(pk=city.team.pk).readiness == "ready"
    lifted = AuditEntry.objects.filter(action="resources.standby.release").order_by("id")
    assert [(e.actor_id, e.before["state"]) for e in lifted] == [(commander.pk, "standby"), (commander.pk, "in_place")]
    assert team.pk in [int(e.object_id) for e in lifted]
    with pytest.raises(Conflict):
        records.standby_release(actor=city.keeper, standby=tents)


def test_the_frame_reads_the_standby_of_a_batch_of_warnings_in_a_fixed_number_of_queries(city):
    warning, _commander = _issued(city)
    records.standby_set(actor=city.keeper, warning=warning, team=city.team)
    records.standby_set(actor=city.keeper, warning=warning, stock=Stock.objects.get(store=city.store), quantity=5)
    with CaptureQueriesContext(connection) as one:
        live.describe([f"warning:{warning.pk}"])
    with CaptureQueriesContext(connection) as batch:
        described = live.describe([f"warning:{warning.pk}", "warning:0", "warning:99999999"])
    assert len(batch) == len(one)
    entries = json.loads(described[f"warning:{warning.pk}"])
    assert [s["status"] for s in entries["zh-hans"]["warnings"][str(warning.pk)]["standby"]] == ["备勤", "备勤"]
    assert [s["status"] for s in entries["en"]["warnings"][str(warning.pk)]["standby"]] == ["On standby"] * 2
    assert json.loads(described["warning:0"])["en"] == {"warnings": {"0": None}}
