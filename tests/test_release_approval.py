"""Public releases get their approval step by grade (issue 19, item 6).

City plan 3.3.5 2): "特別重大、重大和較大突發事件的信息發佈,由履行統一領導職責的黨委、政府設立的應急指揮機構負責";
3.3.5 4): "未經履行統一領導職責的黨委、政府設立的應急指揮機構批准,參與突發事件應急處置工作的單位和個人不得擅自對外發布相關信息";
3.3.5 1): "事發地黨委、政府或應急指揮機構要在事件發生後的第一時間…最遲要在5小時內發佈權威信息".
Customs plan 3.3.5: "突发事件发生后，按相关规定，经审批对外发布新闻"."""
from __future__ import annotations

import threading

import pytest
from django.db import connections
from django.urls import reverse

from emergency.audit.models import AuditEntry
from emergency.dashboard.models import LiveEvent
from emergency.errors import Conflict, NotPermitted, ValidationFailed
from emergency.notify.models import Notification
from emergency.org.roles import Role
from incidents import releases
from incidents.models import ReleaseAuthority, ReleaseDecision

from .factories import user_with_role
from .response_helpers import incident_in, organisation

pytestmark = pytest.mark.django_db


def _draft(incident, officer=None):
    officer = officer or user_with_role(Role.DUTY_OFFICER, incident.unit)
    return releases.release_draft(actor=officer, incident=incident, kind="release", channel="贵港发布",
                                  text="港北区物流园仓库发生爆炸，救援正在进行。")


def _state(incident, kind="public_release"):
    return incident.deadlines.get(kind=kind).state


def test_a_grade_three_city_release_is_approved_by_the_city_command_body_not_the_county(grading_tables):
    """City 3.3.5 2): 較大 (grade Ⅲ) releases are the command body's, set up by the Party committee and
    government that lead (the city's): the county's principal may not approve it; the city's commander does,
    and only then is it published and the 5-hour release met."""
    city = organisation("city")
    incident = incident_in(city)
    assert incident.grade == "III"
    commander = user_with_role(Role.COMMANDER, city.top)
    county_principal = user_with_role(Role.PRINCIPAL, city.sub)
    draft = _draft(incident)
    assert draft.state == "draft" and draft.published_at is None
    assert _state(incident) == "open"  # the draft meets nothing
    # The approvers are told in their inbox; the county principal is not one of them.
    notices = Notification.objects.filter(kind=releases.APPROVAL, source_key=f"{releases.APPROVAL}:{draft.pk}")
    assert set(notices.values_list("recipient", flat=True)) == {commander.pk}
    with pytest.raises(NotPermitted) as refused:
        releases.release_decide(actor=county_principal, release=draft, approved=True)
    assert "贵港市" in str(refused.value)
    decision = releases.release_decide(actor=commander, release=draft, approved=True)
    draft.refresh_from_db()
    assert draft.state == "published" and draft.published_at == decision.decided_at
    deadline = incident.deadlines.get(kind="public_release")
    assert deadline.state == "met" and deadline.met_at == decision.decided_at and deadline.met_by == commander
    assert AuditEntry.objects.filter(action="incident.release.draft", object_id=str(draft.pk)).exists()
    assert AuditEntry.objects.filter(action="incident.release.approve", object_id=str(draft.pk)).exists()
    assert LiveEvent.objects.filter(event="incident.release").count() == 2
    with pytest.raises(Conflict):
        releases.release_decide(actor=commander, release=draft, approved=True)


def test_a_grade_four_city_release_is_approved_where_the_incident_happened(grading_tables):
    """City 3.3.5 1): "事發地黨委、政府或應急指揮機構…發佈": a grade Ⅳ release is the county's to approve."""
    city = organisation("city")
    incident = incident_in(city, grade_deaths=1)
    assert incident.grade == "IV"
    county_principal = user_with_role(Role.PRINCIPAL, city.sub)
    draft = _draft(incident)
    assert releases.release_decide(actor=county_principal, release=draft, approved=True).approved
    assert _state(incident) == "met"


def test_a_rejected_release_gives_its_reason_and_meets_nothing(grading_tables):
    """City 3.3.5 4): nothing goes out without the command body's approval ("未經…批准…不得擅自對外發布")."""
    city = organisation("city")
    incident = incident_in(city)
    officer = user_with_role(Role.DUTY_OFFICER, city.sub)
    commander = user_with_role(Role.COMMANDER, city.top)
    draft = _draft(incident, officer)
    with pytest.raises(ValidationFailed) as refused:
        releases.release_decide(actor=commander, release=draft, approved=False, reason=" ")
    assert "reason" in refused.value.fields and not ReleaseDecision.objects.exists()
    releases.release_decide(actor=commander, release=draft, approved=False, reason="伤亡数字未经核实")
    draft.refresh_from_db()
    assert draft.state == "rejected" and _state(incident) == "open"
    assert Notification.objects.filter(recipient=officer, kind=releases.DECIDED).exists()
    assert AuditEntry.objects.filter(action="incident.release.reject", object_id=str(draft.pk)).exists()


