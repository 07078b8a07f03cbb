"""Issue 19 item 18, the rest of the copies (抄送): to the emergency management department of the
reporting unit's own level, a top unit's copy to a body outside the platform, and the customs officer's
"必要时" judgement. Each test quotes the clause."""
import pytest
import yaml
from django.urls import reverse
from django.utils import timezone

from emergency.audit.models import AuditEntry
from emergency.notify.models import Notification
from emergency.org.demo import DEMO_DIR
from emergency.org.models import OrganisationLink, OrgUnit
from emergency.org.roles import Role
from incidents import copies, services
from incidents.demo import copy_rules
from incidents.models import ReportCopy

from .factories import DepartmentFactory, UnitFactory, user_with_role

pytestmark = pytest.mark.django_db
ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}
OWN = "报送本级党委、政府的同时抄送本级应急管理部门"


def _rules(top, name):
    copy_rules(top, yaml.safe_load((DEMO_DIR / name).read_text(encoding="utf-8"))["report_copy_rules"])


@pytest.fixture
def city(grading_tables):
    top = UnitFactory(code="gg", name="贵港市", superior_name="自治区党委、自治区人民政府")
    county = UnitFactory(code="gb", name="港北区", parent=top, kind=OrgUnit.Kind.COUNTY)
    _rules(top, "guigang_city.yaml")
    city_bureau = DepartmentFactory(unit=top, code="gg-emergency", name="贵港市应急管理局")
    county_bureau = DepartmentFactory(unit=county, code="gb-emergency", name="港北区应急管理局")
    return {"top": top, "county": county, "city_bureau": city_bureau, "county_bureau": county_bureau,
            "county_duty": user_with_role(Role.DUTY_OFFICER, county, username="gb-duty"),
            "city_duty": user_with_role(Role.DUTY_OFFICER, top, username="gg-duty"),
            "county_bureau_officer": user_with_role(Role.LEAD_OFFICER, county, department=county_bureau,
                                                    username="gb-bureau")}


def _log(officer, unit, type_code="work_safety"):
    now = timezone.now()
    incident = services.incident_log(actor=officer, unit=unit, type_code=type_code, title="仓库火灾",
                                     address="物流园", occurred_at=now, received_at=now, body="首报",
                                     metrics={"deaths": 1})
    return incident.reports.get()


def test_a_report_is_copied_to_the_emergency_department_of_its_own_level_too(city, django_capture_on_commit_callbacks):
    """City plan 3.3.1 2): "自然災害類、安全生產類突發事件信息,報送上級黨委、政府的同時抄送上級應急管理部門,
    報送本級黨委、政府的同時抄送本級應急管理部門": the county's report goes up to the city (copied to the city's
    bureau) and is copied to the county's own bureau, whose people are told and acknowledge it; a public
    health incident is copied to neither."""
    report = _log(city["county_duty"], city["county"])
    with django_capture_on_commit_callbacks(execute=True):
        services.report_send_up(actor=city["county_duty"], report=report)
    by_department = {copy.department: copy for copy in report.copies.all()}
    assert set(by_department) == {city["city_bureau"], city["county_bureau"]}
    own = by_department[city["county_bureau"]]
    assert own.dispatch is None and own.unit == city["county"] and OWN in own.basis
    assert "抄送上级应急管理部门" in by_department[city["city_bureau"]].basis
    told = Notification.objects.filter(source_key=f"report-copy:{own.pk}")
    assert set(told.values_list("recipient__username", flat=True)) == {"gb-bureau"}
    assert AuditEntry.objects.filter(action="incident.report.copy", object_id=str(own.pk)).exists()
    assert copies.report_copy_acknowledge(actor=city["county_bureau_officer"], copy=own).state == "acknowledged"
    health = _log(city["county_duty"], city["county"], type_code="public_health")
    services.report_send_up(actor=city["county_duty"], report=health)
    assert not health.copies.exists()


def test_the_top_units_report_is_copied_to_the_body_outside_the_platform(city, client):
    """City plan 3.3.1 2) "報送上級黨委、政府的同時抄送上級應急管理部門": 贵港市's superior is the region, outside
    the platform; the copy names 自治区应急管理厅 (the organisation's data), tells nobody on the platform,
    cannot be acknowledged here, and is shown on the report; the city's own bureau gets its 本级 copy."""
    report = _log(city["city_duty"], city["top"])
    services.report_send_up(actor=city["city_duty"], report=report)
    outside = report.copies.get(unit__isnull=True)
    assert (outside.recipient, outside.department, outside.dispatch.recipient) == (
        "自治区应急管理厅", None, "自治区党委、自治区人民政府")
    assert not Notification.objects.filter(source_key=f"report-copy:{outside.pk}").exists()
    assert report.copies.get(unit=city["top"]).department == city["city_bureau"]
    with pytest.raises(Exception):
        copies.report_copy_acknowledge(actor=city["city_duty"], copy=outside)
    client.force_login(city["city_duty"])
    page = client.get(reverse("incident-detail", args=[report.incident_id]), **ZH).content.decode()
    assert "自治区应急管理厅" in page and "平台外单位：已在此记录，平台内不发通知" in page


