"""Issue 19 item 18: a report sent up is copied (抄送) as the plans say, chosen by the organisation's
copy rules; the recipients' people are told, acknowledge it, and nothing else of the copy changes."""
import pytest
from django.utils import translation
import yaml
from django.db import DatabaseError, transaction
from django.urls import reverse
from django.utils import timezone

from emergency.notify.models import Notification
from emergency.org.demo import DEMO_DIR
from emergency.org.models import OrganisationLink, OrgUnit, RoleAssignment
from emergency.org.roles import Role
from incidents import copies, services
from incidents.demo import copy_rules
from incidents.models import ReportCopy

from .factories import DepartmentFactory, UnitFactory, user_with_role

pytestmark = pytest.mark.django_db


def _rules(top, name):
    copy_rules(top, yaml.safe_load((DEMO_DIR / name).read_text(encoding="utf-8"))["report_copy_rules"])


@pytest.fixture
def city(grading_tables):
    top = UnitFactory(code="gg", name="贵港市")
    county = UnitFactory(code="gb", name="港北区", parent=top, kind=OrgUnit.Kind.COUNTY)
    township = UnitFactory(code="gc", name="港城街道", parent=county, kind=OrgUnit.Kind.TOWNSHIP)
    _rules(top, "guigang_city.yaml")
    bureau = DepartmentFactory(unit=county, code="gb-emergency", name="港北区应急管理局")
    DepartmentFactory(unit=county, code="gb-housing", name="港北区住房和城乡建设局")
    return {"top": top, "county": county, "township": township, "bureau": bureau,
            "officer": user_with_role(Role.DUTY_OFFICER, township),
            "bureau_officer": user_with_role(Role.LEAD_OFFICER, county, department=bureau, username="gb-bureau"),
            "county_duty": user_with_role(Role.DUTY_OFFICER, county, username="gb-duty")}


def _send(officer, unit, type_code="work_safety", **choice):
    now = timezone.now()
    incident = services.incident_log(actor=officer, unit=unit, type_code=type_code, title="仓库火灾",
                                     address="物流园", occurred_at=now, received_at=now, body="首报",
                                     metrics={"deaths": 1})
    report = incident.reports.get()
    services.report_send_up(actor=officer, report=report, **choice)
    return report


def test_work_safety_and_natural_disasters_are_copied_to_the_superiors_emergency_management_department(city):
    """City plan 3.3.1 2): "自然災害類、安全生產類突發事件信息,報送上級黨委、政府的同時抄送上級應急管理部門";
    other incidents are not copied."""
    report = _send(city["officer"], city["township"])
    copy = report.copies.get()
    assert (copy.unit, copy.department, copy.dispatch.unit) == (city["county"], city["bureau"], city["county"])
    assert copy.basis.startswith("市预案3.3.1 2)") and "抄送上级应急管理部门" in copy.basis
    assert copy.state == "sent" and copy.acknowledged_at is None
    flood = _send(city["officer"], city["township"], type_code="flood_drought")
    assert flood.copies.get().department == city["bureau"]
    assert not _send(city["officer"], city["township"], type_code="public_health").copies.exists()


def test_only_the_departments_people_are_told_of_the_copy(city, django_capture_on_commit_callbacks):
    """City plan 3.3.1 2) "抄送上级应急管理部门": the bureau's people get it in their inbox; the county's
    duty officer is told of the report (报送), not of the copy."""
    with django_capture_on_commit_callbacks(execute=True):
        report = _send(city["officer"], city["township"])
    told = Notification.objects.filter(source_key=f"report-copy:{report.copies.get().pk}")
    assert set(told.values_list("recipient__username", flat=True)) == {"gb-bureau"}


