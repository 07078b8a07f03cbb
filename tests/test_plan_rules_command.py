"""Command raised one level at a time, at the request or on the superior's initiative, and help and guidance
asked above the city (issue 19 item 5). City 3.3.3: "超出事發地黨委、政府處置能力的,上一級黨委、政府根據事發地
黨委、政府的請求或根據應對工作需要,指揮權可逐級提升至市級組織指揮機構。必要時,市委、市人民政府可請求自治區黨委、
自治區人民政府或其部門幫助和指導。" Customs 3.3.3: "超出西安海关处置能力的，请求海关总署提供响应支援或者指挥协调应对
工作，指挥权移交至海关总署应急指挥机构。\""""
from pathlib import Path

import pytest
import yaml
from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from emergency.audit.models import AuditEntry
from emergency.errors import Conflict, NotPermitted, ValidationFailed
from emergency.org.demo import DEMO_DIR
from emergency.org.roles import Role
from incidents import services as incident_services
from incidents.response import escalation, rights, services
from incidents.response.help_models import HelpRequest
from incidents.response.models import AuthorityRule, Response, Transfer

from .factories import UnitFactory, user_with_role
from .response_helpers import incident_in, lead_officer, organisation

pytestmark = pytest.mark.django_db


def _county_level_three(org, *, unit=None):
    """A level 3 response commanded where the incident happened (`unit`, by default the county)."""
    AuthorityRule.objects.filter(organisation=org.top, level=3).update(command_at=AuthorityRule.CommandAt.INCIDENT_UNIT)
    unit = unit or org.sub
    if unit == org.sub:
        incident = incident_in(org)
    else:
        now = timezone.now()
        incident = incident_services.incident_log(
            actor=user_with_role("duty_officer", unit), unit=unit, type_code="work_safety", title="仓库爆炸",
            address="物流园", occurred_at=now, received_at=now, body="首报", metrics={"deaths": 3},
            lead_department=org.lead)
    proposal = services.proposal_create(actor=lead_officer(org), incident=incident, level=3, reasons="较大")
    decider = (user_with_role(Role.LEADER_IN_CHARGE, unit) if org.top.name == "贵港市"
               else user_with_role(Role.DEPARTMENT_PRINCIPAL, org.top, department=org.lead))
    return services.proposal_decide(actor=decider, proposal=proposal, outcome="approved").response


def test_the_city_superior_takes_command_on_its_own_initiative_one_level_at_a_time():
    """City 3.3.3 "上一級黨委、政府…根據應對工作需要,指揮權可逐級提升至市級組織指揮機構": without a request, the immediate
    superior's authority takes command; the city cannot skip the county (逐級), and nothing passes above the city."""
    city = organisation("city")
    township = UnitFactory(code="city-town", name="根竹镇", parent=city.sub)
    response = _county_level_three(city, unit=township)
    assert response.command_unit == township
    city_principal = user_with_role(Role.PRINCIPAL, city.top)
    with pytest.raises(NotPermitted, match="港北区"):  # 逐級: the city is not the township's immediate superior
        escalation.transfer_take(actor=city_principal, response=response, reason="市级直接接管")
    county_principal = user_with_role(Role.PRINCIPAL, city.sub)
    with pytest.raises(ValidationFailed):
        escalation.transfer_take(actor=county_principal, response=response, reason="  ")
    transfer = escalation.transfer_take(actor=county_principal, response=response, reason="事态扩大，根据应对工作需要")
    response.refresh_from_db()
    assert response.command_unit == city.sub
    assert (transfer.initiative, transfer.state, transfer.requested_by, transfer.decided_by) == (
        Transfer.Initiative.SUPERIOR, Transfer.State.ACCEPTED, county_principal, county_principal)
    assert AuditEntry.objects.get(action="response.transfer.take").after["initiative"] == "superior"
    escalation.transfer_take(actor=city_principal, response=response, reason="波及多个县区")
    response.refresh_from_db()
    assert response.command_unit == city.top
    with pytest.raises(Conflict, match="贵港市"):  # 至市級組織指揮機構: never above the city
        escalation.transfer_take(actor=city_principal, response=response, reason="再上提")
    assert response.transfers.count() == 2


def test_the_roles_that_may_take_command_are_the_organisations_data():
    city = organisation("city")
    AuthorityRule.objects.filter(organisation=city.top, level=3).update(transfer_acceptor_roles=[Role.PRINCIPAL])
    response = _county_level_three(city)
    with pytest.raises(NotPermitted):
        rights.may_take_command(user_with_role(Role.COMMANDER, city.top), response)
    rights.may_take_command(user_with_role(Role.PRINCIPAL, city.top), response)
    AuthorityRule.objects.filter(organisation=city.top, level=3).update(superior_may_take_command=False)
    with pytest.raises(NotPermitted):
        rights.may_take_command(user_with_role(Role.PRINCIPAL, city.top), response)


def test_customs_passes_command_up_only_at_the_request():
    """Customs 3.3.3 "请求海关总署提供响应支援或者指挥协调应对工作": no taking on the superior's own initiative."""
    customs = organisation("customs")
    response = _county_level_three(customs)
    assert response.command_unit == customs.sub
    with pytest.raises(NotPermitted, match="商洛海关"):
        escalation.transfer_take(actor=user_with_role(Role.PRINCIPAL, customs.top), response=response, reason="接管")
    assert not response.transfers.exists()


def _city_level_two(city):
    city.top.superior_name = "自治区党委、自治区人民政府"
    city.top.save()
    proposal = services.proposal_create(actor=lead_officer(city), incident=incident_in(city), level=2, reasons="重大")
    commander = user_with_role(Role.COMMANDER, city.top)
    return services.proposal_decide(actor=commander, proposal=proposal, outcome="approved").response, commander


