"""Issue 20, items 13–14: what a CAP message points to and who it says sent it; the Atom feed as
feedparser reads it.

- `<web>` is the public page of the warning on PUBLIC_BASE_URL (which honours PORT): no login, the
  message, the area on a map, the measures, the issuing unit and its contact, no personal data.
- `<sender>` and `<contact>` come from the organisation's AlertingProfile; identifiers follow
  GB/T 35965.1-2018 A.1 where the unit has a division code and the organisation an agency code;
  the English `<event>` is under 35 characters for every incident type.
- Atom: `atom:author`, entry ids that are `tag:` IRIs and stay the same across adjustments, and
  summaries of `type="text"` so that `<` and `&` in what officers typed survive.
"""
from __future__ import annotations

import os
import re
import subprocess
import sys

import feedparser
import pytest
from django.conf import settings
from django.urls import reverse
from lxml import etree

from alerts import cap, services
from alerts.models import AlertingProfile, WarningLevel
from incidents.grading.models import IncidentType

from .cap_profile import NS
from .test_cap_consumers import POINTS, draft, make_city, make_commander

pytestmark = pytest.mark.django_db


@pytest.fixture
def city():
    return make_city()


@pytest.fixture
def commander(city):
    return make_commander(city)


def test_public_base_url_honours_the_port_of_the_embedded_run():
    env = {**os.environ, "PORT": "8123", "DJANGO_SETTINGS_MODULE": "emergency.settings"}
    env.pop("PUBLIC_BASE_URL", None)
    code = "import django; django.setup(); from django.conf import settings; print(settings.PUBLIC_BASE_URL)"
    printed = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert printed.stdout.strip() == "http://127.0.0.1:8123"


def test_web_points_to_a_public_page_with_the_message_map_measures_and_issuer(city, commander, client):
    AlertingProfile.objects.create(organisation=city.top, sender="yjj@guigang.example",
                                   contact="贵港市应急管理局 0775-1234567")
    warning = draft(city, commander)
    services.warning_issue(actor=commander, warning=warning)
    root = etree.fromstring(client.get(reverse("warning-cap", args=[warning.pk])).content)
    web = root.findtext("cap:info/cap:web", namespaces=NS)
    assert web == f"{settings.PUBLIC_BASE_URL}/public/warnings/{warning.pk}/"
    page = client.get(web.removeprefix(settings.PUBLIC_BASE_URL))  # anonymous: no login
    assert page.status_code == 200
    html = page.content.decode()
    for shown in ("郁江洪水预警", "水旱灾害黄色预警", "港北区", "转移低洼地带群众", "港北区郁江沿岸", "0775-1234567"):
        assert shown in html, shown
    assert "水位‹5米 &amp; 上涨，水位&lt;5米的堤段 &lt;b&gt;加固&lt;/b&gt;" in html  # text, not markup
    assert "<polygon points=" in html and "<ellipse" in html  # the area, drawn on the server
    for personal in (commander.username, commander.get_full_name(), commander.email):
        assert not personal or personal not in html
    english = client.get(web.removeprefix(settings.PUBLIC_BASE_URL), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Yellow flood or drought warning" in english


def test_the_public_page_shows_only_warnings_in_force(city, commander, client):
    warning = draft(city, commander)
    url = reverse("public-warning", args=[warning.pk])
    assert client.get(url).status_code == 404  # a draft is not public
    services.warning_issue(actor=commander, warning=warning)
    assert client.get(url).status_code == 200
    services.warning_lift(actor=commander, warning=warning, reason="水位回落")
    assert client.get(url).status_code == 404


def test_sender_and_contact_come_from_the_organisation_and_identifiers_follow_gbt_35965(city, commander, client):
    AlertingProfile.objects.create(organisation=city.top, sender="yjj@guigang.example", contact="0775-12350",
                                   agency_code="411")
    warning = draft(city, commander)
    alert = services.warning_issue(actor=commander, warning=warning)
    update = services.warning_adjust(actor=commander, warning=warning, area_desc="港北区全境")
    root = etree.fromstring(client.get(reverse("warning-cap", args=[warning.pk])).content)
    assert root.findtext("cap:sender", namespaces=NS) == "yjj@guigang.example"
    assert root.findtext("cap:info/cap:contact", namespaces=NS) == "0775-12350"
    pattern = re.compile(r"45080241100000_\d{14}_\d")  # 450802 division, 411 agency, 000, 00; time; N
    for message in (alert, update):
        assert pattern.fullmatch(cap.identifier(message)) and len(cap.identifier(message)) == 31
    assert cap.identifier(alert)[15:29] == f"{alert.sent_at.astimezone(cap.timezone.get_fixed_timezone(480)):%Y%m%d%H%M%S}"
    assert cap.identifier(alert) != cap.identifier(update)
    assert f"yjj@guigang.example,{cap.identifier(alert)}," in root.findtext("cap:references", namespaces=NS)


def test_without_the_codes_identifiers_use_the_platform_prefix(city, commander):
    warning = draft(city, commander)
    alert = services.warning_issue(actor=commander, warning=warning)
    assert cap.identifier(alert) == f"{settings.CAP_IDENTIFIER_PREFIX}.warning.{warning.pk}.1"


@pytest.mark.parametrize("level", [level.value for level in WarningLevel])
def test_the_english_event_is_under_35_characters_for_every_type(grading_tables, level):
    codes = list(IncidentType.objects.values_list("code", flat=True))
    assert codes and set(codes) <= set(cap.EVENT_EN)
    for code in codes:
        assert len(cap.event_en(code, level)) < 35, code


def test_the_atom_feed_has_authors_tag_ids_stable_across_adjustments_and_text_summaries(city, commander, client):
    warning = draft(city, commander)
    services.warning_issue(actor=commander, warning=warning)
    url = reverse("warning-feed", args=[city.top.code])
    first = feedparser.parse(client.get(url).content)
    services.warning_adjust(actor=commander, warning=warning, level=3, area_desc="港北区全境")
    second = feedparser.parse(client.get(url).content)
    assert not first.bozo and not second.bozo
    (before,), (after,) = first.entries, second.entries
    assert before.id == after.id and before.id.startswith("tag:") and before.id.endswith(f":warning/{warning.pk}")
    assert after.author == city.sub.name and second.feed.author == city.top.name  # issuing unit, organisation
    assert after.summary_detail.type == "text/plain"
    assert after.summary == f"港北区全境：{POINTS}"  # ‹, <, & and the markup survive as text
    assert after.link == f"{settings.PUBLIC_BASE_URL}/api/v1/warnings/{warning.pk}.cap"
    raw = etree.fromstring(client.get(url).content)
    assert raw.find("{http://www.w3.org/2005/Atom}entry/{http://www.w3.org/2005/Atom}summary").get("type") == "text"
