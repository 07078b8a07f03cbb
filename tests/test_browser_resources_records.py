"""Issue 17, items 4, 7, 8 through the pages: the township records a requisition at its incident,
the compensation page lists it as awaiting and records what was paid; the city records a training
session and its leader is no longer due; a late report shows in the township's year and the
principal enters a sanction against it."""
import pytest
from django.utils import timezone
from playwright.sync_api import expect

from emergency.org.roles import Role
from incidents.models import ReportingDeadline

from .browser import needs_chromium, sign_in
from .factories import PASSWORD, user_with_role
from .resource_helpers import city_with_inventory

pytestmark = [pytest.mark.browser, needs_chromium]


def _as(page, base, user):
    page.context.clear_cookies()
    sign_in(page, base, user.username, PASSWORD)
    page.click("[data-nav=resources]")


def test_requisition_compensation_training_and_accountability(live_server, page, grading_tables):
    city = city_with_inventory()
    principal = user_with_role(Role.PRINCIPAL, city.top, username="c-principal", full_name="市长（演示）")
    deadline = city.incident.deadlines.first()
    ReportingDeadline.objects.filter(pk=deadline.pk).update(state=ReportingDeadline.State.LATE)
    base = live_server.url

    _as(page, base, city.requester)
    page.click("[data-testid=resource-tabs] >> text=资源申请")
    page.click(f"[data-testid=active-incidents] [data-incident='{city.incident.pk}']")
    form = page.locator("[data-testid=requisition-form]")
    form.locator("[name=kind]").select_option("vehicle")
    form.locator("[name=description]").fill("挖掘机1台")
    form.locator("[name=owner]").fill("某建筑公司")
    form.locator("[name=value]").fill("12000")
    form.locator("button[type=submit]").click()
    expect(page.locator("[data-testid=requisitions]")).to_contain_text("待补偿")
    page.click("[data-nav=resources]")
    page.click("[data-testid=resource-tabs] >> text=征用与补偿")
    page.click("[data-testid=only-waiting]")
    row = page.locator("[data-testid=requisition-table] tr[data-requisition]")
    expect(row).to_contain_text("挖掘机1台")
    row.locator("[name=amount]").fill("9800")
    row.locator("button[type=submit]").click()
    expect(page.locator("[data-testid=requisition-table]")).to_contain_text("已补偿 ¥9800")

    _as(page, base, city.keeper)
    page.click("[data-testid=resource-tabs] >> text=培训与宣传教育")
    expect(page.locator("[data-testid=training-due]")).to_contain_text(city.approver.full_name)
    form = page.locator("[data-testid=training-form]")
    form.locator("[name=unit]").select_option(str(city.top.pk))
    form.locator("[name=topic]").fill("防汛抢险指挥培训")
    form.locator("[name=held_on]").fill(timezone.localdate().isoformat())
    form.locator("[name=participants]").select_option(str(city.approver.pk))
    form.locator("[name=teams]").select_option(str(city.team.pk))
    form.locator("button[type=submit]").click()
    expect(page.locator("[data-testid=training-sessions]")).to_contain_text("防汛抢险指挥培训")
    expect(page.locator("[data-testid=training-due]")).not_to_contain_text(city.approver.full_name)
    expect(page.locator("[data-testid=training-due]")).not_to_contain_text(city.team.name)

    _as(page, base, principal)
    page.click("[data-testid=resource-tabs] >> text=奖惩与责任追究")
    page.locator("select[name=unit]").select_option(str(city.township.pk))
    page.locator("form.filters button[type=submit]").click()
    finding = page.locator(f"[data-finding='deadline:{deadline.pk}']")
    expect(finding).to_contain_text("迟报、漏报")
    form = page.locator("[data-testid=sanction-form]")
    form.locator("[name=kind]").select_option("sanction")
    form.locator("[name=finding]").select_option(f"deadline:{deadline.pk}")
    form.locator("[name=subject]").fill("根竹镇值班员")
    form.locator("[name=decision]").fill("通报批评")
    form.locator("[name=decided_on]").fill(timezone.localdate().isoformat())
    form.locator("button[type=submit]").click()
    expect(finding).to_contain_text("通报批评")
