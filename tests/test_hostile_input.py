"""Hostile input: markup in what officers type, bodies too large, characters databases and XML refuse.

(a) `<script>` and attribute-breaking markup in every free-text field an officer fills in, written
    through the services, come back as text: escaped in the pages, text in the warning map's tooltip
    (built in the browser), text nodes in CAP 1.2 and Atom. Control characters pasted into a warning
    do not break its CAP message or the feed.
(b) A body larger than DATA_UPLOAD_MAX_MEMORY_SIZE is refused with 413 before any view reads it, and
    nothing is written; too many form fields get 400; NUL characters get 400; ids that are not numbers
    in page forms are refused without a 500. Regressions found by tests/test_api_fuzz.py are pinned here.
(c) File uploads: the platform accepts none (no FileField or ImageField, no request.FILES anywhere in
    the code when this was written), so there is nothing to refuse; the last test keeps it that way,
    so that whoever adds an upload also adds the tests for wrong types and sizes.
"""
from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.apps import apps
from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from lxml import etree
from playwright.sync_api import expect

from alerts import cap, services as alert_services
from alerts.models import WarningAuthority
from emergency.audit.models import AuditEntry
from emergency.org.models import RoleAssignment
from emergency.org.roles import DEPARTMENT_ROLES, Role
from incidents import releases, services as incident_services
from incidents.models import Incident
from incidents.response.models import AuthorityRule
from incidents.response import command, services as response_services
from plans import services as plan_services
from plans.loader import load_routes

from .browser import needs_chromium, sign_in
from .factories import PASSWORD, UserFactory
from .response_helpers import incident_in, lead_officer, organisation

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert(1)</script>"
BREAKOUT = '"><img src=x onerror=alert(1)>'
ATOM = {"atom": "http://www.w3.org/2005/Atom"}
CAP = {"cap": cap.NS}


def hostile(field: str) -> str:
    return f"{field}{SCRIPT}{BREAKOUT}"


@pytest.fixture
def city():
    org = organisation("city")
    # Level 4 commanded where the incident happens, so a transfer upward exists to write text into.
    AuthorityRule.objects.filter(organisation=org.top, level=4).update(command_at=AuthorityRule.CommandAt.INCIDENT_UNIT)
    WarningAuthority.objects.create(organisation=org.top, level=3, roles=[Role.COMMANDER])
    load_routes(org.top, "routes_city")
    return org


@pytest.fixture
def chief(city):
    """One officer holding every role at the top, so each service below lets them write."""
    user = UserFactory()
    for role in Role:
        RoleAssignment.objects.create(user=user, unit=city.top, role=role,
                                      department=city.lead if role in DEPARTMENT_ROLES else None)
    return user


def page_shows_as_text(client, url: str, values) -> None:
    html = client.get(url).content.decode()
    assert "<script>alert" not in html and "<img src=x" not in html, url
    for value in values:
        assert escape(value) in html, (url, value)


def test_markup_in_incident_text_stays_text_on_the_pages(city, chief, client):
    now = timezone.now()
    text = {name: hostile(name) for name in ("title", "address", "body", "follow_up", "channel", "release")}
    incident = incident_services.incident_log(
        actor=chief, unit=city.sub, type_code="work_safety", title=text["title"], address=text["address"],
        occurred_at=now, received_at=now, body=text["body"], lead_department=city.lead)
    incident_services.report_submit(actor=chief, incident=incident, kind="follow_up", body=text["follow_up"])
    releases.release_draft(actor=chief, incident=incident, kind="release", channel=text["channel"],
                           text=text["release"])
    client.force_login(chief)
    page_shows_as_text(client, reverse("incident-detail", args=[incident.pk]), text.values())
    page_shows_as_text(client, reverse("incident-list"), [text["title"]])


