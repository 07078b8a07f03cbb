"""Warnings: draft, issue, adjust, lift, escalate; who may; CAP 1.2 valid for Alert/Update/Cancel;
the Atom feed; reporting up and to the neighbours."""
from datetime import timedelta
from xml.etree import ElementTree

import pytest
from django.db import connection, transaction
from django.db.utils import InternalError, ProgrammingError
from django.urls import reverse
from django.utils import timezone
from lxml import etree

from alerts import cap, services
from alerts.models import EarlyWarning, WarningAuthority
from emergency.errors import Conflict, NotPermitted, ValidationFailed
from emergency.notify.models import Notification
from emergency.org.roles import Role
from incidents.response.models import Proposal

from .factories import UnitFactory, user_with_role
from .response_helpers import lead_officer, organisation

pytestmark = pytest.mark.django_db

NS = {"cap": cap.NS}


def _draft(org, officer, level=3, **extra):
    values = {"unit": org.sub, "type_code": "flood_drought", "level": level, "title": "郁江洪水预警",
              "signs": "上游持续强降雨，郁江贵港站水位上涨", "points": "郁江沿岸低洼地带可能受淹",
              "area_desc": "港北区郁江沿岸", "starts_at": timezone.now(),
              "expected_end": timezone.now() + timedelta(days=2),
              "polygon": "23.10,109.55 23.15,109.60 23.10,109.65 23.10,109.55", "circle": "23.11,109.60 15"}
    values.update(extra)
    return services.warning_draft(actor=officer, **values)


@pytest.fixture
def city():
    org = organisation("city")
    org.sub.division_code = "450802"
    org.sub.save()
    WarningAuthority.objects.create(organisation=org.top, level=3, roles=[Role.COMMANDER, Role.PRINCIPAL])
    return org


def test_the_lifecycle_with_valid_cap_for_every_message(city, client):
    officer = user_with_role(Role.DUTY_OFFICER, city.sub)
    commander = user_with_role(Role.COMMANDER, city.sub)
    superior_officer = user_with_role(Role.DUTY_OFFICER, city.top)
    neighbour = UnitFactory(code="gangnan", name="港南区", parent=city.top)
    neighbour_officer = user_with_role(Role.DUTY_OFFICER, neighbour)
    warning = _draft(city, officer, neighbours=[neighbour], area_units=[city.sub])
    with pytest.raises(NotPermitted):
        services.warning_issue(actor=officer, warning=warning)
    alert = services.warning_issue(actor=commander, warning=warning)
    assert alert.msg_type == "Alert" and alert.reported_to == city.top
    assert Notification.objects.filter(recipient__in=[superior_officer, neighbour_officer]).count() == 2
    update = services.warning_adjust(actor=commander, warning=warning, level=3, area_desc="港北区、港南区郁江沿岸")
    cancel = services.warning_lift(actor=commander, warning=warning, reason="水位回落")
    for message in (alert, update, cancel):
        document = client.get(reverse("warning-cap-message", args=[warning.pk, message.sequence])).content
        cap.validate(document)
        root = etree.fromstring(document)
        assert root.findtext("cap:msgType", namespaces=NS) == message.msg_type
        infos = root.findall("cap:info", NS)
        assert [i.findtext("cap:language", namespaces=NS) for i in infos] == ["zh-CN", "en-US"]
        assert infos[0].findtext("cap:severity", namespaces=NS) == "Moderate"
        area = infos[0].find("cap:area", NS)
        assert area.findtext("cap:polygon", namespaces=NS).startswith("23.1")
        assert area.find("cap:geocode", NS).findtext("cap:value", namespaces=NS) == "450802"
    references = etree.fromstring(client.get(reverse("warning-cap", args=[warning.pk])).content).findtext(
        "cap:references", namespaces=NS)
    assert references.count(",") == 4 and cap.identifier(alert) in references
    with pytest.raises(Conflict):
        services.warning_lift(actor=commander, warning=warning, reason="再次解除")


def test_an_adjustment_needs_the_new_levels_authority_and_messages_never_change(city):
    officer = user_with_role(Role.DUTY_OFFICER, city.sub)
    commander = user_with_role(Role.COMMANDER, city.sub)
    WarningAuthority.objects.create(organisation=city.top, level=1, roles=[Role.PRINCIPAL])
    warning = _draft(city, officer)
    message = services.warning_issue(actor=commander, warning=warning)
    with pytest.raises(NotPermitted):
        services.warning_adjust(actor=commander, warning=warning, level=1)
    warning.refresh_from_db()
    assert warning.level == 3
    with pytest.raises((InternalError, ProgrammingError)), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE alerts_warningmessage SET msg_type = 'Cancel' WHERE id = %s", [message.pk])


@pytest.mark.parametrize("field, value", [("title", " "), ("polygon", "23,109 24,110"), ("circle", "23.1 abc"),
                                          ("level", 7), ("expected_end", timezone.now() - timedelta(days=1))])
def test_bad_drafts_are_refused(city, field, value):
    with pytest.raises(ValidationFailed) as error:
        _draft(city, user_with_role(Role.DUTY_OFFICER, city.sub), **{field: value})
    assert field in error.value.fields
    assert not EarlyWarning.objects.exists()


def test_escalation_logs_the_incident_and_proposes_the_response(city):
    officer = user_with_role(Role.DUTY_OFFICER, city.sub)
    commander = user_with_role(Role.COMMANDER, city.sub)
    lead = lead_officer(city)
    lead.role_assignments.create(unit=city.sub, role=Role.COMMANDER)
    warning = _draft(city, officer)
    services.warning_issue(actor=commander, warning=warning)
    incident, proposal = services.warning_escalate(actor=lead, warning=warning, body="郁江堤防出现管涌",
                                                   lead_department=city.lead)
    warning.refresh_from_db()
    assert warning.state == "escalated" and warning.incident == incident
    assert incident.incident_type.code == "flood_drought" and "郁江洪水预警" in incident.reports.get().body
    assert proposal is not None and proposal.level == 3 and Proposal.objects.get().incident == incident
    assert warning.messages.last().msg_type == "Update"  # not an all-clear: tests/test_cap_consumers.py


def test_the_atom_feed_lists_warnings_in_force_with_their_cap_links(city, client):
    officer = user_with_role(Role.DUTY_OFFICER, city.sub)
    commander = user_with_role(Role.COMMANDER, city.sub)
    issued = _draft(city, officer, title="在发布的预警")
    services.warning_issue(actor=commander, warning=issued)
    _draft(city, officer, title="草稿预警")
    feed = client.get(reverse("warning-feed", args=[city.top.code]))
    assert feed.status_code == 200
    root = ElementTree.fromstring(feed.content)
    entries = root.findall("{http://www.w3.org/2005/Atom}entry")
    assert [e.findtext("{http://www.w3.org/2005/Atom}title") for e in entries] == ["[三级（黄色）] 在发布的预警"]
    assert entries[0].find("{http://www.w3.org/2005/Atom}link").get("href").endswith(f"/api/v1/warnings/{issued.pk}.cap")


def test_users_see_only_their_units_warnings(city, client):
    officer = user_with_role(Role.DUTY_OFFICER, city.sub)
    warning = _draft(city, officer)
    outsider = user_with_role(Role.COMMANDER, organisation("customs").top)
    client.force_login(outsider)
    assert client.get(reverse("warning-detail", args=[warning.pk])).status_code == 404
    assert "郁江洪水预警" not in client.get(reverse("warning-list")).content.decode()
    assert client.get(reverse("warning-cap", args=[warning.pk])).status_code == 404  # drafts are never published
