"""Warnings read as the plans state them (issue 19 items 7 and 15) and the warning defects of issue 15:
escalation does both or neither and names who must propose; measures are each organisation's own and
are lifted, not done; the English CAP carries English; the page offers levels with their names and
no default; the adjusted title and level travel together into the CAP."""
import re
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation
from lxml import etree
from rest_framework.test import APIClient

from alerts import cap, measures, services
from alerts.catalogue import CITY, CUSTOMS, measures_for
from alerts.models import EarlyWarning, WarningAuthority, WarningMeasure
from emergency.dashboard.frames import warning_apply
from emergency.errors import NotPermitted, ValidationFailed
from emergency.org.models import Department, OrgUnit
from emergency.org.roles import Role
from incidents.models import Incident
from incidents.response.models import Proposal

from .factories import user_with_role
from .response_helpers import lead_officer, organisation
from .test_warnings import _draft, city  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db
NS = {"cap": cap.NS}
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture
def issued(city):  # noqa: F811
    officer = user_with_role(Role.DUTY_OFFICER, city.sub)
    commander = user_with_role(Role.COMMANDER, city.sub)
    warning = _draft(city, officer)
    services.warning_issue(actor=commander, warning=warning)
    return warning, commander


def test_escalation_by_someone_who_cannot_propose_logs_nothing_and_names_the_lead_department(city, issued):  # noqa: F811
    """Issue 15 journey 3: "Escalation must do both or neither, and say who must propose"."""
    warning, commander = issued
    with translation.override("zh-hans"), pytest.raises(NotPermitted) as refusal:
        services.warning_escalate(actor=commander, warning=warning, body="堤防出现管涌", lead_department=city.lead)
    assert "市应急管理局" in str(refusal.value.message) and "牵头部门" in str(refusal.value.message)
    assert not Incident.objects.exists() and not Proposal.objects.exists()
    warning.refresh_from_db()
    assert warning.state == EarlyWarning.State.ISSUED and warning.messages.count() == 1


def test_escalation_by_the_lead_department_logs_the_incident_at_the_warnings_place_and_proposes(city, issued):  # noqa: F811
    warning, _commander = issued
    lead = lead_officer(city)
    lead.role_assignments.create(unit=city.sub, role=Role.COMMANDER)
    incident, proposal = services.warning_escalate(actor=lead, warning=warning, body="堤防出现管涌",
                                                   lead_department=city.lead)
    assert proposal.incident == incident and proposal.level == warning.level
    assert (float(incident.latitude), float(incident.longitude)) == (23.11, 109.60)  # the circle's centre
    # still in force: the dashboard keeps it (it is not "预警已解除")
    assert warning_apply([warning.pk])()[warning.pk]["warnings"][str(warning.pk)] is not None


def test_lifting_lifts_the_measures_taken_and_does_not_mark_them_done(city, issued):  # noqa: F811
    """City plan 3.2.2 4): "终止预警期，解除已经采取的有关措施"."""
    warning, commander = issued
    open_one = measures.measure_assign(actor=commander, warning=warning, key="standby", department=city.lead)
    done = measures.measure_assign(actor=commander, warning=warning, key="monitoring", department=city.other)
    measures.measure_update(actor=commander, measure=done, status=WarningMeasure.Status.DONE)
    services.warning_lift(actor=commander, warning=warning, reason="水位回落")
    open_one.refresh_from_db()
    done.refresh_from_db()
    assert open_one.status == WarningMeasure.Status.LIFTED and done.status == WarningMeasure.Status.DONE
    with translation.override("zh-hans"):
        assert open_one.get_status_display() == "随预警解除"


def test_the_city_offers_its_nine_measures_in_full_and_customs_its_own():  # noqa: F811
    """City plan 3.2.2 3): "动员后备人员做好参加应急处置和救援工作的准备" and "并确保其处于良好状态，随时可以
    投入正常使用"; customs plan 3.2 (3): "必要时，按照要求采取暂停作业、错峰上下班"."""
    city_words = "".join(kind.wording for kind in CITY)
    assert len(CITY) == 9
    assert "动员后备人员做好参加应急处置和救援工作的准备" in city_words
    assert "并确保其处于良好状态，随时可以投入正常使用" in city_words
    customs_words = "".join(kind.wording for kind in CUSTOMS)
    assert "暂停作业" in customs_words and "错峰上下班" in customs_words
    assert not {k.key for k in CITY} & {k.key for k in CUSTOMS}