def test_acknowledging_records_a_timestamp_and_nothing_else_changes(city):
    """A copy is an official record (append-only); the one change is its acknowledgement, once, by
    the department it went to."""
    copy = _send(city["officer"], city["township"]).copies.get()
    with translation.override("en"), pytest.raises(Exception, match="department"):
        copies.report_copy_acknowledge(actor=city["county_duty"], copy=copy)
    done = copies.report_copy_acknowledge(actor=city["bureau_officer"], copy=copy)
    assert done.state == "acknowledged" and done.acknowledged_by == city["bureau_officer"]
    with translation.override("en"), pytest.raises(Exception, match="already"):
        copies.report_copy_acknowledge(actor=city["bureau_officer"], copy=done)
    for change in (lambda: ReportCopy.objects.filter(pk=copy.pk).update(recipient="别处"),
                   lambda: ReportCopy.objects.filter(pk=copy.pk).update(acknowledged_at=None),
                   lambda: ReportCopy.objects.filter(pk=copy.pk).delete()):
        with pytest.raises(DatabaseError), transaction.atomic():
            change()


def test_a_copy_never_goes_outside_the_organisation_or_its_linked_organisations(city, grading_tables):
    """City plan 3.3.1 2) "抄送上级应急管理部门" is the receiving unit's own department: another
    organisation's emergency bureau is never chosen, and its people are never told."""
    other = UnitFactory(code="yl", name="玉林市")
    foreign = DepartmentFactory(unit=other, code="yl-emergency", name="玉林市应急管理局")
    stranger = user_with_role(Role.LEAD_OFFICER, other, department=foreign, username="yl-bureau")
    city_bureau = DepartmentFactory(unit=city["top"], code="gg-emergency", name="市应急管理局")
    for report in (_send(city["officer"], city["township"]), _send(city["county_duty"], city["county"])):
        for copy in report.copies.all():
            assert copy.unit.code in ("gg", "gb") and copy.department in (city["bureau"], city_bureau)
    assert not ReportCopy.objects.filter(department=foreign).exists()
    assert not Notification.objects.filter(recipient=stranger).exists()


def test_customs_reports_go_also_to_the_local_party_committee_and_government(grading_tables):
    """Customs plan 3.3.1 (1): "第一时间如实向上级海关单位报告……必要时，报告相关所在地党委和政府": the copy
    goes to the linked organisations (联动单位), or names the local government when none is on the
    platform, when the officer judges it needed (tests/test_plan_rules_copies.py)."""
    customs = UnitFactory(code="xa", name="西安海关", kind=OrgUnit.Kind.CUSTOMS_DISTRICT)
    office = UnitFactory(code="xa-airport", name="西安咸阳机场海关", parent=customs, kind=OrgUnit.Kind.CUSTOMS_OFFICE)
    _rules(customs, "xian_customs.yaml")
    officer = user_with_role(Role.DUTY_OFFICER, office)
    alone = _send(officer, office, copy_when_needed=True).copies.get()
    assert (alone.unit, alone.recipient) == (None, "所在地党委和政府") and "海关预案3.3.1（1）" in alone.basis
    local = UnitFactory(code="sx", name="咸阳市")
    OrganisationLink.objects.create(organisation=customs, linked=local)
    linked = _send(officer, office, copy_when_needed=True).copies.get()
    assert (linked.unit, linked.recipient) == (local, "咸阳市")


def test_the_report_page_shows_sent_up_and_copied_to_and_the_api_acknowledges(city, client, api_as):
    """The report page shows 报送 and 抄送 with their state; the API reads the copies and acknowledges."""
    report = _send(city["officer"], city["township"])
    client.force_login(city["officer"])
    page = client.get(reverse("incident-detail", args=[report.incident_id]),
                      HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "港北区应急管理局" in page and 'data-state="sent"' in page
    api = api_as(city["bureau_officer"])
    listed = api.get("/api/v1/report-copies/").json()
    rows = listed["results"] if isinstance(listed, dict) else listed
    assert [row["recipient"] for row in rows] == ["港北区应急管理局"]
    copy = rows[0]
    assert api.post(f"/api/v1/report-copies/{copy['id']}/acknowledge/").status_code == 200
    assert api_as(city["officer"]).post(f"/api/v1/report-copies/{copy['id']}/acknowledge/").status_code == 409
    assert api.get(f"/api/v1/incident-reports/{report.pk}/").json()["copies"][0]["state"] == "acknowledged"
    assert RoleAssignment.objects.filter(department=city["bureau"]).count() == 1