def test_markup_in_response_text_stays_text_on_the_pages(city, chief, client):
    incident = incident_in(city)
    text = {name: hostile(name) for name in ("reasons", "decision", "post", "location", "order", "note", "transfer")}
    proposal = response_services.proposal_create(actor=lead_officer(city), incident=incident, level=4,
                                                 reasons=text["reasons"])
    client.force_login(chief)
    page_shows_as_text(client, reverse("response-inbox"), [text["reasons"]])
    response = response_services.proposal_decide(actor=chief, proposal=proposal, outcome="approved",
                                                 reason=text["decision"]).response
    command.post_open(actor=chief, response=response, name=text["post"], location=text["location"])
    order = command.order_issue(actor=chief, response=response, department=city.lead, text=text["order"])
    command.order_update(actor=chief, order=order, status="acknowledged", note=text["note"])
    response_services.transfer_request(actor=chief, response=response, reason=text["transfer"])
    page_shows_as_text(client, reverse("response-detail", args=[response.pk]), set(text.values()) - {text["reasons"]})


def test_markup_in_plan_text_stays_text_on_the_pages(city, chief, client):
    text = {name: hostile(name) for name in ("title", "section", "body", "request", "drill", "evaluation", "task",
                                             "person")}
    plan = plan_services.plan_create(actor=chief, unit=city.top, plan_type="general", title=text["title"],
                                     sections=[{"title": text["section"], "body": text["body"]}])
    client.force_login(chief)
    page_shows_as_text(client, reverse("plan-detail", args=[plan.pk]), [text["section"], text["body"]])  # the draft
    plan_services.revision_request_file(actor=chief, plan=plan, trigger="risk_changed", description=text["request"])
    today = timezone.localdate()
    plan_services.drill_record(actor=chief, plan=plan, kind="tabletop", held_on=today, findings=text["drill"])
    plan_services.evaluation_record(actor=chief, plan=plan, held_on=today, conclusion="keep",
                                    findings=text["evaluation"])
    plan_services.task_add(actor=chief, plan=plan, department=city.lead, task=text["task"], responsible_unit=city.sub,
                           responsible_person=text["person"])
    version = plan_services.version_submit(actor=chief, version=plan.versions.get())
    (opinion,) = plan_services.opinions_request(actor=chief, version=version, departments=[city.lead],
                                                due_on=today + timedelta(days=7))
    text["opinion"] = hostile("opinion")
    plan_services.opinion_record(actor=chief, opinion=opinion, text=text["opinion"])
    page_shows_as_text(client, reverse("plan-detail", args=[plan.pk]), set(text.values()) - {text["section"],
                                                                                               text["body"]})
    page_shows_as_text(client, reverse("plan-tree"), [text["title"]])


def _issued_warning(city, chief, text, **extra):
    warning = alert_services.warning_draft(
        actor=chief, unit=city.sub, type_code="flood_drought", level=3, title=text["title"], signs=text["signs"],
        points=text["points"], area_desc=text["area"], measures_text=text["measures"], starts_at=timezone.now(),
        expected_end=timezone.now() + timedelta(days=1), **extra)
    alert_services.warning_issue(actor=chief, warning=warning)
    return warning


def test_markup_in_a_warning_is_text_in_its_pages_its_cap_message_and_the_atom_feed(city, chief, client):
    text = {name: hostile(name) for name in ("title", "signs", "points", "area", "measures")}
    warning = _issued_warning(city, chief, text)
    client.force_login(chief)
    page_shows_as_text(client, reverse("warning-detail", args=[warning.pk]), set(text.values()) - {text["measures"]})
    page_shows_as_text(client, reverse("warning-list"), [text["title"]])

    document = client.get(f"/api/v1/warnings/{warning.pk}.cap").content
    cap.validate(document)
    alert = etree.fromstring(document)
    assert not alert.xpath("//*[local-name()='script' or local-name()='img']")
    info = alert.find("cap:info", CAP)
    assert info.findtext("cap:headline", namespaces=CAP) == text["title"]
    assert info.findtext("cap:description", namespaces=CAP).startswith(text["points"])
    assert info.findtext("cap:instruction", namespaces=CAP).startswith(text["measures"])
    assert info.findtext("cap:area/cap:areaDesc", namespaces=CAP) == text["area"]

    feed = etree.fromstring(client.get(reverse("warning-feed", args=[city.top.code])).content)
    assert not feed.xpath("//*[local-name()='script' or local-name()='img']")
    (entry,) = feed.findall("atom:entry", ATOM)
    assert entry.findtext("atom:title", namespaces=ATOM).endswith(text["title"])
    assert entry.findtext("atom:summary", namespaces=ATOM) == f"{text['area']}：{text['points']}"


