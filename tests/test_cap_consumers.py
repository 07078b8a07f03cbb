"""Issue 20, items 11–14: CAP 1.2 and Atom as third-party consumers read them.

Every CAP state (issued, adjusted, escalated, lifted, expired) is checked against the OASIS schema,
read by capparselib (PyPI), and held to Google's CAP profile rules (tests/cap_profile.py); the Atom
feed is read by feedparser. Then each defect the independent test found, one test each."""
from __future__ import annotations

import time
from datetime import timedelta

import feedparser
import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from lxml import etree

from alerts import cap, services
from alerts.models import AlertingProfile, EarlyWarning, WarningAuthority
from emergency.org.roles import Role

from .cap_profile import NS, capparselib_reads, google_problems
from .factories import user_with_role
from .response_helpers import lead_officer, organisation

pytestmark = pytest.mark.django_db
STATES = ("issued", "adjusted", "escalated", "lifted", "expired")
POINTS = "水位‹5米 & 上涨，水位<5米的堤段 <b>加固</b>"


def make_city():
    org = organisation("city")
    org.sub.division_code = "450802"
    org.sub.save()
    WarningAuthority.objects.create(organisation=org.top, level=3, roles=[Role.COMMANDER])
    return org


def make_commander(city):
    user = user_with_role(Role.COMMANDER, city.sub)
    user.role_assignments.create(unit=city.sub, role=Role.DUTY_OFFICER)
    return user


@pytest.fixture
def city():
    return make_city()


@pytest.fixture
def commander(city):
    return make_commander(city)


def draft(city, actor, **extra):
    values = {"unit": city.sub, "type_code": "flood_drought", "level": 3, "title": "郁江洪水预警",
              "signs": "上游持续强降雨", "points": POINTS, "area_desc": "港北区郁江沿岸",
              "starts_at": timezone.now() - timedelta(hours=1), "expected_end": None,
              "polygon": "23.10,109.55 23.15,109.60 23.10,109.65 23.10,109.55", "circle": "23.11,109.60 15",
              "measures_text": "转移低洼地带群众", "area_units": [city.sub]}
    values.update(extra)
    return services.warning_draft(actor=actor, **values)


def in_state(state: str, city, commander) -> EarlyWarning:
    extra = {"expected_end": timezone.now() + timedelta(seconds=2)} if state == "expired" else {}
    warning = draft(city, commander, **extra)
    services.warning_issue(actor=commander, warning=warning)
    if state == "adjusted":
        services.warning_adjust(actor=commander, warning=warning, area_desc="港北区、港南区郁江沿岸")
    elif state == "escalated":
        lead = lead_officer(city)
        lead.role_assignments.create(unit=city.sub, role=Role.COMMANDER)
        services.warning_escalate(actor=lead, warning=warning, body="堤防出现管涌", lead_department=city.lead)
    elif state == "lifted":
        services.warning_lift(actor=commander, warning=warning, reason="水位回落")
    elif state == "expired":
        time.sleep(max(0.0, (warning.expected_end - timezone.now()).total_seconds()) + 0.2)
    warning.refresh_from_db()
    return warning


def feed_entries(client, city) -> list:
    answer = client.get(reverse("warning-feed", args=[city.top.code]))
    assert answer.status_code == 200
    parsed = feedparser.parse(answer.content)
    assert not parsed.bozo, parsed.bozo_exception
    return parsed.entries


@pytest.mark.parametrize("state", STATES)
def test_every_cap_state_is_valid_for_the_schema_capparselib_and_google_s_profile(state, city, commander, client):
    warning = in_state(state, city, commander)
    for message in warning.messages.all():
        document = client.get(reverse("warning-cap-message", args=[warning.pk, message.sequence])).content
        cap.validate(document)
        assert google_problems(document) == [], (message.msg_type, document.decode())
        parsed = capparselib_reads(document)
        assert str(parsed["cap_message_type"]) == message.msg_type
        assert str(parsed["cap_info"][0]["cap_expires"])  # always present
        assert str(parsed["cap_sender"]) == settings.CAP_SENDER
    entries = feed_entries(client, city)
    assert len(entries) == (1 if state in ("issued", "adjusted", "escalated") else 0), state
    public = client.get(reverse("public-warning", args=[warning.pk]))
    assert public.status_code == (200 if entries else 404)


def test_a_warning_without_an_expected_end_expires_after_the_organisation_s_default_validity(city, commander, client):
    AlertingProfile.objects.create(organisation=city.top, sender="yjj@guigang.example", default_validity_hours=6)
    message = services.warning_issue(actor=commander, warning=draft(city, commander))
    root = etree.fromstring(client.get(reverse("warning-cap", args=[message.warning_id])).content)
    expires = root.findtext("cap:info/cap:expires", namespaces=NS)
    assert expires == cap.cap_time(message.sent_at + timedelta(hours=6))
    message.warning.refresh_from_db()
    assert message.warning.expires_at == message.sent_at + timedelta(hours=6)


