"""Responses on the edge (issue 14), the response defects of issue 15, and issue 19 item 4: the pages
offer each operation only to who may take it, the API takes the same operations with the same
rules, one wording for the levels, a list of responses, and several responses for one incident."""
import pytest
from django.urls import reverse
from django.utils import timezone

from emergency.org.roles import Role
from incidents.models import Incident
from incidents.response import command, services
from incidents.response.models import AuthorityRule, Order, Response, WorkingGroup

from .factories import UnitFactory, user_with_role
from .response_helpers import incident_in, lead_officer, organisation

pytestmark = pytest.mark.django_db
ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}


@pytest.fixture
def city():
    return organisation("city")


def _level_three(city):
    incident = incident_in(city)
    proposal = services.proposal_create(actor=lead_officer(city), incident=incident, level=3, reasons="较大")
    in_charge = user_with_role(Role.LEADER_IN_CHARGE, city.top)
    return incident, services.proposal_decide(actor=in_charge, proposal=proposal, outcome="approved").response, in_charge


def test_a_duty_officer_is_offered_neither_a_proposal_nor_an_order(city, client):
    incident, response, in_charge = _level_three(city)
    duty = user_with_role(Role.DUTY_OFFICER, city.top)
    client.force_login(duty)
    incident_page = client.get(reverse("incident-detail", args=[incident.pk]), **ZH).content.decode()
    assert "<h3>提出响应级别建议</h3>" not in incident_page and 'data-testid="propose-form"' not in incident_page
    response_page = client.get(response.get_absolute_url(), **ZH).content.decode()
    assert 'data-testid="order-form"' not in response_page and "下达命令" not in response_page
    assert 'data-testid="end-form"' not in response_page
    client.force_login(in_charge)
    response_page = client.get(response.get_absolute_url(), **ZH).content.decode()
    assert 'data-testid="order-form"' in response_page and 'data-testid="end-form"' in response_page


def test_a_posted_order_from_a_duty_officer_is_refused_with_the_real_reason(city, client):
    incident, response, in_charge = _level_three(city)
    client.force_login(user_with_role(Role.DUTY_OFFICER, city.top))
    answer = client.post(reverse("response.issue-order", args=[response.pk]), {"text": "转移群众",
                         "department": city.lead.pk}, follow=True, **ZH).content.decode()
    assert "三级响应由" in answer and "分管负责同志" in answer  # who commands it, not "decide a level"
    assert not Order.objects.exists()


def test_the_api_takes_the_pages_operations_with_the_same_rules(city, api_as):
    incident = incident_in(city)
    duty, lead = user_with_role(Role.DUTY_OFFICER, city.top), lead_officer(city)
    url = f"/api/v1/incidents/{incident.pk}/propose/"
    refused = api_as(duty).post(url, {"level": 3, "reasons": "较大"}, format="json")
    assert refused.status_code == 403 and "牵头部门" in refused.json()["error"]["message"]
    made = api_as(lead).post(url, {"level": 3, "reasons": "较大", "sensitive": True}, format="json")
    assert made.status_code == 201 and made.json()["context"]["sensitive"] is True
    in_charge = user_with_role(Role.LEADER_IN_CHARGE, city.top)
    decided = api_as(in_charge).post(f"/api/v1/proposals/{made.json()['id']}/decide/", {"outcome": "approved"},
                                     format="json")
    response_id = decided.json()["response"]
    post = api_as(in_charge).post(f"/api/v1/responses/{response_id}/open-post/",
                                  {"name": "现场指挥部", "location": "物流园"}, format="json")
    assert post.status_code == 201
    group = api_as(in_charge).post(f"/api/v1/responses/{response_id}/add-group/",
                                   {"kind": "rescue", "lead_department": city.lead.pk}, format="json")
    assert group.status_code == 201, group.json()
    order = api_as(in_charge).post(f"/api/v1/responses/{response_id}/issue-order/",
                                   {"text": "搜救", "group": group.json()["id"]}, format="json")
    assert order.status_code == 201 and order.json()["department"] == city.lead.pk
    not_theirs = api_as(in_charge).post(f"/api/v1/orders/{order.json()['id']}/acknowledge/", {}, format="json")
    assert not_theirs.status_code == 403
    officer = user_with_role(Role.LEAD_OFFICER, city.top, department=city.lead)
    done = api_as(officer).post(f"/api/v1/orders/{order.json()['id']}/acknowledge/", {}, format="json")
    assert done.status_code == 200 and done.json()["status"] == "acknowledged"
    again = api_as(officer).post(f"/api/v1/orders/{order.json()['id']}/acknowledge/", {}, format="json")
    assert again.status_code == 409
    listed = api_as(in_charge).get("/api/v1/responses/", {"state": "active", "level": 3}).json()
    assert [r["id"] for r in listed["results"]] == [response_id]