@pytest.mark.browser
@needs_chromium
@pytest.mark.django_db(transaction=True)
def test_a_warning_title_in_the_map_tooltip_is_text(live_server, page, grading_tables, city, chief):
    """The map's tooltip is built in the browser: Leaflet would take a string as HTML."""
    text = {name: hostile(name) for name in ("title", "signs", "points", "area", "measures")}
    _issued_warning(city, chief, text, circle="23.11,109.60 15")
    sign_in(page, live_server.url, chief.username, PASSWORD)
    page.goto(f"{live_server.url}{reverse('warning-list')}")
    page.hover("[data-testid=warning-map] path.leaflet-interactive")
    expect(page.locator(".leaflet-tooltip")).to_have_text(text["title"])
    expect(page.locator(".leaflet-tooltip img, .leaflet-tooltip script")).to_have_count(0)


def test_control_characters_pasted_into_a_warning_do_not_break_cap_or_the_feed(city, chief, client):
    """XML 1.0 cannot carry most control characters (a vertical tab comes with text pasted from a word processor)."""
    text = {name: f"{name}\x0b第一段\x01" for name in ("title", "signs", "points", "area", "measures")}
    warning = _issued_warning(city, chief, text)
    answer = client.get(f"/api/v1/warnings/{warning.pk}.cap")
    assert answer.status_code == 200
    cap.validate(answer.content)
    assert etree.fromstring(answer.content).findtext("cap:info/cap:headline", namespaces=CAP) == "title第一段"
    feed = client.get(reverse("warning-feed", args=[city.top.code]))
    assert feed.status_code == 200
    assert etree.fromstring(feed.content).findtext("atom:entry/atom:title", namespaces=ATOM).endswith("title第一段")


def test_ids_that_are_not_numbers_in_page_forms_are_refused_without_a_500(city, chief, client):
    warning = _issued_warning(city, chief, {name: name for name in ("title", "signs", "points", "area", "measures")})
    plan = plan_services.plan_create(actor=chief, unit=city.top, plan_type="general", title="总体应急预案",
                                     sections=[{"title": "总则", "body": "适用范围"}])
    plan_services.version_submit(actor=chief, version=plan.versions.get())
    client.force_login(chief)
    tampered = "1 OR 1=1"
    for name, field in (("warning.adjust", "report_to"), ("warning.escalate", "lead_department"),
                        ("warning.assign-measure", "department")):
        answer = client.post(reverse(name, args=[warning.pk]), {field: tampered})
        assert answer.status_code in (302, 404), name
    due_on = (timezone.localdate() + timedelta(days=7)).isoformat()
    answer = client.post(reverse("plan.opinions", args=[plan.pk]), {"due_on": due_on, "departments": tampered})
    assert answer.status_code == 302 and not plan.versions.get().opinions.exists()


def test_the_upload_limits_are_set():
    assert 0 < settings.DATA_UPLOAD_MAX_MEMORY_SIZE <= 10 * 1024 * 1024
    assert 0 < settings.FILE_UPLOAD_MAX_MEMORY_SIZE <= 10 * 1024 * 1024