@pytest.fixture
def customs(grading_tables):
    top = UnitFactory(code="xa", name="西安海关", kind=OrgUnit.Kind.CUSTOMS_DISTRICT)
    office = UnitFactory(code="xa-airport", name="西安咸阳机场海关", parent=top, kind=OrgUnit.Kind.CUSTOMS_OFFICE)
    _rules(top, "xian_customs.yaml")
    local = UnitFactory(code="sx", name="咸阳市")
    OrganisationLink.objects.create(organisation=top, linked=local)
    return {"top": top, "office": office, "local": local, "officer": user_with_role(Role.DUTY_OFFICER, office)}


def test_customs_reports_go_to_the_local_government_only_when_the_officer_judges_it_needed(customs, client, api_as):
    """Customs plan 3.3.1 (1): "第一时间如实向上级海关单位报告……必要时，报告相关所在地党委和政府": the
    officer decides on sending the report up (a checkbox, not ticked by default as the district's data
    says; the API field `copy_when_needed`), instead of every report being copied; the choice is audited."""
    officer = customs["officer"]
    quiet = _log(officer, customs["office"])
    client.force_login(officer)
    page = client.get(reverse("incident-detail", args=[quiet.incident_id]), **ZH).content.decode()
    assert "同时报告所在地党委和政府（必要时）" in page and 'name="copy_when_needed"' in page
    client.post(reverse("report.send", args=[quiet.pk]), {"next": "/"})  # box not ticked
    assert quiet.dispatches.exists() and not quiet.copies.exists()
    ticked = _log(officer, customs["office"])
    client.post(reverse("report.send", args=[ticked.pk]), {"copy_when_needed": "on", "next": "/"})
    assert [(c.unit, c.recipient) for c in ticked.copies.all()] == [(customs["local"], "咸阳市")]
    send = AuditEntry.objects.filter(action="incident.report.send", object_id=str(ticked.dispatches.get().pk)).get()
    assert send.after["copy_when_needed"] is True
    api = api_as(officer)
    by_api = _log(officer, customs["office"])
    answer = api.post(reverse("api:incident-report-send", args=[by_api.pk]), {"copy_when_needed": True},
                      format="json")
    assert answer.status_code == 201 and [c["recipient"] for c in answer.json()["copies"]] == ["咸阳市"]
    default = _log(officer, customs["office"])
    assert api.post(reverse("api:incident-report-send", args=[default.pk]), {}, format="json").status_code == 201
    assert not default.copies.exists()  # left out: the district's default, not needed


def test_without_a_necessity_rule_the_send_form_is_a_button(city, client):
    """City plan 3.3.1 2) copies by the type of the incident, with no "必要时": nothing for the officer to
    judge, so the form asks nothing."""
    report = _log(city["county_duty"], city["county"])
    client.force_login(city["county_duty"])
    page = client.get(reverse("incident-detail", args=[report.incident_id]), **ZH).content.decode()
    assert "send-report-1" in page and 'name="copy_when_needed"' not in page
    assert not ReportCopy.objects.exists()


def test_the_linked_organisation_acknowledges_the_copy_from_its_duty_room(customs, client, api_as):
    """Customs plan 3.3.1 (1) "必要时，报告相关所在地党委和政府": the linked organisation's duty room is told
    with a link to the copies addressed to it, acknowledges there (page and API), and the sender sees it
    acknowledged; it sees the copy, not the incident, and another organisation sees neither."""
    report = _log(customs["officer"], customs["office"])
    services.report_send_up(actor=customs["officer"], report=report, copy_when_needed=True)
    copy = report.copies.get()
    local_duty = user_with_role(Role.DUTY_OFFICER, customs["local"], username="sx-duty")
    stranger = user_with_role(Role.DUTY_OFFICER, UnitFactory(code="bj", name="宝鸡市"), username="bj-duty")
    client.force_login(local_duty)
    listed = client.get(reverse("report-copies-received"), **ZH).content.decode()
    assert "仓库火灾" in listed and "西安咸阳机场海关" in listed and 'data-state="sent"' in listed
    assert 'data-testid="copy-report-kind">首报<' in listed and 'data-testid="nav"' in listed
    assert 'data-nav="copies"' in listed  # the duty room reaches the page from its menu, not only from the notice
    assert client.get(reverse("incident-detail", args=[report.incident_id])).status_code == 404
    client.post(reverse("report-copy.acknowledge", args=[copy.pk]), {"next": "/"})
    copy.refresh_from_db()
    assert copy.state == "acknowledged" and copy.acknowledged_by == local_duty
    assert api_as(local_duty).get("/api/v1/report-copies/").json()["results"][0]["state"] == "acknowledged"
    assert api_as(stranger).get(f"/api/v1/report-copies/{copy.pk}/").status_code == 404
    assert 'data-testid="copy"' not in api_as(stranger).get(reverse("report-copies-received")).content.decode()
    client.force_login(customs["officer"])
    page = client.get(reverse("incident-detail", args=[report.incident_id]), **ZH).content.decode()
    assert "sx-duty" in page or str(local_duty) in page


def test_the_duty_room_notice_links_to_the_copies_page(customs, django_capture_on_commit_callbacks):
    """Customs plan 3.3.1 (1): the linked organisation is told as a unit (its duty room), the notice
    pointing at where it acknowledges the copy."""
    local_duty = user_with_role(Role.DUTY_OFFICER, customs["local"], username="sx-duty")
    report = _log(customs["officer"], customs["office"])
    with django_capture_on_commit_callbacks(execute=True):
        services.report_send_up(actor=customs["officer"], report=report, copy_when_needed=True)
    notice = Notification.objects.get(recipient=local_duty)
    assert notice.link == reverse("report-copies-received")
