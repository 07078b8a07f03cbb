"""Issue 20, item 9: every 4xx/5xx under /api/ is the API's JSON error format
(`{"error": {"code", "message"}}`, emergency/api/errors.py), never an HTML page or an empty body,
whatever the body was: a lone surrogate, JSON nested thousands deep, a multipart body with no part."""
from __future__ import annotations

import json

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from emergency.audit.models import AuditEntry
from emergency.org.models import RoleAssignment
from emergency.org.roles import DEPARTMENT_ROLES, Role
from incidents.models import Incident

from .factories import UserFactory
from .response_helpers import organisation

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer_api():
    city = organisation("city")
    user = UserFactory()
    for role in Role:
        RoleAssignment.objects.create(user=user, unit=city.top, role=role,
                                      department=city.lead if role in DEPARTMENT_ROLES else None)
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en", raise_request_exception=False)
    client.force_login(user)
    return city, client


def incident_json(city, metrics: str) -> str:
    now = timezone.now().isoformat()
    return (f'{{"unit": {city.top.pk}, "type": "work_safety", "title": "仓库爆炸", "address": "物流园", '
            f'"occurred_at": "{now}", "received_at": "{now}", "body": "首报", "metrics": {metrics}}}')


def assert_json_error(answer, status: int) -> dict:
    assert answer.status_code == status, answer.content[:300]
    assert answer["Content-Type"].startswith("application/json"), answer["Content-Type"]
    error = answer.json()["error"]
    assert isinstance(error["code"], str) and error["code"]
    assert isinstance(error["message"], str) and error["message"].strip()
    return error


def test_a_lone_surrogate_as_a_metrics_key_gets_a_json_400_and_writes_nothing(officer_api):
    city, api = officer_api
    before = (Incident.objects.count(), AuditEntry.objects.count())
    for metrics in ('{"\\ud800": 1}', '{"deaths": "\\udfff"}', '["a\\ud83d"]'):
        answer = api.post("/api/v1/incidents/", incident_json(city, metrics), content_type="application/json")
        assert "surrogate" in assert_json_error(answer, 400)["message"]
    assert (Incident.objects.count(), AuditEntry.objects.count()) == before
    paired = api.post("/api/v1/incidents/", incident_json(city, "{}").replace("仓库爆炸", "仓库爆炸\\ud83d\\ude92"),
                      content_type="application/json")
    assert paired.status_code == 201, paired.content  # a surrogate pair is an ordinary character
    assert paired.json()["title"] == "仓库爆炸\U0001f692"


@pytest.mark.parametrize("depth", [2000, 100_000])
def test_metrics_nested_thousands_deep_get_a_json_400(officer_api, depth):
    city, api = officer_api
    answer = api.post("/api/v1/incidents/", incident_json(city, "[" * depth + "]" * depth),
                      content_type="application/json")
    assert "deep" in assert_json_error(answer, 400)["message"]
    assert not Incident.objects.exists()


def test_a_multipart_body_with_only_the_closing_boundary_gets_a_json_400(officer_api):
    _city, api = officer_api
    answer = api.generic("POST", "/api/v1/incidents/", b"--abc--\r\n",
                         content_type="multipart/form-data; boundary=abc")
    assert_json_error(answer, 400)
    broken = api.generic("POST", "/api/v1/incidents/", b"garbage", content_type="multipart/form-data")
    assert_json_error(broken, 400)  # no boundary at all


def test_an_unhandled_error_under_the_api_is_a_json_500_and_a_page_elsewhere(officer_api, monkeypatch):
    """The last line of defence: whatever a view fails to handle still answers in the API's format."""
    _city, api = officer_api
    from incidents import api as incidents_api

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(incidents_api.IncidentViewSet, "list", broken)
    error = assert_json_error(api.get("/api/v1/incidents/"), 500)
    assert error["code"] == "server_error" and "boom" not in error["message"]


def test_django_s_own_4xx_under_the_api_are_json(officer_api):
    _city, api = officer_api
    assert_json_error(api.get("/api/v1/no-such-thing/"), 404)
    assert_json_error(api.delete("/api/v1/late-deadlines/"), 405)


@pytest.mark.parametrize("status, code", [(400, "bad_request"), (403, "permission_denied"), (503, "server_error")])
def test_any_other_error_answer_under_the_api_is_rewritten_to_the_json_format(rf, status, code):
    """An empty or HTML error from a component below (Django's CSRF page, a bare HttpResponseBadRequest)."""
    from django.http import HttpResponse

    from emergency.api.errors import ApiErrorFormatMiddleware

    def bare(request):
        response = HttpResponse("<h1>Bad</h1>", status=status, content_type="text/html")
        response["Retry-After"] = "5"
        return response

    answer = ApiErrorFormatMiddleware(bare)(rf.post("/api/v1/incidents/"))
    assert answer.status_code == status and answer["Retry-After"] == "5"
    assert json.loads(answer.content)["error"]["code"] == code
    page = ApiErrorFormatMiddleware(bare)(rf.post("/incidents/new/"))
    assert page.content == b"<h1>Bad</h1>"  # pages keep their own error pages
