"""A commander issues a level-3 (yellow) warning and escalates it into a response proposal."""
import pytest
from playwright.sync_api import expect

from alerts.models import WarningAuthority
from emergency.org.roles import Role
from incidents.response.models import Proposal

from .browser import needs_chromium, sign_in
from .factories import PASSWORD, user_with_role
from .response_helpers import organisation

pytestmark = [pytest.mark.browser, needs_chromium]


def test_issue_a_yellow_warning_and_escalate_it(live_server, page, grading_tables):
    city = organisation("city")
    WarningAuthority.objects.create(organisation=city.top, level=3, roles=[Role.COMMANDER])
    commander = user_with_role(Role.COMMANDER, city.sub)
    commander.role_assignments.create(unit=city.top, role=Role.LEAD_OFFICER, department=city.lead)
    sign_in(page, live_server.url, commander.username, PASSWORD)
    page.click("[data-nav=warnings]")
    page.click("[data-testid=new-warning]")
    page.select_option("[name=unit]", str(city.sub.pk))
    page.select_option("[name=type_code]", "flood_drought")
    page.select_option("[name=level]", "3")
    page.fill("[name=title]", "郁江洪水黄色预警")
    page.fill("[name=signs]", "上游强降雨，水位持续上涨")
    page.fill("[name=points]", "沿江低洼地带注意防范")
    page.fill("[name=area_desc]", "港北区郁江沿岸")
    page.fill("[name=circle]", "23.11,109.60 15")
    page.click("[data-testid=save-warning]")
    expect(page.locator("[data-testid=warning-state]")).to_have_text("草稿")
    page.click("[data-testid=issue]")
    expect(page.locator("[data-testid=warning-state]")).to_have_text("已发布")
    expect(page.locator("[data-testid=warning-level]")).to_have_text("三级（黄色）")
    expect(page.locator("[data-testid=messages]")).to_contain_text("CAP")
    detail = page.url
    page.click("[data-nav=warnings]")
    expect(page.locator("[data-testid=warning-map] path.leaflet-interactive")).to_have_count(1)
    page.goto(detail)
    page.fill("[data-testid=escalate-form] [name=body]", "郁江堤防出现管涌，需转入应急响应。")
    page.select_option("[data-testid=escalate-form] [name=lead_department]", str(city.lead.pk))
    page.click("[data-testid=escalate]")
    expect(page.locator("[data-testid=pending-proposal]")).to_contain_text("启动三级响应")
    assert Proposal.objects.get().level == 3