def test_above_the_city_help_and_guidance_is_asked_and_command_stays_with_the_city(client):
    """City 3.3.3 "必要時,市委、市人民政府可請求自治區黨委、自治區人民政府或其部門幫助和指導": a request, not a transfer."""
    city = organisation("city")
    response, commander = _city_level_two(city)
    with pytest.raises(Conflict, match="帮助和指导|help and guidance"):
        services.transfer_request(actor=commander, response=response, reason="请求自治区统一指挥")
    with pytest.raises(NotPermitted):
        escalation.help_request(actor=lead_officer(city), response=response, asked="派专家")
    with pytest.raises(ValidationFailed):
        escalation.help_request(actor=commander, response=response, asked=" ")
    asked = escalation.help_request(actor=commander, response=response, asked="请求派出危化品处置专家组现场指导")
    response.refresh_from_db()
    assert response.command_unit == city.top and response.external_command == ""
    assert not response.transfers.exists()
    assert (asked.to_body, asked.from_unit, asked.requested_by) == ("自治区党委、自治区人民政府", city.top, commander)
    client.force_login(commander)
    page = client.get(reverse("response-detail", args=[response.pk]), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    # the form asks for 请求事项; the requests made follow it, and the end's rule follows the end's form
    assert "请求事项" in page and "已请求的帮助和指导" in page and "启动二级响应 —" in page
    assert page.index('data-testid="request-help-form"') < page.index('data-testid="help-requests"') \
        < page.index('data-testid="end-form"') < page.index('data-testid="end-rule"')
    entry = AuditEntry.objects.get(action="response.help.request")
    assert entry.after["command_unit"] == city.top.pk and entry.after["asked"] == asked.asked
    for statement in ("UPDATE response_helprequest SET asked = '篡改' WHERE id = %s",
                      "DELETE FROM response_helprequest WHERE id = %s"):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement, [asked.pk])


def test_customs_hands_command_to_the_general_administration_and_asks_no_help_instead():
    """Customs 3.3.3 "指挥权移交至海关总署应急指挥机构": its top unit transfers; the help request is the city's."""
    customs = organisation("customs")
    customs.top.superior_name = "海关总署应急指挥机构"
    customs.top.save()
    proposal = services.proposal_create(actor=lead_officer(customs), incident=incident_in(customs), level=2,
                                        reasons="扩大")
    commander = user_with_role(Role.COMMANDER, customs.top)
    response = services.proposal_decide(actor=commander, proposal=proposal, outcome="approved").response
    with pytest.raises(Conflict, match="海关总署应急指挥机构"):
        escalation.help_request(actor=commander, response=response, asked="支援")
    transfer = services.transfer_request(actor=commander, response=response, reason="超出西安海关处置能力")
    assert transfer.to_body == "海关总署应急指挥机构" and not HelpRequest.objects.exists()


def test_the_demo_rules_carry_each_plans_reading():
    city = yaml.safe_load((Path(DEMO_DIR) / "guigang_city.yaml").read_text(encoding="utf-8"))["response_authority"]
    customs = yaml.safe_load((Path(DEMO_DIR) / "xian_customs.yaml").read_text(encoding="utf-8"))["response_authority"]
    assert {(r["superior_takes_command"], r["above_top"]) for r in city} == {(True, "help")}
    assert {(r["superior_takes_command"], r["above_top"]) for r in customs} == {(False, "transfer")}
    org = organisation("city")
    assert set(AuthorityRule.objects.filter(organisation=org.top).values_list(
        "superior_may_take_command", "above_top")) == {(True, "help")}


def test_the_api_and_the_page_take_command_and_ask_for_help(client, api_as):
    city = organisation("city")
    response = _county_level_three(city)
    county = user_with_role(Role.LEADER_IN_CHARGE, city.sub)
    refused = api_as(county).post(f"/api/v1/responses/{response.pk}/take-command/", {"reason": "接管"}, format="json")
    assert refused.status_code == 403 and "贵港市" in str(refused.json())  # the county does not take its own command
    principal = user_with_role(Role.PRINCIPAL, city.top)
    client.force_login(principal)
    page = client.get(f"/responses/{response.pk}/").content.decode()
    assert 'data-testid="take-command-form"' in page and 'data-testid="request-help-form"' not in page
    taken = api_as(principal).post(f"/api/v1/responses/{response.pk}/take-command/", {"reason": "根据应对工作需要"},
                                   format="json")
    assert taken.status_code == 201, taken.json()
    assert taken.json()["initiative"] == "superior" and taken.json()["to_unit"] == city.top.pk
    page = client.get(f"/responses/{response.pk}/").content.decode()
    assert "上级根据应对工作需要提级" in page and 'data-testid="take-command-form"' not in page
    city.top.superior_name = "自治区党委、自治区人民政府"
    city.top.save()
    leader = user_with_role(Role.LEADER_IN_CHARGE, city.top)  # the authority of level 3 in the city asks
    client.force_login(leader)
    assert 'data-testid="request-help-form"' in client.get(f"/responses/{response.pk}/").content.decode()
    blank = api_as(leader).post(f"/api/v1/responses/{response.pk}/request-help/", {"asked": ""}, format="json")
    assert blank.status_code == 400 and Response.objects.get(pk=response.pk).help_requests.count() == 0
    asked = api_as(leader).post(f"/api/v1/responses/{response.pk}/request-help/", {"asked": "请求技术指导"},
                                   format="json")
    assert asked.status_code == 201 and asked.json()["to_body"] == "自治区党委、自治区人民政府"
    page = client.get(f"/responses/{response.pk}/").content.decode()
    assert 'data-testid="help-requests"' in page and "请求技术指导" in page and "指挥权仍在贵港市。" in page
