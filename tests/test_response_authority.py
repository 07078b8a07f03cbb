"""The authority matrix of both organisations: every level × every role, allowed and refused;
separation of duties; direct start by the customs Party committee."""
import pytest

from emergency.errors import NotPermitted, ValidationFailed
from emergency.org.roles import DEPARTMENT_ROLES, Role
from incidents.response import services
from incidents.response.models import Decision, Level, Response

from .factories import user_with_role
from .response_helpers import incident_in, lead_officer, organisation

pytestmark = pytest.mark.django_db

DECIDERS = {
    "customs": {1: {Role.PARTY_COMMITTEE, Role.PRINCIPAL}, 2: {Role.COMMANDER},
                3: {Role.LEAD_OFFICER, Role.DEPARTMENT_PRINCIPAL}, 4: {Role.LEAD_OFFICER, Role.DEPARTMENT_PRINCIPAL}},
    # city 1.4.2: "啓動一級響應由市委、市人民政府決定" (the Party committee or the government's principal)
    "city": {1: {Role.PRINCIPAL, Role.PARTY_COMMITTEE}, 2: {Role.COMMANDER}, 3: {Role.LEADER_IN_CHARGE},
             4: {Role.DEPARTMENT_PRINCIPAL}},
}
MATRIX = [(kind, level, role) for kind in DECIDERS for level in (1, 2, 3, 4) for role in Role.values]


@pytest.mark.parametrize("kind, level, role", MATRIX)
def test_only_the_authority_the_level_requires_decides_it(kind, level, role):
    org = organisation(kind)
    incident = incident_in(org)
    proposal = services.proposal_create(actor=lead_officer(org), incident=incident, level=level, reasons="态势扩大")
    decider = user_with_role(role, org.top, department=org.lead if role in DEPARTMENT_ROLES else None)
    if role in DECIDERS[kind][level]:
        decision = services.proposal_decide(actor=decider, proposal=proposal, outcome="approved")
        assert decision.response.level == level and decision.authority
    else:
        with pytest.raises(NotPermitted) as refused:
            services.proposal_decide(actor=decider, proposal=proposal, outcome="approved")
        assert str(Level(level).label) in str(refused.value.message)
        assert not Response.objects.exists() and not Decision.objects.exists()


@pytest.mark.parametrize("kind", ["customs", "city"])
def test_a_department_role_of_another_department_does_not_decide(kind):
    org = organisation(kind)
    proposal = services.proposal_create(actor=lead_officer(org), incident=incident_in(org), level=4, reasons="一般")
    outsider = user_with_role(Role.DEPARTMENT_PRINCIPAL, org.top, department=org.other)
    with pytest.raises(NotPermitted):
        services.proposal_decide(actor=outsider, proposal=proposal, outcome="approved")


def test_the_proposer_may_not_approve_a_level_that_needs_someone_else():
    org = organisation("city")
    proposer = lead_officer(org)
    user_with_role(Role.COMMANDER, org.top).role_assignments.update(user=proposer)  # the proposer is also commander
    proposal = services.proposal_create(actor=proposer, incident=incident_in(org), level=2, reasons="扩大")
    with pytest.raises(NotPermitted) as refused:
        services.proposal_decide(actor=proposer, proposal=proposal, outcome="approved")
    assert "不得" in str(refused.value.message) or "may not" in str(refused.value.message)


def test_the_customs_lead_department_decides_levels_three_and_four_itself():
    org = organisation("customs")
    proposer = lead_officer(org)
    proposal = services.proposal_create(actor=proposer, incident=incident_in(org), level=3, reasons="较大")
    assert services.proposal_decide(actor=proposer, proposal=proposal, outcome="approved").level == 3


def test_only_the_lead_department_proposes():
    org = organisation("city")
    incident = incident_in(org)
    for role in (Role.DUTY_OFFICER, Role.COMMANDER, Role.PRINCIPAL):
        with pytest.raises(NotPermitted):
            services.proposal_create(actor=user_with_role(role, org.top), incident=incident, level=2, reasons="x")
    with pytest.raises(NotPermitted):
        services.proposal_create(actor=user_with_role(Role.LEAD_OFFICER, org.top, department=org.other),
                                 incident=incident, level=2, reasons="x")
    no_lead = incident_in(org, lead=False)
    with pytest.raises(ValidationFailed):
        services.proposal_create(actor=lead_officer(org), incident=no_lead, level=2, reasons="x")


def test_the_customs_party_committee_starts_level_one_directly_and_nobody_else_does():
    customs, city = organisation("customs"), organisation("city")
    response = services.response_start_direct(actor=user_with_role(Role.PARTY_COMMITTEE, customs.top),
                                              incident=incident_in(customs), level=1, reason="口岸重大疫情")
    assert response.level == 1 and response.command_unit == customs.top
    assert response.decisions.get().proposal.direct
    for actor, org in ((user_with_role(Role.PRINCIPAL, customs.top), customs),
                       (user_with_role(Role.PARTY_COMMITTEE, city.top), city)):
        with pytest.raises(NotPermitted):
            services.response_start_direct(actor=actor, incident=incident_in(org), level=1, reason="x")
