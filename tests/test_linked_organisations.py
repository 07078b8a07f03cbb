"""Issue 18: another organisation is informed as a unit through a configured link (联动单位),
never chosen freely, and the sender never sees its people, addresses or per-person status.

The demo's two organisations (西安海关 and 贵港市) are not linked: neither plan names the other."""
from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from alerts import services as alert_services
from emergency import operations
from alerts.models import EarlyWarning
from emergency.errors import ValidationFailed
from emergency.notify.models import Delivery, DutyRoomDelivery, Notification
from emergency.notify.services import duty_room_inform
from emergency.org.models import OrganisationLink, OrgUnit, User

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    call_command("load_demo", verbosity=0)
    return {"xa": OrgUnit.objects.get(code="xa"), "gg": OrgUnit.objects.get(code="gg")}


def _warning_values(unit, **extra):
    return {"unit": unit, "type_code": "flood_drought", "level": 3, "title": "渭河洪水预警", "signs": "水位上涨",
            "points": "沿岸低洼地带可能受淹", "area_desc": "渭河沿岸", "starts_at": timezone.now(), **extra}


def test_the_warning_form_offers_a_customs_commander_no_unit_of_the_city(demo, client):
    """The issue's leak: /warnings/new/ offered every unit of 贵港市 as units in the area and neighbours."""
    commander = User.objects.get(username="xa-commander")
    client.force_login(commander)
    assert client.get(reverse("warning-new")).status_code == 200
    form = operations.get("warning.draft").bind(data=None, request=SimpleNamespace(user=commander), target=None)
    city_units = set(OrgUnit.objects.descendants(demo["gg"], include_self=True).values_list("pk", flat=True))
    for name in ("unit", "area_units", "neighbours"):
        field = form.fields[name]
        offered = {unit.pk for unit in (field.child_relation if hasattr(field, "child_relation") else field)
                   .get_queryset()}
        assert offered and not offered & city_units, name
    posted = client.post(reverse("warning.draft"), {
        "unit": demo["xa"].pk, "type_code": "flood_drought", "level": 3, "title": "渭河洪水预警", "signs": "水位上涨",
        "points": "沿岸低洼地带可能受淹", "area_desc": "贵港市", "starts_at": "2026-12-02T08:00",
        "area_units": [demo["gg"].pk], "neighbours": [demo["gg"].pk], "next": reverse("warning-new")},
        HTTP_ACCEPT_LANGUAGE="zh-hans", follow=True)
    assert posted.status_code == 200 and "未找到" in posted.content.decode()
    assert not EarlyWarning.objects.exists()


def test_the_warning_service_refuses_units_of_another_organisation(demo):
    commander = User.objects.get(username="xa-commander")
    for field in ("area_units", "neighbours"):
        with pytest.raises(ValidationFailed) as error:
            alert_services.warning_draft(actor=commander, **_warning_values(demo["xa"], **{field: [demo["gg"]]}))
        assert field in error.value.fields
    assert not EarlyWarning.objects.exists()


def test_a_linked_organisation_is_informed_in_its_duty_room_and_the_sender_sees_only_that(demo, client):
    """Issued to a linked organisation: its duty officers get it; the sender's page says
    "delivered to 贵港市 duty room at hh:mm" and names none of its people, addresses or states."""
    OrganisationLink.objects.create(organisation=demo["xa"], linked=demo["gg"], basis="演练联动")
    commander = User.objects.get(username="xa-commander")
    warning = alert_services.warning_draft(actor=commander, **_warning_values(demo["xa"],
                                                                              linked_organisations=[demo["gg"]]))
    message = alert_services.warning_issue(actor=commander, warning=warning)
    gg_duty = User.objects.get(username="gg-duty")
    received = Notification.objects.get(recipient=gg_duty)
    assert received.unit_id == demo["gg"].pk and "西安海关" in received.body and "沿岸低洼地带" in received.body
    assert Delivery.objects.filter(notification=received, address="gg-duty@emergency.invalid").exists()
    duty_room = DutyRoomDelivery.objects.get(organisation=demo["gg"])
    assert duty_room.source_key == f"warning.message:{message.pk}" and duty_room.reached == 1
    client.force_login(commander)
    page = client.get(reverse("warning-detail", args=[warning.pk]), HTTP_ACCEPT_LANGUAGE="zh-hans")
    html = page.content.decode()
    at = timezone.localtime(duty_room.delivered_at).strftime("%H:%M")
    assert "已送达贵港市值班室" in html and at in html
    for foreign in ("gg-duty@emergency.invalid", str(gg_duty), gg_duty.username):
        assert foreign not in html
    client.force_login(gg_duty)
    assert client.get(reverse("warning-detail", args=[warning.pk])).status_code == 404


def test_an_organisation_that_is_not_linked_cannot_be_informed(demo):
    commander = User.objects.get(username="xa-commander")
    with pytest.raises(ValidationFailed) as error:
        alert_services.warning_draft(actor=commander, **_warning_values(demo["xa"], linked_organisations=[demo["gg"]]))
    assert "linked_organisations" in error.value.fields
    with pytest.raises(ValidationFailed):
        duty_room_inform(from_unit_id=demo["xa"].pk, organisation=demo["gg"], kind="warning", title="t", body="b",
                         source_key="test:1")
    assert not Notification.objects.filter(recipient__username__startswith="gg-").exists()
    assert not DutyRoomDelivery.objects.exists()


def test_links_are_organisation_data_and_the_demo_declares_none(demo):
    from emergency.org.demo import LoadReport, load_links

    assert not OrganisationLink.objects.exists()  # neither plan names the other organisation
    report = LoadReport()
    for _twice in range(2):
        load_links(demo["xa"], [{"code": "gg", "basis": "海关预案3.3.3"}], report)
    assert report.created == 1
    assert OrganisationLink.objects.get().basis == "海关预案3.3.3"
    with pytest.raises(ValueError):
        load_links(demo["xa"], [{"code": "gg-gangbei"}], report)  # a county is not an organisation


def test_a_report_sent_up_also_reaches_the_linked_organisations_duty_room(demo, client):
    from incidents import services as incident_services

    OrganisationLink.objects.create(organisation=demo["xa"], linked=demo["gg"], basis="海关预案3.3.3")
    duty = User.objects.get(username="xa-duty")
    now = timezone.now()
    incident = incident_services.incident_log(
        actor=duty, unit=demo["xa"], type_code="work_safety", title="咸阳机场货站火灾", address="货站",
        occurred_at=now, received_at=now, body="首报：货站起火，无人员伤亡。")
    report = incident.reports.get()
    incident_services.report_send_up(actor=duty, report=report)
    gg_duty = User.objects.get(username="gg-duty")
    received = Notification.objects.get(recipient=gg_duty)
    assert "咸阳机场货站火灾" in received.title and "货站起火" in received.body
    assert DutyRoomDelivery.objects.get(source_key=f"incident.report:{report.pk}").organisation == demo["gg"]
    client.force_login(duty)
    html = client.get(reverse("incident-detail", args=[incident.pk]), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "已送达贵港市值班室" in html
    assert "gg-duty" not in html and str(gg_duty) not in html
