"""A plan administrator creates a special plan, sends it through its route to published and filed,
records a drill and sees the next drill's due date move."""
import pytest
from django.utils import timezone
from playwright.sync_api import expect

from emergency.org.roles import Role

from .browser import needs_chromium, sign_in
from .factories import PASSWORD, user_with_role
from .plan_helpers import plan_org

pytestmark = [pytest.mark.browser, needs_chromium]


def test_a_special_plan_from_draft_to_filed_then_a_drill(live_server, page, transactional_db):
    from plans import services

    org = plan_org()
    general = services.plan_create(actor=org.admin, unit=org.top, plan_type="general", title="贵港市突发事件总体应急预案",
                                   sections=[{"title": "1 总则", "body": "总体要求"}])
    lead = user_with_role(Role.LEAD_OFFICER, org.top, department=org.lead)
    principal = user_with_role(Role.PRINCIPAL, org.top)
    lead.role_assignments.create(unit=org.top, role=Role.PLAN_ADMIN)  # one officer drafts and files
    sign_in(page, live_server.url, lead.username, PASSWORD)
    page.click("[data-nav=plans]")
    page.click("[data-testid=new-plan]")
    page.select_option("[name=unit]", str(org.top.pk))
    page.select_option("[name=plan_type]", "special")
    page.fill("[name=title]", "贵港市危险化学品事故专项应急预案")
    page.select_option("[name=parent]", str(general.pk))
    page.select_option("[name=lead_department]", str(org.lead.pk))
    page.fill("[name=sections]", "## 1 总则\n适用于危化品事故。\n## 2 组织指挥体系\n市应急管理局牵头。")
    page.click("[data-testid=create-plan]")
    expect(page.locator("[data-testid=plan-state]")).to_have_text("草稿")
    page.click("[data-testid=submit-version]")
    page.select_option("[data-testid=opinions-form] [name=departments]", str(org.lead.pk))
    page.fill("[data-testid=opinions-form] [name=due_on]", (timezone.localdate() + timezone.timedelta(days=7)).isoformat())
    page.click("[data-testid=opinions-form] button[type=submit]")
    page.fill("[data-testid=opinions] [name=opinion]", "同意，无修改意见。")
    page.click("[data-testid=opinions] button[type=submit]")
    for _ in range(2):  # consultation and expert review by the lead department
        page.click("[data-testid=step-form] button[type=submit]")
    expect(page.locator("[data-testid=next-step]")).to_have_text("上报同级政府批准")
    page.context.clear_cookies()
    sign_in(page, live_server.url, principal.username, PASSWORD)
    page.goto(page.url.split("/accounts")[0] + "/plans/")
    page.click("text=贵港市危险化学品事故专项应急预案")
    page.click("[data-testid=step-form] button[type=submit]")
    expect(page.locator("[data-testid=next-step]")).to_have_text("以政府办公室名义印发实施")
    page.context.clear_cookies()
    sign_in(page, live_server.url, lead.username, PASSWORD)
    page.goto(live_server.url + "/plans/")
    page.click("text=贵港市危险化学品事故专项应急预案")
    page.click("[data-testid=step-form] button[type=submit]")  # issued (the officer is also plan admin)
    expect(page.locator("[data-testid=plan-state]")).to_have_text("已发布")
    first_due = page.locator("[data-testid=next-drill]").inner_text()
    page.click("[data-testid=step-form] button[type=submit]")  # filed
    expect(page.locator("[data-testid=step-form]")).to_have_count(0)
    held = timezone.localdate().replace(day=1)
    page.select_option("[data-testid=drills] [name=kind]", "tabletop")
    page.fill("[data-testid=drills] [name=held_on]", held.isoformat())
    page.click("[data-testid=record-drill]")
    expected = held.replace(year=held.year + 3).isoformat()
    expect(page.locator("[data-testid=next-drill]")).to_have_text(expected)
    assert first_due != expected or held == timezone.localdate()