def test_a_customs_warning_is_offered_and_accepts_only_the_customs_measures():
    customs = organisation("customs")
    customs.top.kind = OrgUnit.Kind.CUSTOMS_DISTRICT
    customs.top.save()
    commander = user_with_role(Role.COMMANDER, customs.sub)
    warning = services.warning_draft(
        actor=commander, unit=customs.sub, type_code="port_disruption", level=4, title="口岸通关预警",
        signs="客流激增", points="旅客滞留", area_desc="机场口岸", starts_at=timezone.now())
    assert measures_for(warning.unit) == CUSTOMS
    with pytest.raises(ValidationFailed) as refused:
        measures.measure_assign(actor=commander, warning=warning, key="standby", department=customs.lead)
    assert "key" in refused.value.fields
    measure = measures.measure_assign(actor=commander, warning=warning, key="c_suspend_work", department=customs.lead)
    assert measure.wording == "必要时暂停作业"


def test_city_departments_may_issue_warnings_and_customs_authority_is_the_districts_setting():  # noqa: F811
    """City plan 3.2.2 2): "我市各级政府或有关部门根据分析评估结果，按有关规定立即发布预警信息"; customs plan
    3.2.2: levels "由西安海关相关专项应急预案和部门应急预案明确" (the plan names no issuer)."""
    call_command("load_demo", verbosity=0)
    gg = OrgUnit.objects.get(code="gg")
    rules = WarningAuthority.objects.filter(organisation=gg)
    assert rules.count() == 4 and all(Role.DEPARTMENT_PRINCIPAL in r.roles and r.from_plan for r in rules)
    assert all("3.2.2" in r.basis for r in rules)
    customs = WarningAuthority.objects.filter(organisation__code="xa")
    assert customs.count() == 4 and not any(r.from_plan for r in customs)
    department = Department.objects.filter(unit=gg).first()
    head = user_with_role(Role.DEPARTMENT_PRINCIPAL, gg, department=department)
    warning = services.warning_draft(actor=head, unit=gg, type_code="flood_drought", level=3, title="郁江洪水黄色预警",
                                     signs="水位上涨", points="沿江低洼地带", area_desc="郁江沿岸",
                                     starts_at=timezone.now())
    assert services.warning_issue(actor=head, warning=warning).msg_type == "Alert"


def test_the_english_cap_info_carries_english_where_english_exists(city, issued, client):  # noqa: F811
    warning, commander = issued
    city.sub.name_en = "Gangbei District"
    city.sub.save()
    measures.measure_assign(actor=commander, warning=warning, key="evacuation", department=city.lead)
    services.warning_adjust(actor=commander, warning=warning, area_desc="港北区郁江两岸")
    document = client.get(reverse("warning-cap", args=[warning.pk])).content
    cap.validate(document)
    english = etree.fromstring(document).findall("cap:info", NS)[1]
    assert english.findtext("cap:language", namespaces=NS) == "en-US"
    for element in ("event", "senderName", "instruction"):
        assert not CJK.search(english.findtext(f"cap:{element}", namespaces=NS)), element
    assert "level III" in english.findtext("cap:description", namespaces=NS)


def test_an_adjusted_level_and_title_travel_together_into_the_cap(issued, client):
    """Issue 15: "CAP headline then says 黄色 while event says 橙色"."""
    warning, commander = issued
    WarningAuthority.objects.update_or_create(organisation=warning.unit.parent, level=2,
                                              defaults={"roles": [Role.COMMANDER]})
    api = APIClient(HTTP_ACCEPT_LANGUAGE="zh-hans")
    api.force_authenticate(commander)
    answer = api.post(f"/api/v1/warnings/{warning.pk}/adjust/", {"level": 2, "title": "郁江洪水橙色预警"},
                      format="json")
    assert answer.status_code == 201, answer.content
    assert answer.json()["cap"].endswith(f"/api/v1/warnings/{warning.pk}/messages/2.cap")
    chinese = etree.fromstring(client.get(reverse("warning-cap", args=[warning.pk])).content).find("cap:info", NS)
    assert "橙色" in chinese.findtext("cap:event", namespaces=NS)
    assert chinese.findtext("cap:headline", namespaces=NS) == "郁江洪水橙色预警"
    nothing = api.post(f"/api/v1/warnings/{warning.pk}/adjust/", {"level": 2}, format="json")
    assert nothing.status_code == 400 and "请修改" in nothing.json()["error"]["message"]


