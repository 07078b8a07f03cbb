"""Raise and lower, who starts ends, transfer of command, concurrent deciders, append-only decisions,
the suggested level, the inbox, and the API."""
import threading

import pytest
from django.db import connection, connections, transaction
from django.db.utils import InternalError, ProgrammingError
from django.urls import reverse
from django.utils import timezone

from emergency.errors import Conflict, NotPermitted, ValidationFailed
from emergency.org.roles import Role
from emergency.timers.models import TimedDuty
from incidents.models import Incident
from incidents.response import selectors, services
from incidents.response.models import AuthorityRule, Decision, KeyPeriod, Proposal
from incidents.response.suggest import suggest_level

from .factories import user_with_role
from .response_helpers import incident_in, lead_officer, organisation

pytestmark = pytest.mark.django_db


@pytest.fixture
def city():
    return organisation("city")


def _started(org, level=3):
    incident = incident_in(org)
    lead = lead_officer(org)
    proposal = services.proposal_create(actor=lead, incident=incident, level=level, reasons="启动")
    decider = {1: Role.PRINCIPAL, 2: Role.COMMANDER, 3: Role.LEADER_IN_CHARGE}.get(level, Role.DEPARTMENT_PRINCIPAL)
    deciding = user_with_role(decider, org.top, department=org.lead if decider == Role.DEPARTMENT_PRINCIPAL else None)
    decision = services.proposal_decide(actor=deciding, proposal=proposal, outcome="approved")
    return incident, lead, deciding, decision.response


def test_starting_puts_the_incident_in_response_and_raise_and_lower_take_the_same_path(city):
    incident, lead, leader_in_charge, response = _started(city, level=3)
    incident.refresh_from_db()
    assert incident.status == Incident.Status.RESPONDING and response.level == 3
    raise_to_two = services.proposal_create(actor=lead, incident=incident, level=2, reasons="伤亡增加")
    assert raise_to_two.kind == Proposal.Kind.RAISE and raise_to_two.response == response
    with pytest.raises(NotPermitted):  # level 2 needs the commander now
        services.proposal_decide(actor=leader_in_charge, proposal=raise_to_two, outcome="approved")
    commander = user_with_role(Role.COMMANDER, city.top)
    services.proposal_decide(actor=commander, proposal=raise_to_two, outcome="approved")
    response.refresh_from_db()
    assert response.level == 2
    lower = services.proposal_create(actor=lead, incident=incident, level=4, reasons="态势缓和")
    assert lower.kind == Proposal.Kind.LOWER
    principal_of_lead = user_with_role(Role.DEPARTMENT_PRINCIPAL, city.top, department=city.lead)
    services.proposal_decide(actor=principal_of_lead, proposal=lower, outcome="approved")
    response.refresh_from_db()
    assert response.level == 4
    assert [d.level for d in Decision.objects.filter(response=response).order_by("decided_at")] == [3, 2, 4]


def test_approve_another_level_needs_the_authority_of_that_level_and_reject_needs_a_reason(city):
    incident = incident_in(city)
    proposal = services.proposal_create(actor=lead_officer(city), incident=incident, level=3, reasons="较大")
    leader_in_charge = user_with_role(Role.LEADER_IN_CHARGE, city.top)
    with pytest.raises(NotPermitted):
        services.proposal_decide(actor=leader_in_charge, proposal=proposal, outcome="approved_other", level=1)
    with pytest.raises(ValidationFailed):
        services.proposal_decide(actor=leader_in_charge, proposal=proposal, outcome="rejected", reason=" ")
    principal = user_with_role(Role.PRINCIPAL, city.top)
    with pytest.raises(NotPermitted):  # the principal holds level 1, not level 3 which was proposed
        services.proposal_decide(actor=principal, proposal=proposal, outcome="approved_other", level=1)
    user_with_role(Role.DEPARTMENT_PRINCIPAL, city.top, department=city.lead).role_assignments.update(
        user=leader_in_charge)
    decision = services.proposal_decide(actor=leader_in_charge, proposal=proposal, outcome="approved_other", level=4)
    assert decision.level == 4 and decision.response.level == 4