def test_a_draft_whose_end_has_passed_cannot_be_issued(city, commander):
    warning = draft(city, commander, expected_end=timezone.now() + timedelta(seconds=1))
    time.sleep(1.2)
    with pytest.raises(services.ValidationFailed) as error:
        services.warning_issue(actor=commander, warning=warning)
    assert "expected_end" in error.value.fields
    warning.refresh_from_db()
    assert warning.state == "draft" and not warning.messages.exists()


def test_an_expired_warning_leaves_the_feed_the_public_page_and_the_dashboard(city, commander, client):
    from emergency.dashboard.selectors import dashboard_state

    warning = in_state("issued", city, commander)
    expired = in_state("expired", city, commander)
    assert [w["id"] for w in dashboard_state([city.sub.pk])["warnings"]] == [warning.pk]
    assert [e.id for e in feed_entries(client, city)] == [f"tag:127.0.0.1,{warning.created_at:%Y-%m-%d}:warning/"
                                                          f"{warning.pk}"]
    assert client.get(reverse("public-warning", args=[expired.pk])).status_code == 404
    with pytest.raises(services.Conflict):
        services.warning_adjust(actor=commander, warning=expired, level=3)


@pytest.mark.parametrize("field, value", [
    ("circle", "23.11,109.60 inf"), ("circle", "23.11,109.60 1e400"), ("circle", "23.11,109.60 0"),
    ("circle", "2.311e1,109.60 15"), ("circle", "23.11,109.60\t15"), ("circle", "23.11,109.60 nan"),
    ("polygon", "23.10,109.55\t23.15,109.60\t23.10,109.65\t23.10,109.55"),
    ("polygon", "2.31e1,109.55 23.15,109.60 23.10,109.65 2.31e1,109.55"),
    ("polygon", "23.10,109.55 23.15,109.60 23.10,109.65 23.11,109.55"),  # not closed
    ("polygon", "23.10,109.55 23.15,109.60 23.10,109.55"),  # three points
    ("polygon", "93.10,109.55 23.15,109.60 23.10,109.65 93.10,109.55"),  # latitude beyond 90
    ("polygon", "23.10, 109.55 23.15,109.60 23.10,109.65 23.10, 109.55"),
])
def test_areas_are_cap_decimal_wgs84_pairs_and_anything_else_is_refused(city, commander, field, value):
    with pytest.raises(services.ValidationFailed) as error:
        draft(city, commander, **{field: value})
    assert list(error.value.fields) == [field]
    assert not EarlyWarning.objects.exists()


def test_a_bad_area_on_the_form_says_what_is_wrong_in_the_user_s_language(city, commander, client):
    client.force_login(commander)
    form = {"unit": city.sub.pk, "type_code": "flood_drought", "level": 3, "title": "郁江洪水预警", "signs": "强降雨",
            "points": "低洼地带", "area_desc": "郁江沿岸", "starts_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "circle": "23.11,109.60 1e400", "next": reverse("warning-new")}
    page = client.post(reverse("warning.draft"), form, follow=True).content.decode()
    assert "十进制度" in page and not EarlyWarning.objects.exists()
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert "decimal degrees (WGS 84)" in client.post(reverse("warning.draft"), form, follow=True).content.decode()


def test_escalation_updates_the_warning_and_never_tells_the_public_all_clear(city, commander, client):
    warning = in_state("escalated", city, commander)
    alert, update = warning.messages.order_by("sequence")
    assert update.msg_type == "Update" and warning.state == "escalated" and warning.incident_id
    root = etree.fromstring(client.get(reverse("warning-cap", args=[warning.pk])).content)
    assert root.findtext("cap:msgType", namespaces=NS) == "Update"
    assert cap.identifier(alert) in root.findtext("cap:references", namespaces=NS)
    assert f"{warning.incident_id}" in root.findtext("cap:note", namespaces=NS)
    for info in root.findall("cap:info", NS):
        assert info.findtext("cap:responseType", namespaces=NS) != "AllClear"
        assert info.findtext("cap:urgency", namespaces=NS) != "Past"
    assert len(feed_entries(client, city)) == 1  # still in force for the public
    services.warning_lift(actor=commander, warning=warning, reason="险情解除")  # the all-clear comes when it is over
    root = etree.fromstring(client.get(reverse("warning-cap", args=[warning.pk])).content)
    assert root.findtext("cap:msgType", namespaces=NS) == "Cancel"
    assert root.findtext("cap:info/cap:responseType", namespaces=NS) == "AllClear"
    assert feed_entries(client, city) == []
