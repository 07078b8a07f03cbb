"""Issue 19 item 9: figures the plans do not give are the organisation's own settings (本单位设定), shown
as such on every page that uses them, and changing the setting changes the figure shown and the
deadline applied. Each test quotes what the plan says and that it gives no figure."""
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from emergency.timers.models import TimedDuty
from incidents.response import command, services
from incidents.response.models import AuthorityRule
from incidents.response.services import REMIND
from plans import duties
from plans import services as plan_services
from plans.loader import load_filing_term
from plans.models import FilingTerm

from .plan_helpers import plan_org
from .response_helpers import incident_in, lead_officer, level_two_started, organisation
from .scope_helpers import SECTIONS, _consult, boss_of

pytestmark = pytest.mark.django_db
ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}


def _published_general_plan(org):
    """The city's general plan through consultation, approval and publication; its filing still owed."""
    boss = boss_of(org.top, org.lead)
    plan = plan_services.plan_create(actor=boss, unit=org.top, plan_type="general", title="贵港市突发事件总体应急预案",
                                     sections=SECTIONS)
    version = plan_services.version_submit(actor=boss, version=plan.versions.get())
    _consult(boss, version, org.lead, record=True)
    while plan_services.next_step(version).kind != "filing":
        plan_services.step_take(actor=boss, version=version, step=plan_services.next_step(version))
    plan.refresh_from_db()
    return plan, boss


def _filing_duty(plan):
    return TimedDuty.objects.filter(kind=duties.KINDS["filing"], subject_id=plan.pk, state="scheduled").first()


def test_the_filing_term_is_the_organisations_setting_shown_on_the_plan_page(client):
    """City plan 5.2: "各級政府總體應急預案報上級政府備案,抄送上級應急管理部門" — the plans require the filing
    (备案) and give no term (the plans give no figure): the 30 days are the organisation's own setting,
    labelled 本单位设定 on the plan page, and a changed setting moves the due date shown and applied."""
    org = plan_org()
    load_filing_term(org.top, {"days": 30, "basis": "本市设定；市预案5.2要求备案，未规定期限"})
    plan, boss = _published_general_plan(org)
    published = timezone.localtime(plan.published_edition.published_at).date()
    client.force_login(boss)
    page = client.get(reverse("plan-detail", args=[plan.pk]), **ZH).content.decode()
    due = (published + timedelta(days=30)).isoformat()
    assert f'<span data-testid="filing-due">{due}</span>' in page
    assert "公布后30日内" in page and "本单位设定" in page and "本市设定；市预案5.2要求备案，未规定期限" in page
    assert "本单位设定：本市设定" in page and "本单位设定: " not in page  # a Chinese colon before the basis
    assert "密级：" in page
    assert _filing_duty(plan).payload["due"] == due

    load_filing_term(org.top, {"days": 15, "basis": "本市设定"})
    page = client.get(reverse("plan-detail", args=[plan.pk]), **ZH).content.decode()
    assert f'<span data-testid="filing-due">{(published + timedelta(days=15)).isoformat()}</span>' in page
    assert "公布后15日内" in page
    revision = plan_services.version_start(actor=boss, plan=plan, change_summary="修订", sections=SECTIONS + [
        {"title": "9 组织指挥体系", "body": "调整"}])
    revision = plan_services.version_submit(actor=boss, version=revision)
    _consult(boss, revision, org.lead, record=True)
    while plan_services.next_step(revision).kind != "filing":
        plan_services.step_take(actor=boss, version=revision, step=plan_services.next_step(revision))
    plan.refresh_from_db()  # the next edition is due for filing within the new term
    again = timezone.localtime(plan.published_edition.published_at).date()
    assert _filing_duty(plan).payload["due"] == (again + timedelta(days=15)).isoformat()


def test_an_organisation_without_a_filing_term_has_no_invented_due_date(client):
    """The plans say "備案" without a term (the plans give no figure): without the organisation's own
    setting no due date is invented and the plan page shows none."""
    org = plan_org()
    FilingTerm.objects.filter(organisation=org.top).delete()
    plan, boss = _published_general_plan(org)
    assert duties.filing_due(plan) is None and _filing_duty(plan) is None
    client.force_login(boss)
    assert 'data-testid="filing-due"' not in client.get(reverse("plan-detail", args=[plan.pk]), **ZH).content.decode()