def test_a_rejected_proposal_starts_nothing_and_frees_the_incident_for_another(city):
    incident = incident_in(city)
    lead = lead_officer(city)
    proposal = services.proposal_create(actor=lead, incident=incident, level=2, reasons="扩大")
    with pytest.raises(Conflict):
        services.proposal_create(actor=lead, incident=incident, level=3, reasons="重复")
    services.proposal_decide(actor=user_with_role(Role.COMMANDER, city.top), proposal=proposal, outcome="rejected",
                             reason="尚未达到二级")
    assert not incident.responses.exists()
    assert services.proposal_create(actor=lead, incident=incident, level=3, reasons="改为三级").state == "pending"


def test_whoever_starts_a_response_ends_it(city):
    incident, lead, leader_in_charge, response = _started(city, level=3)
    for other in (user_with_role(Role.COMMANDER, city.top), user_with_role(Role.PRINCIPAL, city.top), lead):
        with pytest.raises(NotPermitted) as refused:
            services.response_end(actor=other, response=response, reason="结束")
        assert "谁启动" in str(refused.value.message) or "Whoever starts" in str(refused.value.message)
    ended = services.response_end(actor=leader_in_charge, response=response, reason="处置完毕")
    incident.refresh_from_db()
    assert ended.state == "ended" and incident.status == Incident.Status.ENDED
    with pytest.raises(Conflict):
        services.response_end(actor=leader_in_charge, response=response, reason="再次结束")


def test_command_passes_to_the_superior_who_then_decides(city):
    # An organisation whose level 4 is commanded where the incident happens (the demo's are not).
    AuthorityRule.objects.filter(organisation=city.top, level=4).update(command_at=AuthorityRule.CommandAt.INCIDENT_UNIT)
    incident, lead, leader_in_charge, response = _started(city, level=4)
    assert response.command_unit == city.sub
    county_principal = user_with_role(Role.DEPARTMENT_PRINCIPAL, city.top, department=city.lead)
    transfer = services.transfer_request(actor=county_principal, response=response, reason="超出县级处置能力")
    with pytest.raises(NotPermitted):
        services.transfer_decide(actor=user_with_role(Role.COMMANDER, city.sub), transfer=transfer, accept=True)
    services.transfer_decide(actor=user_with_role(Role.COMMANDER, city.top), transfer=transfer, accept=True)
    response.refresh_from_db()
    assert response.command_unit == city.top
    with pytest.raises(Conflict):  # the top unit has no superior on the platform
        services.transfer_request(actor=county_principal, response=response, reason="再上交")


def test_two_commanders_deciding_at_once_one_wins_the_other_gets_a_conflict(transactional_db, grading_tables):
    city = organisation("city")
    proposal = services.proposal_create(actor=lead_officer(city), incident=incident_in(city), level=2, reasons="扩大")
    commanders = [user_with_role(Role.COMMANDER, city.top) for _ in range(2)]
    barrier, results = threading.Barrier(2), []

    def decide(user):
        try:
            barrier.wait()
            results.append(services.proposal_decide(actor=user, proposal=proposal, outcome="approved"))
        except Conflict as conflict:
            results.append(conflict)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=decide, args=(user,)) for user in commanders]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(type(r).__name__ for r in results) == ["Conflict", "Decision"]
    assert Decision.objects.count() == 1 and proposal.incident.responses.count() == 1


def test_decisions_cannot_be_changed_at_the_database(city):
    _incident, _lead, _decider, response = _started(city)
    decision = response.decisions.get()
    for statement in ("UPDATE response_decision SET level = 1 WHERE id = %s",
                      "DELETE FROM response_decision WHERE id = %s"):
        with pytest.raises((InternalError, ProgrammingError)), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement, [decision.pk])


def test_a_decision_cancels_the_reminder(city):
    incident = incident_in(city)
    proposal = services.proposal_create(actor=lead_officer(city), incident=incident, level=2, reasons="扩大")
    duty = TimedDuty.objects.get(kind=services.REMIND, subject_id=proposal.pk)
    assert (duty.due_at - proposal.proposed_at).total_seconds() == 600
    services.proposal_decide(actor=user_with_role(Role.COMMANDER, city.top), proposal=proposal, outcome="approved")
    duty.refresh_from_db()
    assert duty.state == "cancelled"


