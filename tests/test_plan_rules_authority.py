"""Who decides and who takes command, as the plans say (issue 19 items 3 and 5)."""
from datetime import timedelta
from pathlib import Path

import pytest
import yaml
from django.urls import reverse
from django.utils import timezone

from emergency.audit.models import AuditEntry
from emergency.errors import Conflict, NotPermitted, ValidationFailed
from emergency.org.demo import DEMO_DIR
from emergency.org.roles import Role
from incidents.response import delegation, rights, services
from incidents.response.delegation_models import DelegationGrant
from incidents.response.models import AuthorityRule, Response

from .factories import user_with_role
from .response_helpers import incident_in, lead_officer, organisation

pytestmark = pytest.mark.django_db


@pytest.fixture
def city():
    return organisation("city")


def _level_one_proposal(city):
    return services.proposal_create(actor=lead_officer(city), incident=incident_in(city), level=1, reasons="重大")


def _grant(city, *, ends_in=timedelta(hours=8)):
    principal = user_with_role(Role.PRINCIPAL, city.top, full_name="王市长")
    grantee = user_with_role(Role.LEADER_IN_CHARGE, city.top, full_name="李副市长")
    grant = delegation.delegation_grant(actor=principal, unit=city.top, level=1, grantee=grantee.username,
                                        ends_at=timezone.now() + ends_in, reason="市长出差期间")
    return principal, grantee, grant


def test_the_city_demo_words_each_level_by_the_deciding_clause():
    """City 1.4.2: "啓動一級響應由市委、市人民政府決定,啓動二級響應由市委、市人民政府負責同志決定" — the deciding
    clause, not the "组织指导协调" (organises and guides) clause."""
    data = yaml.safe_load((Path(DEMO_DIR) / "guigang_city.yaml").read_text(encoding="utf-8"))
    wording = {rule["level"]: rule["wording"] for rule in data["response_authority"]}
    assert wording[1].startswith("启动一级响应由市委、市人民政府决定")
    assert wording[2].startswith("启动二级响应由市委、市人民政府负责同志决定")
    assert wording[3].startswith("启动三级响应由市人民政府分管负责同志决定")
    assert wording[4].startswith("启动四级响应由事发类别对应的牵头部门主要负责同志决定")


def test_the_city_party_committee_or_the_government_principal_decides_level_one(city):
    """City 1.4.2 "啓動一級響應由市委、市人民政府決定": 市委 (the Party committee) or 市人民政府 (its principal);
    the commander, who decides level 2 ("由市委、市人民政府負責同志決定"), does not decide level 1."""
    with pytest.raises(NotPermitted):
        services.proposal_decide(actor=user_with_role(Role.COMMANDER, city.top), proposal=_level_one_proposal(city),
                                 outcome="approved")
    for role in (Role.PARTY_COMMITTEE, Role.PRINCIPAL):
        decision = services.proposal_decide(actor=user_with_role(role, city.top), proposal=_level_one_proposal(city),
                                            outcome="approved")
        assert decision.response.level == 1 and decision.response.command_unit == city.top
        services.response_end(actor=user_with_role(role, city.top), response=decision.response, reason="结束")


def test_a_grantee_decides_by_delegation_recorded_on_the_decision_and_in_the_audit(city):
    """City 1.4.2 "市委或市人民政府主要負責同志或其授權的領導同志": the authorised comrade decides, and the
    record says by whose delegation."""
    proposal = _level_one_proposal(city)
    principal, grantee, grant = _grant(city)
    assert AuditEntry.objects.filter(action="response.delegation.grant", after__grantee=grantee.pk).exists()
    decision = services.proposal_decide(actor=grantee, proposal=proposal, outcome="approved")
    assert decision.delegation == grant and "王市长" in decision.authority
    audit = AuditEntry.objects.get(action="response.decide")
    assert audit.after["by_delegation_of"] == "王市长" and audit.after["delegation"] == grant.pk
    with pytest.raises(NotPermitted):  # a grant decides proposals: it does not end the response
        rights.may_end(grantee, decision.response)


def test_a_withdrawn_or_expired_grant_no_longer_counts(city):
    """City 1.4.2 "其授權的": the authority lasts only as long as the grant."""
    proposal = _level_one_proposal(city)
    principal, grantee, grant = _grant(city)
    rights.may_decide(grantee, proposal)
    delegation.delegation_withdraw(actor=principal, grant=grant, reason="市长返回")
    assert AuditEntry.objects.filter(action="response.delegation.withdraw").exists()
    with pytest.raises(NotPermitted):
        services.proposal_decide(actor=grantee, proposal=proposal, outcome="approved")
    with pytest.raises(Conflict):
        delegation.delegation_withdraw(actor=principal, grant=grant)
    later = delegation.delegation_grant(actor=principal, unit=city.top, level=1, grantee=grantee.username,
                                        ends_at=timezone.now() + timedelta(hours=1), reason="再次出差")
    DelegationGrant.objects.filter(pk=later.pk).update(ends_at=timezone.now() - timedelta(seconds=1))
    with pytest.raises(NotPermitted):
        rights.may_decide(grantee, proposal)