def test_proposal_reminders_after_the_organisations_minutes_labelled_on_the_inbox_and_incident_page(client):
    """City plan 1.4.2 names who decides each level ("啓動一級響應由市委、市人民政府決定…") but no time to
    decide in (the plans give no figure): the 10 / 30 minutes are the organisation's setting, shown as
    本单位设定 where the proposal waits, and a changed setting moves the reminder."""
    city = organisation("city")
    incident = incident_in(city)
    rule = AuthorityRule.objects.get(organisation=city.top, level=3)
    assert rule.remind_after_seconds == 30 * 60  # the demo's value
    rule.remind_after_seconds = 45 * 60
    rule.save()
    proposal = services.proposal_create(actor=lead_officer(city), incident=incident, level=3, reasons="三级")
    duty = TimedDuty.objects.get(kind=REMIND, subject_id=proposal.pk)
    assert duty.due_at == proposal.proposed_at + timedelta(minutes=45)
    decider = boss_of(city.top, city.lead)
    client.force_login(decider)
    inbox = client.get(reverse("response-inbox"), **ZH).content.decode()
    # "45分钟后提醒" alone read as 45 minutes from now: the reminder counts from the proposal
    assert "提出后45分钟仍未决定的，提醒决定人" in inbox and "本单位设定（预案未规定时限）" in inbox
    english = client.get(reverse("response-inbox"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "the organisation's setting (the plans give no figure)" in english  # no Chinese brackets in English
    page = client.get(reverse("incident-detail", args=[incident.pk]), **ZH).content.decode()
    assert "提出后45分钟仍未决定的，提醒决定人" in page and "本单位设定" in page


def test_orders_acknowledged_within_the_organisations_setting_on_the_form_and_the_order_list(client):
    """City plan 3.3.3 sets up the on-site command ("現場指揮部") with no time for acknowledging its orders
    (the plans give no figure): 10 minutes is the organisation's setting for the response's level,
    offered on the order form and shown on the order list as 本单位设定; changing it changes both the
    figure and the acknowledgement deadline applied."""
    city, response, commander = level_two_started()
    client.force_login(commander)
    page = client.get(reverse("response-detail", args=[response.pk]), **ZH).content.decode()
    assert 'value="10"' in page and "默认10分钟：本单位设定（预案未规定时限）" in page
    AuthorityRule.objects.filter(organisation=city.top, level=2).update(order_acknowledge_seconds=20 * 60)
    order = command.order_issue(actor=commander, response=response, department=city.lead, text="报告伤亡情况")
    assert order.acknowledge_within_seconds == 20 * 60
    duty = TimedDuty.objects.get(kind=command.ORDER_REMIND, subject_id=order.pk)
    assert duty.due_at == order.issued_at + timedelta(minutes=20)
    mine = command.order_issue(actor=commander, response=response, department=city.lead, text="转移群众",
                               acknowledge_within_minutes=5)
    page = client.get(reverse("response-detail", args=[response.pk]), **ZH).content.decode()
    assert 'value="20"' in page and "默认20分钟：本单位设定" in page
    due = timezone.localtime(order.acknowledge_due_at).strftime("%m-%d %H:%M")
    assert f"{due}前签收（20分钟内） · 本单位设定" in page
    assert "（5分钟内） · 指挥员设定" in page and mine.acknowledge_within_seconds == 300
    cancel = page.split('data-testid="cancel-form"')[1].split("</form>")[0]
    assert "撤销理由" in cancel and "进展说明" not in cancel  # cancelling asks why, not for progress
    answer = client.post(reverse("response.issue-order", args=[response.pk]),
                         {"text": "封控现场", "department": city.lead.pk, "acknowledge_within_minutes": ""})
    assert answer.status_code in (200, 302)
    assert response.orders.get(text="封控现场").acknowledge_within_seconds == 20 * 60
