"""Issue 17: the inventory page runs the same number of queries however many items a unit holds,
and shows only the user's units' resources; the API schema lists the resources endpoints."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from resources.models import Store, Team

from .resource_helpers import city_with_inventory

pytestmark = pytest.mark.django_db


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def _more(city, n):
    Team.objects.bulk_create([Team(unit=city.county, name=f"队{i}", kind="grassroots", latitude=23.1, longitude=109.6)
                              for i in range(n)])
    Store.objects.bulk_create([Store(unit=city.county, name=f"点{i}", latitude=23.1, longitude=109.6)
                               for i in range(n)])


@pytest.mark.parametrize("tab", ["teams", "stores", "equipment", "shelters"])
def test_the_inventory_page_costs_the_same_for_5_or_120_items(client, grading_tables, tab):
    city = city_with_inventory()
    client.force_login(city.keeper)
    few = _queries(client, f"/resources/?tab={tab}")
    _more(city, 120)
    assert _queries(client, f"/resources/?tab={tab}") == few
    assert _queries(client, f"/resources/?tab={tab}&page=3") == few


def test_a_township_sees_its_own_inventory_not_the_citys(client, grading_tables):
    city = city_with_inventory()
    Team.objects.create(unit=city.township, name="根竹镇基层应急救援队", kind="grassroots", latitude=23.2,
                        longitude=109.56)
    client.force_login(city.requester)
    page = client.get("/resources/?tab=teams").content.decode()
    assert "根竹镇基层应急救援队" in page and city.team.name not in page
    assert client.get(f"/resources/stores/{city.store.pk}/").status_code == 404
    api = client.get("/api/v1/resources/teams/").json()
    assert [t["name"] for t in api["results"]] == ["根竹镇基层应急救援队"]


def test_the_request_round_trip_over_the_api_and_its_schema(client, grading_tables):
    from rest_framework.test import APIClient

    city = city_with_inventory()
    clients = {}
    for user in (city.requester, city.approver, city.keeper):
        clients[user] = APIClient(HTTP_ACCEPT_LANGUAGE="zh-hans")
        clients[user].force_authenticate(user)
    made = clients[city.requester].post("/api/v1/resources/requests/", {
        "incident": city.incident.pk, "kind": "supply", "item": city.tents.pk, "holding_unit": city.top.pk,
        "quantity": 30, "reason": "安置"}, format="json")
    assert made.status_code == 201, made.content
    url = f"/api/v1/resources/requests/{made.json()['id']}/"
    refused = clients[city.requester].post(url + "decide/", {"approve": True}, format="json")
    assert refused.status_code == 403 and "批准" in refused.json()["error"]["message"]
    assert clients[city.approver].post(url + "decide/", {"approve": True}, format="json").status_code == 200
    dispatched = clients[city.keeper].post(url + "advance/", {"state": "dispatched", "store": city.store.pk},
                                           format="json")
    assert dispatched.status_code == 200 and dispatched.json()["dispatched_quantity"] == 30
    store = clients[city.keeper].get(f"/api/v1/resources/stores/{city.store.pk}/").json()
    assert store["stock"][0]["quantity"] == 70 and [b["quantity"] for b in store["stock"][0]["batches"]] == [20, 50]
    nearest = clients[city.requester].get(f"/api/v1/resources/incidents/{city.incident.pk}/nearest/?kind=team")
    assert nearest.status_code == 200 and nearest.json()[0]["name"] == city.team.name
    assert 0 < nearest.json()[0]["distance_km"] < 20
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json")
    paths = schema.json()["paths"] if schema.headers["Content-Type"].startswith("application/json") else None
    if paths is None:
        import yaml

        paths = yaml.safe_load(schema.content)["paths"]
    assert "/api/v1/resources/requests/{id}/advance/" in paths
    assert any(p.startswith("/api/v1/resources/incidents/") and p.endswith("/nearest/") for p in paths)
