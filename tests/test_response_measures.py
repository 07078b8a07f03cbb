"""The response measures of city plan 3.3.4 and customs plan 3.3.4, offered by the incident's category,
assigned to departments, and tracked: assigned → in progress → done, or not applicable with the reason."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from emergency.audit.models import AuditEntry
from emergency.errors import Conflict, NotFound, NotPermitted, ValidationFailed
from emergency.dashboard.models import LiveEvent
from emergency.notify.models import Notification
from emergency.org.roles import Role
from incidents.response import checklist, measures
from incidents.response.models import ResponseMeasure

from .factories import DepartmentFactory, UnitFactory, user_with_role
from .response_helpers import level_two_started

pytestmark = pytest.mark.django_db

# city plan 3.3.4 1) and 2): the first list for 自然災害、事故災難或者公共衛生事件, the second for 社會安全事件,
# each item a paragraph of the plan, the first and last quoted here
CITY_1 = ("自然災害、事故災難或者公共衛生事件發生後,事發地縣級以上地方黨委、政府應採取下列一項或者多項應急措施",
          "現場信息獲取", "法律法規等規定的其他必要措施", 14)
CITY_2 = ("社會安全事件發生後,事發地縣級地方黨委、政府要立即組織有關部門針對事件的性質和特點,採取下列一項或者多項應急措施",
          "儘快瞭解和分析事件起因", "法律法規等規定的其他必要措施", 7)
# customs plan 3.3.4: "西安海关突发事件应急指挥机构主要采取以下措施：（1）…（5）研究处理其他重大事项"
CUSTOMS = ("组织关区相关部门单位应急队伍参与应急处置与救援工作", "研究处理其他重大事项", 5)


def _simplified(text: str) -> str:
    return text.translate(str.maketrans("現場獲儘瞭規定這", "现场获尽了规定这"))


@pytest.mark.parametrize("kinds,quoted", [(checklist.CITY, CITY_1), (checklist.CITY_SOCIAL_SECURITY, CITY_2)])
def test_the_city_lists_fourteen_measures_for_natural_accident_and_health_events_and_seven_for_social_security(
        kinds, quoted):
    """City 3.3.4 1) "…應採取下列一項或者多項應急措施" (14 items), 3.3.4 2) "社會安全事件發生後,…採取下列一項或者
    多項應急措施" (7 items): the clause, first and last item are quoted in CITY_1 / CITY_2 above (and each list is
    read against the plan's stored text in tests/test_plan_rules_texts.py)."""
    clause, first, last, count = quoted
    assert len(kinds) == count, clause
    assert kinds[0].wording.startswith(_simplified(first)) and kinds[-1].wording == _simplified(last)
    assert len({kind.key for kind in kinds}) == count


def test_customs_takes_its_own_five_measures():
    """Customs 3.3.4 "西安海关突发事件应急指挥机构主要采取以下措施：（1）组织关区相关部门单位应急队伍参与应急处置与救援
    工作；…（5）研究处理其他重大事项"."""
    first, last, count = CUSTOMS
    assert len(checklist.CUSTOMS) == count
    assert checklist.CUSTOMS[0].wording == first and checklist.CUSTOMS[-1].wording == last


@pytest.fixture
def started():
    return level_two_started()


def test_the_response_offers_the_list_of_its_incidents_category(started):
    city, response, _commander = started
    assert measures.catalogue_for(response) == checklist.CITY  # work safety: an accident
    response.incident.incident_type = type(response.incident.incident_type).objects.get(code="mass_incident")
    assert measures.catalogue_for(response) == checklist.CITY_SOCIAL_SECURITY
    district = UnitFactory(code="xa", name="西安海关", kind="customs_district")
    office = UnitFactory(code="sl", name="商洛海关", kind="customs_office", parent=district)
    assert checklist.measures_for(unit=office, category_code="natural") == checklist.CUSTOMS


def test_the_commander_assigns_within_reach_and_the_department_is_told(started):
    """City 3.3.4 "採取下列一項或者多項應急措施": each measure is assigned to a department the commanding unit can call
    on, which is told."""
    city, response, commander = started
    officer = user_with_role(Role.LEAD_OFFICER, city.top, department=city.lead)
    far = DepartmentFactory(unit=UnitFactory(code="far"))
    with pytest.raises(ValidationFailed) as refused:
        measures.measure_assign(actor=commander, response=response, key="rescue", department=far)
    assert "department" in refused.value.fields
    with pytest.raises(ValidationFailed) as refused:  # the social security list is not this incident's
        measures.measure_assign(actor=commander, response=response, key="s_police", department=city.lead)
    assert "key" in refused.value.fields
    with pytest.raises(NotPermitted):
        measures.measure_assign(actor=officer, response=response, key="rescue", department=city.lead)
    measure = measures.measure_assign(actor=commander, response=response, key="rescue", department=city.lead)
    note = Notification.objects.get(recipient=officer, kind="response.measure")
    assert note.source_key == f"response.measure:{measure.pk}:{city.lead.pk}" and "组织营救受灾和被困人员" in note.title
    assert AuditEntry.objects.filter(action="response.measure.assign", object_id=str(measure.pk)).exists()
    assert LiveEvent.objects.filter(event="response.measure", data__measure=measure.pk).exists()