def test_the_suggested_level_follows_grade_and_context(city):
    incident = incident_in(city, grade_deaths=3)  # work safety grade III
    assert suggest_level(incident=incident).level == 3
    assert suggest_level(incident=incident, context={"cross_county": True}).level == 2
    assert suggest_level(incident=incident, context={"sensitive": True}).level == 2
    assert suggest_level(incident=incident, context={"extreme": True}).level == 2  # a raise, not a jump to 1
    ordinary = incident_in(city, grade_deaths=1)
    assert suggest_level(incident=ordinary).level is None  # the county's to respond to (1.4.2 (1))
    assert suggest_level(incident=ordinary, context={"fairly_serious": True}).level == 4
    KeyPeriod.objects.create(organisation=city.top, name="中国—东盟博览会", starts_at=timezone.now(),
                             ends_at=timezone.now() + timezone.timedelta(days=3))
    during = suggest_level(incident=ordinary, context={"fairly_serious": True})
    assert during.level == 3 and "中国—东盟博览会" in " ".join(during.reasons)
    assert suggest_level(incident=incident_in(city, grade_deaths=40)).level == 1


def test_the_inbox_holds_what_i_may_decide(city):
    lead = lead_officer(city)
    level_two = services.proposal_create(actor=lead, incident=incident_in(city), level=2, reasons="二级")
    level_three = services.proposal_create(actor=lead, incident=incident_in(city), level=3, reasons="三级")
    commander, in_charge = user_with_role(Role.COMMANDER, city.top), user_with_role(Role.LEADER_IN_CHARGE, city.top)
    assert [p.pk for p in selectors.inbox(user=commander)] == [level_two.pk]
    assert [p.pk for p in selectors.inbox(user=in_charge)] == [level_three.pk]
    assert selectors.inbox(user=lead) == []


def test_the_api_proposes_and_decides(city, api_as):
    incident = incident_in(city)
    lead, commander = lead_officer(city), user_with_role(Role.COMMANDER, city.top)
    created = api_as(lead).post(reverse("api:incident-response-propose", args=[incident.pk]),
                                {"level": 2, "reasons": "扩大", "sensitive": True}, format="json")
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["suggested_level"] == 2 and body["state"] == "pending"
    inbox = api_as(commander).get(reverse("api:proposal-list"), {"inbox": 1}).json()["results"]
    assert [p["id"] for p in inbox] == [body["id"]]
    refused = api_as(user_with_role(Role.LEADER_IN_CHARGE, city.top)).post(
        reverse("api:proposal-decide", args=[body["id"]]), {"outcome": "approved"}, format="json")
    assert refused.status_code == 403 and refused.json()["error"]["message"].startswith("二级响应由")
    decided = api_as(commander).post(reverse("api:proposal-decide", args=[body["id"]]), {"outcome": "approved"},
                                     format="json")
    assert decided.status_code == 201 and decided.json()["level"] == 2
    again = api_as(commander).post(reverse("api:proposal-decide", args=[body["id"]]), {"outcome": "approved"},
                                   format="json")
    assert again.status_code == 409
    suggestion = api_as(lead).get(reverse("api:suggested-level", args=[incident.pk]), {"extreme": 1}).json()
    assert suggestion["level"] == 2 and "果断提级" in " ".join(suggestion["reasons"])  # grade III raised one


def test_admins_keep_the_key_period_calendar(city, client):
    admin = user_with_role(Role.PLAN_ADMIN, city.top)
    client.force_login(admin)
    now = timezone.localtime()
    answer = client.post(reverse("key-period.add"), {"next": reverse("key-periods"),
        "organisation": city.top.pk, "name": "全国两会", "starts_at": now.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (now + timezone.timedelta(days=10)).strftime("%Y-%m-%dT%H:%M")}, follow=True)
    assert "全国两会" in answer.content.decode()
    assert KeyPeriod.objects.filter(organisation=city.top).count() == 1
    with pytest.raises(NotPermitted):
        services.key_period_add(actor=user_with_role(Role.DUTY_OFFICER, city.top), organisation=city.top, name="x",
                                starts_at=now, ends_at=now + timezone.timedelta(days=1))
    with pytest.raises(ValidationFailed):
        services.key_period_add(actor=admin, organisation=city.top, name="倒置", starts_at=now, ends_at=now)


def test_the_inbox_page_shows_grade_deadlines_and_place(city, client, django_assert_max_num_queries):
    lead, commander = lead_officer(city), user_with_role(Role.COMMANDER, city.top)
    for _ in range(4):
        services.proposal_create(actor=lead, incident=incident_in(city), level=2, reasons="二级")
    client.force_login(commander)
    with django_assert_max_num_queries(25):
        page = client.get(reverse("response-inbox")).content.decode()
    assert page.count('data-proposal="') == 4 and "向上级报告" in page and "Ⅲ级" in page
