"""Operations declared once: the page and the API run the same operation with the same rules; the
page offers an operation only to who may take it now; a refused form keeps what was typed; every
operation is in the OpenAPI schema."""
import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from alerts.models import EarlyWarning
from emergency import operations
from emergency.operations.api import operation_id
from emergency.org.roles import Role

from .factories import user_with_role
from .test_warnings import _draft, city  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db


@pytest.fixture
def issued(city):  # noqa: F811
    from alerts import services

    officer = user_with_role(Role.DUTY_OFFICER, city.sub)
    commander = user_with_role(Role.COMMANDER, city.sub)
    warning = _draft(city, officer)
    services.warning_issue(actor=commander, warning=warning)
    return warning, officer, commander


def test_the_page_offers_lifting_only_to_the_authority_of_the_level(issued, client):
    warning, officer, commander = issued
    client.force_login(officer)
    page = client.get(f"/warnings/{warning.pk}/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert 'data-testid="warning-lift-form"' not in page
    client.force_login(commander)
    page = client.get(f"/warnings/{warning.pk}/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert 'data-testid="warning-lift-form"' in page and reverse("warning.lift", kwargs={"pk": warning.pk}) in page


def test_a_refused_post_keeps_what_was_typed_and_names_the_real_reason(issued, client):
    warning, officer, commander = issued
    client.force_login(officer)
    answer = client.post(f"/warnings/{warning.pk}/lift/", {"reason": "水位回落，险情解除"}, follow=True,
                         HTTP_ACCEPT_LANGUAGE="zh-hans")
    text = answer.content.decode()
    assert "预警由" in text or "发布、调整和解除" in text, text[:2000]
    warning.refresh_from_db()
    assert warning.state == EarlyWarning.State.ISSUED
    client.force_login(commander)
    too_long = "长" * 2001
    client.post(f"/warnings/{warning.pk}/lift/", {"reason": too_long}, HTTP_REFERER=f"/warnings/{warning.pk}/")
    page = client.get(f"/warnings/{warning.pk}/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert too_long in page  # the typed text is back in the form, with its error
    warning.refresh_from_db()
    assert warning.state == EarlyWarning.State.ISSUED


def test_page_and_api_share_the_lifecycle(issued, client):
    warning, officer, commander = issued
    api = APIClient(HTTP_ACCEPT_LANGUAGE="zh-hans")
    api.force_authenticate(officer)
    assert api.post(f"/api/v1/warnings/{warning.pk}/lift/", {"reason": "水位回落"}, format="json").status_code == 403
    api.force_authenticate(commander)
    done = api.post(f"/api/v1/warnings/{warning.pk}/lift/", {"reason": "水位回落"}, format="json")
    assert done.status_code == 201 and done.json()["msg_type"] == "Cancel"
    again = api.post(f"/api/v1/warnings/{warning.pk}/lift/", {"reason": "水位回落"}, format="json")
    assert again.status_code == 409 and again.json()["error"]["message"] == "只有已发布的预警可以解除。"
    client.force_login(commander)
    page = client.get(f"/warnings/{warning.pk}/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert 'data-testid="warning-lift-form"' not in page  # lifted: nothing left to lift


def test_every_operation_is_in_the_api_schema(client):
    from django.urls import get_resolver

    get_resolver().url_patterns  # the URLconf imports every app's operations
    schema = client.get("/api/schema/?format=json").json()
    ids = {op.get("operationId") for path in schema["paths"].values() for op in path.values() if isinstance(op, dict)}
    names = [op.name for op in operations.registered()]
    assert names, "no operation registered"
    missing = [n for n in names if operation_id(operations.get(n)) not in ids]
    assert not missing, f"operations the API lacks: {missing}"


def test_every_operation_has_its_page_route():
    from django.urls import NoReverseMatch

    missing = []
    for operation in operations.registered():
        try:
            reverse(operation.name, kwargs={"pk": 1} if operation.detail else None)
        except NoReverseMatch:
            missing.append(operation.name)
    assert not missing, f"operations no page offers: {missing}"


def _page_routes(app: str):
    from importlib import import_module

    from django.urls import URLPattern

    module = import_module(f"{app}.urls")
    return [p for p in module.urlpatterns if isinstance(p, URLPattern)]


# Routes that are neither a page nor an operation, and why.
NOT_PAGES = {
    "warning-cap", "warning-cap-message", "warning-feed",  # CAP and Atom documents for other systems (GET)
    "public-warning",                                      # the public page, signed out
    "plan-public-suggest",                                 # the public's revision suggestion, signed out (5.4 4))
    "dashboard-state", "events",                           # the dashboard's JSON reads
}


@pytest.mark.parametrize("app", ["emergency.org", "emergency.audit", "emergency.dashboard", "emergency.attachments", "plans",
                                 "incidents.grading", "incidents.response", "incidents", "alerts"])
def test_every_page_route_shows_or_runs_one_operation(app):
    """A page route either only shows (GET) or runs one declared operation (POST): no view reads a
    form post by hand, so no write is wired twice."""
    hand_wired = [p.name for p in _page_routes(app) if p.name not in NOT_PAGES
                  and not getattr(p.callback, "page", False) and not getattr(p.callback, "operation", None)]
    assert not hand_wired, f"{app}: routes wired by hand: {hand_wired}"