def test_whoever_drafts_a_release_may_not_approve_it(grading_tables):
    """Customs 3.3.5 "经审批对外发布": approval is a second person's."""
    city = organisation("city")
    commander = user_with_role(Role.COMMANDER, city.top)
    draft = _draft(incident_in(city), commander)
    with pytest.raises(NotPermitted):
        releases.release_decide(actor=commander, release=draft, approved=True)


def test_customs_releases_are_approved_by_the_districts_leadership(grading_tables):
    """Customs 3.3.5: "按相关规定，经审批对外发布新闻" names no approver: the district's own setting, the
    leadership of 西安海关, for every grade; a 隶属海关's principal may not approve."""
    customs = organisation("customs")
    (rule,) = ReleaseAuthority.objects.filter(organisation=customs.top)
    assert rule.grade == "" and not rule.from_plan and "3.3.5" in rule.basis
    incident = incident_in(customs)
    draft = _draft(incident)
    with pytest.raises(NotPermitted):
        releases.release_decide(actor=user_with_role(Role.PRINCIPAL, customs.sub), release=draft, approved=True)
    leader = user_with_role(Role.LEADER_IN_CHARGE, customs.top)
    releases.release_decide(actor=leader, release=draft, approved=True)
    assert _state(incident) == "met"


def test_the_city_rules_quote_the_plan():
    """City 3.3.5 1) and 2): the demo's rows carry the plan's words."""
    city = organisation("city")
    rules = {r.grade: r for r in ReleaseAuthority.objects.filter(organisation=city.top)}
    assert set(rules) == {"I", "II", "III", "IV"} and all(r.from_plan for r in rules.values())
    assert all(r.held_at == "top" and r.roles == [Role.COMMANDER] and "3.3.5 2)" in r.basis
               for g, r in rules.items() if g != "IV")
    assert rules["IV"].held_at == "incident_unit" and "事发地" in rules["IV"].basis


def test_the_api_approves_and_refuses_a_rejection_without_reason_in_the_users_language(grading_tables, api_as):
    city = organisation("city")
    draft = _draft(incident_in(city))
    commander = api_as(user_with_role(Role.COMMANDER, city.top))
    answer = commander.post(reverse("api:incident-release-reject", args=[draft.pk]), {"reason": ""}, format="json")
    assert answer.status_code == 400 and "驳回" in str(answer.json())
    county = api_as(user_with_role(Role.PRINCIPAL, city.sub))
    assert county.post(reverse("api:incident-release-approve", args=[draft.pk]), {}, format="json").status_code == 403
    answer = commander.post(reverse("api:incident-release-approve", args=[draft.pk]), {}, format="json")
    assert answer.status_code == 201 and answer.json()["approved"] is True
    shown = commander.get(reverse("api:incident-release-detail", args=[draft.pk])).json()
    assert shown["state"] == "published" and shown["published_at"]


def test_the_page_offers_approval_only_to_who_may(grading_tables, client):
    city = organisation("city")
    incident = incident_in(city)
    draft = _draft(incident)
    page = reverse("incident-detail", args=[incident.pk])
    client.force_login(user_with_role(Role.PRINCIPAL, city.sub))
    html = client.get(page).content.decode()
    assert f'data-testid="release-{draft.pk}"' in html and f"approve-release-{draft.pk}" not in html
    commander = user_with_role(Role.COMMANDER, city.top)
    client.force_login(commander)
    assert f"approve-release-{draft.pk}" in client.get(page).content.decode()
    client.post(reverse("release.approve", args=[draft.pk]), {"next": page})
    draft.refresh_from_db()
    assert draft.state == "published"


def test_two_approvers_at_once_one_decides_the_other_gets_a_conflict(transactional_db, grading_tables):
    """A release is decided once: racing approval and rejection leave one decision."""
    city = organisation("city")
    draft = _draft(incident_in(city))
    commanders = [user_with_role(Role.COMMANDER, city.top) for _ in range(2)]
    barrier, results = threading.Barrier(2), []

    def decide(user, approved):
        try:
            barrier.wait()
            results.append(releases.release_decide(actor=user, release=draft, approved=approved, reason="未核实"))
        except Conflict as conflict:
            results.append(conflict)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=decide, args=(user, n == 0)) for n, user in enumerate(commanders)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(type(r).__name__ for r in results) == ["Conflict", "ReleaseDecision"]
    assert ReleaseDecision.objects.filter(release=draft).count() == 1