def test_the_draft_form_has_no_default_level_and_names_each_level(city, client):  # noqa: F811
    client.force_login(user_with_role(Role.DUTY_OFFICER, city.sub))
    page = client.get(reverse("warning-new"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    select = re.search(r'<select name="level"[^>]*>(.*?)</select>', page, re.S)
    assert select and re.match(r'\s*<option value="">—</option>', select[1])
    assert "selected" not in select[1] and "一级（红色）" in select[1] and "四级（蓝色）" in select[1]
    assert 'data-testid="warning-draw"' in page  # the area is drawn on the map


def test_the_detail_page_shows_the_assessment_measures_and_the_cap_alert_as_issued(city, client):  # noqa: F811
    officer = user_with_role(Role.DUTY_OFFICER, city.sub)
    commander = user_with_role(Role.COMMANDER, city.sub)
    warning = _draft(city, officer, assessment="研判：48小时内超警戒水位", measures_text="沿江群众做好转移准备")
    services.warning_issue(actor=commander, warning=warning)
    client.force_login(commander)
    page = client.get(reverse("warning-detail", args=[warning.pk]), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "研判评估" in page and "48小时内超警戒水位" in page
    assert "应当采取的措施" in page and "沿江群众做好转移准备" in page
    messages = re.search(r'data-testid="messages">(.*?)</ol>', page, re.S)[1]
    assert "发布" in messages and "已下达" not in messages
    adjust = re.search(r'data-testid="warning-adjust-form"(.*?)</form>', page, re.S)[1]
    assert "三级（黄色）" in adjust and 'name="title"' in adjust


def test_the_atom_feed_title_is_in_the_readers_language(city, issued, client):  # noqa: F811
    city.top.name_en = "Guigang"
    city.top.save()
    url = reverse("warning-feed", args=[city.top.code])
    atom = "{http://www.w3.org/2005/Atom}title"
    zh = etree.fromstring(client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").content).findtext(atom)
    en = etree.fromstring(client.get(url, HTTP_ACCEPT_LANGUAGE="en").content).findtext(atom)
    assert zh == "贵港市 — 生效中的预警" and en == "Guigang — Active warnings"


def test_the_api_drafts_and_issues_with_the_pages_rules(city, client):  # noqa: F811
    officer = user_with_role(Role.DUTY_OFFICER, city.sub)
    commander = user_with_role(Role.COMMANDER, city.sub)
    api = APIClient(HTTP_ACCEPT_LANGUAGE="zh-hans")
    api.force_authenticate(officer)
    body = {"unit": city.sub.pk, "type_code": "flood_drought", "title": "郁江洪水预警", "signs": "水位上涨",
            "points": "低洼地带", "area_desc": "郁江沿岸", "starts_at": timezone.now().isoformat(),
            "expected_end": (timezone.now() + timedelta(days=1)).isoformat()}
    assert "level" in api.post("/api/v1/warnings/draft/", body, format="json").json()["error"]["fields"]
    drafted = api.post("/api/v1/warnings/draft/", {**body, "level": 3}, format="json")
    assert drafted.status_code == 201 and drafted.json()["cap"] is None
    pk = drafted.json()["id"]
    assert api.post(f"/api/v1/warnings/{pk}/issue/", {}, format="json").status_code == 403
    api.force_authenticate(commander)
    issued = api.post(f"/api/v1/warnings/{pk}/issue/", {}, format="json")
    assert issued.status_code == 201 and issued.json()["msg_type"] == "Alert"
    listed = api.get("/api/v1/warnings/", {"state": "issued"}).json()
    rows = listed["results"] if isinstance(listed, dict) else listed
    assert [w["id"] for w in rows] == [pk] and rows[0]["cap"].endswith(f"/api/v1/warnings/{pk}.cap")
