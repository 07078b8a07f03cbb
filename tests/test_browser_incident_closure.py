"""The county's duty officer finds on the incident page that a report duplicates another, closes
it with the reason; the page says so, its clocks stop, and the annual review counts it apart."""
import pytest
from playwright.sync_api import expect

from emergency.org.roles import Role

from .browser import needs_chromium, sign_in
from .factories import PASSWORD, user_with_role
from .response_helpers import incident_in, organisation

pytestmark = [pytest.mark.browser, needs_chromium]


def test_a_duplicate_report_is_closed_through_the_incident_page(live_server, page, grading_tables):
    city = organisation("city")
    first, second = incident_in(city), incident_in(city)
    officer = user_with_role(Role.DUTY_OFFICER, city.sub)
    sign_in(page, live_server.url, officer.username, PASSWORD)
    page.goto(f"{live_server.url}/incidents/{second.pk}/")
    form = page.locator("[data-testid=close-form]")
    form.locator("summary").click()
    form.locator("[name=reason]").select_option("duplicate")
    form.locator("button[type=submit]").click()  # no explanation: the browser asks for it
    assert page.locator("[data-testid=closure]").count() == 0
    form.locator("[name=explanation]").fill("同一起仓库爆炸，两名群众分别报告。")
    form.locator("button[type=submit]").click()
    expect(page.locator(".messages")).to_contain_text("请指明与之重复的事件")
    form = page.locator("[data-testid=close-form]")
    form.locator("summary").click()
    form.locator("[name=reason]").select_option("duplicate")
    form.locator("[name=duplicate_of]").select_option(str(first.pk))
    form.locator("[name=explanation]").fill("同一起仓库爆炸，两名群众分别报告。")
    form.locator("button[type=submit]").click()
    expect(page.locator(".messages")).to_contain_text("已按非突发事件关闭")
    expect(page.locator("[data-testid=closure]")).to_contain_text(first.number)
    from django.utils import timezone

    page.goto(f"{live_server.url}/incidents/review/?year={timezone.localtime().year}")
    expect(page.locator("[data-testid=not-incidents]")).to_contain_text("与其他事件重复: 1")
