"""The dashboard's state document at a command centre's size (issue 13 item 4): a constant number of
queries however many incidents, clocks and warnings; this year's figures computed once per change,
not on every load; screens opening together share one build."""
from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from emergency.dashboard import selectors
from emergency.live import publish
from emergency.org.models import OrgUnit
from emergency.org.roles import Role

from .dashboard_data import dashboard_seed
from .factories import UnitFactory, user_with_role



def _figures_queries(sqls: list[str]) -> list[str]:
    """The figures' aggregates over this year's incidents (by type, by grade, response times)."""
    return [sql for sql in sqls if "GROUP BY" in sql and '"incidents_incident"' in sql]


@pytest.fixture
def centre(grading_tables):
    city = UnitFactory(name="贵港市", name_en="Guigang")
    counties = [UnitFactory(name=f"县{n}", name_en=f"County {n}", parent=city, kind=OrgUnit.Kind.COUNTY)
                for n in range(4)]
    return city, counties


def _load(client) -> tuple[dict, list[str]]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("dashboard-state"))
    assert response.status_code == 200
    return response.json(), [q["sql"] for q in captured.captured_queries]


def test_the_state_runs_the_same_queries_for_ten_and_for_thousands_of_incidents(client, centre, monkeypatch):
    monkeypatch.setattr(selectors, "STATE_CACHE_SECONDS", 0, raising=False)  # each load builds the document
    city, counties = centre
    client.force_login(user_with_role(Role.COMMANDER, city))
    dashboard_seed(city=city, counties=counties, incidents=10, active=4, clocks=8, warnings=2, responses=3,
                   standbys=1)
    small, few = _load(client)
    dashboard_seed(city=city, counties=counties[1:], incidents=3000, active=200, clocks=500, warnings=50,
                   responses=600, standbys=300)
    publish(event="incident.logged", unit_id=counties[0].pk, data={})
    large, many = _load(client)
    assert (len(small["incidents"]), len(large["incidents"])) == (4, 200)
    assert (len(small["deadlines"]), len(large["deadlines"])) == (8, 500)
    assert len(large["warnings"]) == 52
    # the teams on standby for the warnings (city 3.2.2 3)) come in the same one query, however many
    assert (sum(len(w["standby"]) for w in small["warnings"]), sum(len(w["standby"]) for w in large["warnings"])) \
        == (1, 301)
    assert sum(row["count"] for row in large["figures"]["by_grade"]) == 3010
    assert len(many) == len(few)


def test_this_years_figures_are_computed_once_per_change_not_on_every_load(client, centre, monkeypatch):
    monkeypatch.setattr(selectors, "STATE_CACHE_SECONDS", 0, raising=False)
    city, counties = centre
    client.force_login(user_with_role(Role.COMMANDER, city))
    dashboard_seed(city=city, counties=counties, incidents=400, active=20, clocks=30, warnings=5, responses=100)
    first, built = _load(client)
    again, reused = _load(client)
    assert len(_figures_queries(built)) == 3
    assert _figures_queries(reused) == []
    assert again["figures"] == first["figures"] and len(reused) < len(built)
    publish(event="incident.graded", unit_id=counties[0].pk, data={})
    changed, rebuilt = _load(client)
    assert len(_figures_queries(rebuilt)) == 3
    assert changed["last"] != first["last"]


def test_screens_opening_together_share_one_build_of_the_state(client, centre):
    city, counties = centre
    client.force_login(user_with_role(Role.COMMANDER, city))
    dashboard_seed(city=city, counties=counties, incidents=50, active=10, clocks=10, warnings=3, responses=5)
    first, built = _load(client)
    second, shared = _load(client)
    assert second["incidents"] == first["incidents"] and second["deadlines"] == first["deadlines"]
    assert not any("incidents_incident" in sql for sql in shared)  # only the event numbers were read
    publish(event="incident.logged", unit_id=counties[0].pk, data={})
    _third, rebuilt = _load(client)
    assert any("incidents_incident" in sql for sql in rebuilt)


def test_a_change_that_cannot_move_the_figures_rebuilds_the_state_but_not_the_figures(client, centre, monkeypatch):
    monkeypatch.setattr(selectors, "STATE_CACHE_SECONDS", 0, raising=False)
    city, counties = centre
    client.force_login(user_with_role(Role.COMMANDER, city))
    dashboard_seed(city=city, counties=counties, incidents=400, active=20, clocks=30, warnings=5, responses=100)
    first, _built = _load(client)
    publish(event="incident.deadline", unit_id=counties[0].pk, data={})
    after_clock, rebuilt = _load(client)
    assert after_clock["last"] != first["last"] and any("incidents_incident" in sql for sql in rebuilt)
    assert _figures_queries(rebuilt) == [] and after_clock["figures"] == first["figures"]
    publish(event="response.decided", unit_id=counties[1].pk, data={})
    _after_response, refigured = _load(client)
    assert len(_figures_queries(refigured)) == 3