def test_the_order_form_names_working_groups_and_the_post_its_name_field(city, client):
    """Issue 15: "`WorkingGroup object (1)` in the order form; the command post's name field labelled `姓名`"."""
    incident, response, in_charge = _level_three(city)
    client.force_login(in_charge)
    page = client.get(response.get_absolute_url(), **ZH).content.decode()
    assert "指挥部名称" in page and ">姓名" not in page
    post = command.post_open(actor=in_charge, response=response, name="现场指挥部", location="物流园")
    command.group_add(actor=in_charge, post=post, kind=WorkingGroup.Kind.RESCUE, lead_department=city.lead)
    page = client.get(response.get_absolute_url(), **ZH).content.decode()
    order_form = page[page.index('data-testid="order-form"'):]
    assert "WorkingGroup object" not in order_form and "抢险救援组" in order_form


def test_one_wording_for_levels_and_just_now_in_the_inbox(city, client):
    """Issue 15: "`1级/2级响应` beside `一级响应` (one wording); `于0 分钟前提出` (刚刚)"."""
    incident = incident_in(city)
    services.proposal_create(actor=lead_officer(city), incident=incident, level=3, reasons="较大")
    client.force_login(user_with_role(Role.LEADER_IN_CHARGE, city.top))
    inbox = client.get(reverse("response-inbox"), **ZH).content.decode()
    assert "刚刚提出" in inbox and "0 分钟" not in inbox
    assert "三级响应" in inbox and "3级" not in inbox
    _, response, in_charge = _level_three(city)
    client.force_login(in_charge)
    page = client.get(response.get_absolute_url(), **ZH).content.decode()
    assert "三级响应" in page and "3级" not in page
    english = client.get(response.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Level 3 response" in english


def test_the_list_of_responses_is_scoped_and_filtered(city, client):
    """Issue 15: "there is no list of responses"."""
    _, response, in_charge = _level_three(city)
    other = organisation("customs")
    foreign = incident_in(other)
    hidden = services.response_start_direct(actor=user_with_role(Role.PARTY_COMMITTEE, other.top), incident=foreign,
                                            level=1, reason="直接启动")
    client.force_login(in_charge)
    listed = client.get(reverse("response-list"), **ZH).content.decode()
    assert f'data-response="{response.pk}"' in listed and f'data-response="{hidden.pk}"' not in listed
    assert "三级响应" in listed
    ended = client.get(reverse("response-list"), {"state": "ended"}, **ZH).content.decode()
    assert f'data-response="{response.pk}"' not in ended


def test_the_county_and_the_city_respond_at_once_the_lower_drawn_into_the_higher(city):
    """Issue 19, 4 — customs 3.3.2 "上级…启动应急响应后，…纳入"; city 1.4.2: the county's response and the
    city's for one incident, each with its own authority, the lower drawn into the higher."""
    AuthorityRule.objects.filter(organisation=city.top, level=4).update(command_at=AuthorityRule.CommandAt.INCIDENT_UNIT)
    incident = incident_in(city)
    lead = lead_officer(city)
    county_level = services.proposal_create(actor=lead, incident=incident, level=4, reasons="县级先行响应")
    department_principal = user_with_role(Role.DEPARTMENT_PRINCIPAL, city.top, department=city.lead)
    county = services.proposal_decide(actor=department_principal, proposal=county_level, outcome="approved").response
    assert county.command_unit == city.sub
    city_level = services.proposal_create(actor=lead, incident=incident, level=3, reasons="市级启动三级响应")
    assert city_level.kind == "start" and city_level.command_unit == city.top
    in_charge = user_with_role(Role.LEADER_IN_CHARGE, city.top)
    city_response = services.proposal_decide(actor=in_charge, proposal=city_level, outcome="approved").response
    county.refresh_from_db()
    assert city_response.pk != county.pk and county.state == city_response.state == Response.State.ACTIVE
    assert county.drawn_into == city_response and county.level == 4 and city_response.level == 3
    services.response_end(actor=in_charge, response=city_response, reason="市级响应终止")
    incident.refresh_from_db()
    assert incident.status != Incident.Status.ENDED  # the county's own response goes on under its authority
    services.response_end(actor=department_principal, response=county, reason="县级处置完毕")
    incident.refresh_from_db()
    assert incident.status == Incident.Status.ENDED


def test_key_periods_are_added_through_their_operation(city, client):
    admin = user_with_role(Role.PLAN_ADMIN, city.top)
    client.force_login(user_with_role(Role.DUTY_OFFICER, city.top))
    assert 'data-testid="key-period-form"' not in client.get(reverse("key-periods"), **ZH).content.decode()
    client.force_login(admin)
    assert 'data-testid="key-period-form"' in client.get(reverse("key-periods"), **ZH).content.decode()
    now = timezone.localtime()
    UnitFactory(code="elsewhere")
    answer = client.post(reverse("key-period.add"), {"organisation": city.top.pk, "name": "全国两会",
                         "starts_at": now.strftime("%Y-%m-%dT%H:%M"), "ends_at": now.strftime("%Y-%m-%dT%H:%M"),
                         "next": reverse("key-periods")}, follow=True, **ZH).content.decode()
    assert "全国两会" in answer  # refused (it ends when it starts) and kept as typed
