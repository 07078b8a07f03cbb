"""A duty officer types a few Chinese characters in the top bar's search box, finds the incident,
its report and the county's people, never another organisation's incident, and opens the hit."""
import pytest
from django.utils import timezone
from playwright.sync_api import expect

from emergency.org.roles import Role
from incidents import services as incident_services

from .browser import needs_chromium, sign_in
from .factories import PASSWORD, UnitFactory, user_with_role
from .response_helpers import organisation

pytestmark = [pytest.mark.browser, needs_chromium]


def _log(officer, unit, title, body):
    now = timezone.now()
    return incident_services.incident_log(actor=officer, unit=unit, type_code="work_safety", title=title,
                                          address="平天山林场", occurred_at=now, received_at=now, body=body,
                                          metrics={"deaths": 1})


def test_the_top_bar_search_finds_the_units_own_incident_and_opens_it(live_server, page, grading_tables):
    city = organisation("city")
    officer = user_with_role(Role.DUTY_OFFICER, city.sub, full_name="覃海燕")
    fire = _log(officer, city.sub, "平天山森林火灾", "首报：过火面积约120公顷，已调派扑火队伍。")
    other = UnitFactory(code="elsewhere", name="乙市")
    _log(user_with_role(Role.DUTY_OFFICER, other), other, "乙市森林火灾", "首报：乙市森林火灾。")

    sign_in(page, live_server.url, officer.username, PASSWORD)
    box = page.locator("[data-testid=search-box] input[name=q]")
    box.fill("森林火")
    box.press("Enter")
    hits = page.locator("[data-testid=hits-incident]")
    expect(hits).to_contain_text("平天山森林火灾")
    expect(hits).not_to_contain_text("乙市")
    assert "乙市" not in page.locator("main").inner_text()

    page.locator("[data-testid=search-box] input[name=q]").fill("扑火队伍")
    page.locator("[data-testid=search-box] button").click()
    expect(page.locator("[data-testid=hits-report]")).to_contain_text(fire.number)
    page.locator("[data-testid=search-box] input[name=q]").fill("海燕")
    page.locator("[data-testid=search-box] input[name=q]").press("Enter")
    expect(page.locator("[data-testid=hits-person]")).to_contain_text("覃海燕")

    page.locator("[data-testid=search-box] input[name=q]").fill("！？")
    page.locator("[data-testid=search-box] input[name=q]").press("Enter")
    expect(page.locator("[data-testid=search-error]")).to_contain_text("请输入要查找的编号、名称或几个字")

    page.locator("[data-testid=search-box] input[name=q]").fill("平天山")
    page.locator("[data-testid=search-box] input[name=q]").press("Enter")
    page.locator("[data-testid=hits-incident] a", has_text="平天山森林火灾").click()
    expect(page).to_have_url(f"{live_server.url}/incidents/{fire.pk}/")

    page.click("button[name=language][value=en]")
    page.locator("[data-testid=search-box] input[name=q]").fill("森林")
    page.locator("[data-testid=search-box] input[name=q]").press("Enter")
    expect(page.locator("h1")).to_have_text("Search")
    expect(page.locator("[data-testid=hits-incident] h2")).to_have_text("Incidents")