def test_a_body_over_the_limit_gets_413_and_nothing_is_written(city, chief, client):
    client.force_login(chief)
    now = timezone.now().isoformat()
    oversized = "事" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE // 3 + 1)  # three bytes each in UTF-8
    incident = {"unit": city.top.pk, "type": "work_safety", "title": "仓库爆炸", "address": "物流园",
                "occurred_at": now, "received_at": now, "body": oversized}
    before = (Incident.objects.count(), AuditEntry.objects.count())

    api = client.post("/api/v1/incidents/", json.dumps(incident), content_type="application/json",
                      HTTP_ACCEPT_LANGUAGE="en")
    assert api.status_code == 413
    assert api.json()["error"]["code"] == "too_large" and "MB" in api.json()["error"]["message"]
    form = client.post(reverse("incident-new"), {**incident, "type": "work_safety"})
    assert form.status_code == 413
    assert (Incident.objects.count(), AuditEntry.objects.count()) == before

    incident["body"] = "事" * 1000  # the same request under the limit goes through
    assert client.post("/api/v1/incidents/", json.dumps(incident), content_type="application/json").status_code == 201


def test_a_form_with_too_many_fields_gets_400_in_the_api_format(chief, client):
    client.force_login(chief)
    fields = {f"f{n}": "x" for n in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1)}
    answer = client.post("/api/v1/incidents/", fields)
    assert answer.status_code == 400 and answer.json()["error"]["code"] == "bad_request"
    assert client.post(reverse("incident.log"), fields).status_code == 400


def test_nul_characters_in_queries_and_forms_get_400_not_500(city, chief, client):
    client.force_login(chief)
    api = client.get("/api/v1/incidents/?type=%00", HTTP_ACCEPT_LANGUAGE="en")
    assert api.status_code == 400 and api.json()["error"]["code"] == "invalid"
    assert client.get(reverse("incident-list") + "?type=a%00b").status_code == 400
    assert client.get(reverse("plan-tree") + "?type=%00").status_code == 400
    incident = incident_in(city)
    assert client.post(reverse("incident.report", args=[incident.pk]), {"body": "续报\x00"}).status_code == 400
    assert incident.reports.count() == 1


def test_what_the_api_fuzz_found_gets_a_clear_4xx(city, chief, api_as):
    api = api_as(chief, "en")
    for body in ("[]", "0", "null", '"x"', '{"note": "a\\u0000"}'):  # the table draft read request.data.get()
        assert api.post("/api/v1/grading/tables/", body, content_type="application/json").status_code == 400
    assert api.patch(f"/api/v1/units/{city.top.pk}/", {"position": 2**31}, format="json").status_code == 400
    assert api.get("/api/v1/late-deadlines/?year=-1").status_code == 200  # no date has that year: ignored
    not_routed = api.get("/api/v1/units/1.5/")  # no route matches: Django's 404, in the API's format
    assert not_routed.status_code == 404 and not_routed.json()["error"]["code"] == "not_found"


def test_a_transfer_posted_as_a_form_with_accept_false_is_declined(city, chief, api_as):
    """`bool("false")` is true: the decision went through a serializer's BooleanField to read it."""
    incident = incident_in(city)
    proposal = response_services.proposal_create(actor=lead_officer(city), incident=incident, level=4, reasons="四级")
    response = response_services.proposal_decide(actor=chief, proposal=proposal, outcome="approved").response
    transfer = response_services.transfer_request(actor=chief, response=response, reason="超出县级处置能力")
    superior = UserFactory()  # the requester cannot accept its own request (city 3.3.3)
    for role in Role:
        RoleAssignment.objects.create(user=superior, unit=city.top, role=role,
                                      department=city.lead if role in DEPARTMENT_ROLES else None)
    answer = api_as(superior).post(f"/api/v1/transfers/{transfer.pk}/decide/", {"accept": "false"})
    assert answer.status_code == 200 and answer.json()["state"] == "declined"
    response.refresh_from_db()
    assert response.command_unit == city.sub


def test_no_model_stores_an_uploaded_file():
    file_fields = [f"{model.__name__}.{field.name}" for model in apps.get_models() for field in model._meta.fields
                   if isinstance(field, models.FileField)]
    assert file_fields == [], "an upload needs tests refusing wrong types and oversized files (see this module)"
