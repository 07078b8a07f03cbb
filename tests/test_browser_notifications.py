"""A commander gives an order on the response page; the lead department's officer, on the inbox
page of another browser, sees the bell count rise without a reload, marks it read, still finds it
under "to act on", follows its link to the response, acknowledges it, and it leaves "to act on"."""
import pytest
from playwright.sync_api import expect

from emergency.org.roles import Role
from incidents.response import command, services

from .browser import needs_chromium, sign_in
from .factories import PASSWORD, user_with_role
from .processes import asgi_server, server_login
from .response_helpers import incident_in, lead_officer, organisation

pytestmark = [pytest.mark.browser, needs_chromium]


def test_an_order_rings_the_bell_live_and_waits_until_acknowledged(browser, grading_tables):
    city = organisation("city")
    incident = incident_in(city)
    proposal = services.proposal_create(actor=lead_officer(city), incident=incident, level=2, reasons="二级")
    commander = user_with_role(Role.COMMANDER, city.top)
    response = services.proposal_decide(actor=commander, proposal=proposal, outcome="approved").response
    command.post_open(actor=commander, response=response, name="现场指挥部", location="物流园")
    officer = user_with_role(Role.LEAD_OFFICER, city.top, department=city.lead)
    server_login(commander, officer)
    with asgi_server() as server:
        desk = browser.new_context(locale="zh-CN").new_page()
        sign_in(desk, server.url, officer.username, PASSWORD)
        desk.goto(server.url + "/notifications/")
        expect(desk.locator("[data-testid=to-act-on]")).to_contain_text("暂无待办理事项")
        bell = desk.locator("[data-testid=bell]")
        expect(bell).to_have_attribute("data-live", "1")
        expect(desk.locator("[data-testid=bell-count]")).to_be_hidden()

        post = browser.new_context(locale="zh-CN").new_page()
        sign_in(post, server.url, commander.username, PASSWORD)
        post.goto(f"{server.url}/responses/{response.pk}/")
        orders = post.locator("[data-testid=orders]")
        orders.locator("[name=text]").fill("立即组织搜救被困人员")
        orders.locator("[name=department]").select_option(str(city.lead.pk))
        orders.locator("button[type=submit]").last.click()
        expect(post.locator("[data-testid=orders] tbody")).to_contain_text("立即组织搜救被困人员")

        expect(desk.locator("[data-testid=bell-count]")).to_have_text("1")  # pushed, no reload
        desk.click("[data-testid=bell]")
        waiting = desk.locator("[data-testid=to-act-on]")
        expect(waiting).to_contain_text("立即组织搜救被困人员")
        expect(desk.locator("[data-testid=to-act-on-count]")).to_have_text("1")
        desk.click("[data-testid=mark-all-read]")
        expect(desk.locator(".messages")).to_contain_text("已将 1 条通知标为已读")
        expect(desk.locator("[data-testid=bell-count]")).to_be_hidden()
        expect(waiting).to_contain_text("立即组织搜救被困人员")  # read, but not yet acted on

        waiting.locator("a", has_text="立即组织搜救被困人员").click()
        row = desk.locator("[data-testid=orders] tr", has_text="立即组织搜救被困人员")
        row.locator("[data-testid=acknowledge]").click()
        expect(desk.locator("[data-testid=orders] tr", has_text="立即组织搜救被困人员")).to_have_attribute(
            "data-status", "acknowledged")
        desk.click("[data-testid=bell]")
        expect(desk.locator("[data-testid=to-act-on]")).to_contain_text("暂无待办理事项")
        expect(desk.locator("[data-testid=notifications]")).to_contain_text("立即组织搜救被困人员")

        desk.click("button[name=language][value=en]")
        expect(desk.locator("h1")).to_have_text("Notifications")
        expect(desk.locator("[data-testid=notifications]")).to_contain_text("Order from the command post")