def test_only_a_decider_grants_and_only_to_a_person_of_the_unit(city):
    """The grant comes from who holds the deciding role for the level in the commanding unit."""
    leader = user_with_role(Role.LEADER_IN_CHARGE, city.top)
    with pytest.raises(NotPermitted):  # level 1 is the principal's (demo), not the leader in charge's
        delegation.delegation_grant(actor=leader, unit=city.top, level=1, grantee=leader.username,
                                    ends_at=timezone.now() + timedelta(hours=1), reason="越权")
    principal = user_with_role(Role.PRINCIPAL, city.top)
    outsider = user_with_role(Role.PRINCIPAL, organisation("customs").top)
    with pytest.raises(ValidationFailed):
        delegation.delegation_grant(actor=principal, unit=city.top, level=1, grantee=outsider.username,
                                    ends_at=timezone.now() + timedelta(hours=1), reason="外单位")
    assert not DelegationGrant.objects.exists()


def test_the_inbox_page_offers_the_decide_form_to_a_grantee_and_the_api_grants(city, client, api_as):
    proposal = _level_one_proposal(city)
    principal = user_with_role(Role.PRINCIPAL, city.top)
    grantee = user_with_role(Role.LEADER_IN_CHARGE, city.top)
    client.force_login(grantee)
    assert 'data-testid="decide' not in client.get(reverse("response-inbox")).content.decode()
    created = api_as(principal).post(reverse("api:delegation-grant"), {
        "unit": city.top.pk, "level": 1, "grantee": grantee.username, "reason": "出差",
        "ends_at": (timezone.now() + timedelta(hours=2)).isoformat()}, format="json")
    assert created.status_code == 201, created.json()
    page = client.get(reverse("response-inbox")).content.decode()
    assert 'data-testid="decide' in page and str(proposal.pk) in page
    refused = api_as(grantee).post(reverse("api:delegation-withdraw", args=[created.json()["id"]]), {}, format="json")
    assert refused.status_code == 403  # a grantee grants nothing and withdraws nothing
    withdrawn = api_as(principal).post(reverse("api:delegation-withdraw", args=[created.json()["id"]]), {},
                                       format="json")
    assert withdrawn.status_code == 200 and withdrawn.json()["withdrawn_at"]


def test_command_above_the_top_unit_passes_to_the_body_the_organisation_names():
    """Customs 3.3.3 "超出西安海关处置能力的，…指挥权移交至海关总署应急指挥机构"."""
    customs = organisation("customs")
    customs.top.superior_name = "海关总署应急指挥机构"
    customs.top.save()
    proposal = services.proposal_create(actor=lead_officer(customs), incident=incident_in(customs), level=2,
                                        reasons="扩大")
    commander = user_with_role(Role.COMMANDER, customs.top)
    response = services.proposal_decide(actor=commander, proposal=proposal, outcome="approved").response
    transfer = services.transfer_request(actor=commander, response=response, reason="超出西安海关处置能力")
    assert transfer.to_unit is None and transfer.to_body == "海关总署应急指挥机构"
    with pytest.raises(Conflict):  # nobody on the platform accepts for the external body
        services.transfer_decide(actor=user_with_role(Role.PARTY_COMMITTEE, customs.top), transfer=transfer,
                                 accept=True)
    services.transfer_record_outside(actor=commander, transfer=transfer, accepted_by="海关总署应急办 张处长")
    response.refresh_from_db()
    transfer.refresh_from_db()
    assert response.state == Response.State.ACTIVE and response.external_command == "海关总署应急指挥机构"
    assert transfer.state == "accepted" and transfer.accepted_outside_by == "海关总署应急办 张处长"
    assert AuditEntry.objects.filter(action="response.transfer.outside").exists()


def test_the_request_comes_from_the_commanding_unit_and_the_roles_that_accept_are_the_data(city):
    """City 3.3.3 "上一級黨委、政府根據事發地黨委、政府的請求…,指揮權可逐級提升": the request is the commanding unit's
    own (a superior does not request on its behalf: it takes command instead, `escalation.transfer_take`, tested in
    test_plan_rules_command), and who may accept is the organisation's data."""
    AuthorityRule.objects.filter(organisation=city.top, level=3).update(
        command_at=AuthorityRule.CommandAt.INCIDENT_UNIT, transfer_acceptor_roles=[Role.PRINCIPAL])
    proposal = services.proposal_create(actor=lead_officer(city), incident=incident_in(city), level=3, reasons="较大")
    county = user_with_role(Role.LEADER_IN_CHARGE, city.sub)
    response = services.proposal_decide(actor=county, proposal=proposal, outcome="approved").response
    city_leader = user_with_role(Role.LEADER_IN_CHARGE, city.top)
    with pytest.raises(NotPermitted):  # the city does not request on the county's behalf
        services.transfer_request(actor=city_leader, response=response, reason="市级接管")
    assert not response.transfers.exists()
    transfer = services.transfer_request(actor=county, response=response, reason="超出县级处置能力")
    with pytest.raises(NotPermitted):  # the commander is not among the roles the data names
        services.transfer_decide(actor=user_with_role(Role.COMMANDER, city.top), transfer=transfer, accept=True)
    services.transfer_decide(actor=user_with_role(Role.PRINCIPAL, city.top), transfer=transfer, accept=True)
    response.refresh_from_db()
    assert response.command_unit == city.top
