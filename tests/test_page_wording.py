"""Pages read as a civil servant expects: the workbench offers what the user may start, records are
named by what they are, a correction says it is one, and "0 minutes ago" is "just now"."""
import pytest
from django.urls import reverse
from django.utils import timezone

from emergency.org.roles import Role
from incidents import services as incident_services
from incidents.response import services as response_services
from incidents.response.models import CommandPost, WorkingGroup
from plans.models import PlanEdition

from .factories import user_with_role
from .response_helpers import incident_in, lead_officer, organisation

pytestmark = pytest.mark.django_db


def test_the_workbench_offers_logging_an_incident_only_to_who_may_log(client):
    city = organisation("city")
    client.force_login(user_with_role(Role.DUTY_OFFICER, city.sub))
    page = client.get(reverse("home")).content.decode()
    assert 'data-action="log-incident"' in page and "登记突发事件" in page
    assert 'data-action="new-plan"' not in page
    client.force_login(user_with_role(Role.PLAN_ADMIN, city.top))
    page = client.get(reverse("home")).content.decode()
    assert 'data-action="log-incident"' not in page and 'data-action="new-plan"' in page


def test_the_workbench_shows_waiting_for_my_decision_only_to_who_decides(client):
    """Issue 15, actions offered by right: a duty officer decides no level, so no "待我决定" figure."""
    city = organisation("city")
    client.force_login(user_with_role(Role.DUTY_OFFICER, city.top))
    page = client.get(reverse("home")).content.decode()
    assert 'data-figure="decisions"' not in page and "待我决定" not in page
    assert 'data-figure="incidents-active"' in page
    client.force_login(user_with_role(Role.LEADER_IN_CHARGE, city.top))
    assert 'data-figure="decisions"' in client.get(reverse("home")).content.decode()


def test_a_correction_of_the_initial_report_is_not_shown_as_a_second_initial_report(client, grading_tables):
    city = organisation("city")
    incident = incident_in(city)
    officer = user_with_role(Role.DUTY_OFFICER, city.sub)
    initial = incident.reports.get()
    incident_services.report_submit(actor=officer, incident=incident, kind="initial", body="更正：死亡3人。",
                                    corrects=initial, correction_reason="首报地点有误")
    client.force_login(officer)
    page = client.get(reverse("incident-detail", args=[incident.pk])).content.decode()
    assert "#2 更正（首报 #1）" in page
    assert "首报 #2" not in page


def test_a_proposal_made_seconds_ago_reads_just_now(client, grading_tables):
    city = organisation("city")
    incident = incident_in(city)
    lead = lead_officer(city)
    response_services.proposal_create(actor=lead, incident=incident, level=2, reasons="伤亡上升")
    client.force_login(user_with_role(Role.COMMANDER, city.top))
    page = client.get(reverse("response-inbox")).content.decode()
    # "0 分钟前" would be the clumsy reading; the reminder's "提出后10分钟仍未决定的，提醒决定人" (the
    # organisation's setting) is another figure
    assert "刚刚提出" in page and "0 分钟前" not in page and "0分钟前" not in page
    # what is proposed reads as one phrase, not "启动 · 二级响应"
    assert '<strong data-testid="proposal-action">启动二级响应</strong>' in page


def test_records_are_named_by_what_they_are(grading_tables):
    group = WorkingGroup(kind=WorkingGroup.Kind.MEDICAL)
    assert str(group) == "医疗卫生组"
    assert str(CommandPost(name="平天山现场指挥部")) == "平天山现场指挥部"
    edition = PlanEdition(title="贵港市突发事件总体应急预案", number=2, sections={}, published_at=timezone.now())
    assert str(edition) == "贵港市突发事件总体应急预案（第2版）"