def test_the_assign_form_offers_only_this_organisations_departments_in_reach(started, client):
    city, response, commander = started
    foreign = DepartmentFactory(unit=UnitFactory(code="elsewhere"), name="别处的局")
    client.force_login(commander)
    page = client.get(reverse("response-detail", args=[response.pk])).content.decode()
    assert city.lead.name in page and "别处的局" not in page
    assert "现场信息获取" in page and "尽快了解和分析事件起因" not in page
    answer = client.post(reverse("response.assign-measure", args=[response.pk]),
                         {"key": "rescue", "department": foreign.pk})
    assert answer.status_code in (302, 400) and not ResponseMeasure.objects.exists()


def test_the_transitions_are_refused_with_the_real_reason(started):
    """City 3.3.4 "一項或者多項": a measure that does not apply is recorded as such, with the reason."""
    city, response, commander = started
    officer = user_with_role(Role.LEAD_OFFICER, city.top, department=city.lead)
    other = user_with_role(Role.LEAD_OFFICER, city.top, department=city.other)
    measure = measures.measure_assign(actor=commander, response=response, key="rescue", department=city.lead)
    with pytest.raises(NotPermitted) as refused:
        measures.measure_report(actor=other, measure=measure, status="in_progress")
    assert "部门" in str(refused.value.message) or "department" in str(refused.value.message)
    with pytest.raises(ValidationFailed) as refused:
        measures.measure_report(actor=officer, measure=measure, status="not_applicable", note=" ")
    assert "note" in refused.value.fields
    measures.measure_report(actor=officer, measure=measure, status="in_progress", note="已出动")
    with pytest.raises(Conflict) as refused:  # it is already under way
        measures.measure_report(actor=officer, measure=measure, status="in_progress")
    assert any(word in str(refused.value.message) for word in ("执行中", "In progress"))
    measures.measure_report(actor=officer, measure=measure, status="done", note="已完成搜救")
    with pytest.raises(Conflict) as refused:  # done is done: it names the state it is in
        measures.measure_report(actor=officer, measure=measure, status="not_applicable", note="无需")
    assert any(word in str(refused.value.message) for word in ("已完成", "Done"))
    with pytest.raises(Conflict) as refused:  # a closed measure is not reassigned
        measures.measure_assign(actor=commander, response=response, key="rescue", department=city.other)
    assert any(word in str(refused.value.message) for word in ("已办结", "already closed"))
    measure.refresh_from_db()
    assert measure.status == "done" and measure.updated_by == officer and measure.note == "已完成搜救"
    assert not Notification.objects.filter(kind="response.measure").exclude(
        source_key__in=[f"response.measure:{measure.pk}:{city.lead.pk}"]).exists()
    na = measures.measure_assign(actor=commander, response=response, key="donations", department=city.other)
    measures.measure_report(actor=other, measure=na, status="not_applicable", note="未发动社会捐赠")
    assert ResponseMeasure.objects.get(pk=na.pk).status == "not_applicable"
    assert AuditEntry.objects.filter(action="response.measure.report").count() == 3


def test_a_foreign_measure_is_refused_like_a_missing_one(started, client):
    city, response, commander = started
    measure = measures.measure_assign(actor=commander, response=response, key="rescue", department=city.lead)
    stranger = user_with_role(Role.LEAD_OFFICER, UnitFactory(code="stranger"),
                              department=DepartmentFactory(unit=UnitFactory(code="stranger-2")))
    with pytest.raises(NotFound):
        measures.measure_report(actor=stranger, measure=measure, status="done")
    client.force_login(stranger)
    assert client.post(f"/api/v1/response-measures/{measure.pk}/done/", {}).status_code == 404
    assert client.post(f"/api/v1/response-measures/{measure.pk + 999}/done/", {}).status_code == 404


def test_the_api_assigns_and_the_department_reports(started, client):
    city, response, commander = started
    officer = user_with_role(Role.LEAD_OFFICER, city.top, department=city.lead)
    client.force_login(commander)
    made = client.post(f"/api/v1/responses/{response.pk}/assign-measure/",
                       {"key": "medical", "department": city.lead.pk}, content_type="application/json")
    assert made.status_code == 201, made.content
    client.force_login(officer)
    listed = client.get("/api/v1/response-measures/", {"response": response.pk}).json()
    assert [row["key"] for row in listed["results"]] == ["medical"]
    refused = client.post(f"/api/v1/response-measures/{made.json()['id']}/not-applicable/", {},
                          content_type="application/json")
    assert refused.status_code == 400
    done = client.post(f"/api/v1/response-measures/{made.json()['id']}/done/", {}, content_type="application/json")
    assert done.status_code == 200 and done.json()["status"] == "done"
    again = client.post(f"/api/v1/response-measures/{made.json()['id']}/done/", {}, content_type="application/json")
    assert again.status_code == 409


def test_the_response_page_reads_the_list_in_a_constant_number_of_queries(started, client):
    city, response, commander = started
    officer = user_with_role(Role.LEAD_OFFICER, city.top, department=city.lead)
    counts = []
    for keys in (["rescue"], ["medical", "utilities", "market", "secondary", "deceased", "donations"]):
        for key in keys:
            measures.measure_assign(actor=commander, response=response, key=key, department=city.lead)
        for user in (commander, officer):
            client.force_login(user)
            with CaptureQueriesContext(connection) as queries:
                page = client.get(reverse("response-detail", args=[response.pk])).content.decode()
            counts.append(len(queries))
        assert 'data-testid="measure-done-form"' in page
    assert counts[0] == counts[2] and counts[1] == counts[3], counts
