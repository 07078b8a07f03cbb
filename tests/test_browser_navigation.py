"""Each role signs in through the real login page and sees its own navigation, in Chinese then English."""
import pytest
from playwright.sync_api import expect

from emergency.org.roles import DEPARTMENT_ROLES, Role

from .browser import needs_chromium, sign_in
from .factories import PASSWORD, UnitFactory, user_with_role

pytestmark = [pytest.mark.browser, needs_chromium]

COMMON = ["home", "dashboard", "warnings", "incidents", "late", "review", "resources", "plans", "grading", "org",
          "experts"]
DECIDING = ["home", "dashboard", "warnings", "incidents", "response-list", "response-inbox", "late", "review",
            "resources", "plans", "grading", "org", "experts"]
COPIED = DECIDING[:8] + ["copies"] + DECIDING[8:]  # a department's people acknowledge the copies sent to it
EXPECTED_NAV = {
    Role.DUTY_OFFICER: COMMON[:4] + ["response-list"] + COMMON[4:6] + ["copies"] + COMMON[6:],  # decides none
    Role.LEAD_OFFICER: COPIED,
    Role.COMMANDER: DECIDING,
    Role.PRINCIPAL: DECIDING + ["audit"],
    Role.PARTY_COMMITTEE: DECIDING,
    Role.LEADER_IN_CHARGE: DECIDING,
    Role.DEPARTMENT_PRINCIPAL: COPIED,
    Role.PLAN_ADMIN: COMMON[:9] + ["key-periods"] + COMMON[9:] + ["departments"],
    Role.SYSTEM_ADMIN: COMMON[:9] + ["key-periods"] + COMMON[9:] + ["departments", "people", "audit", "api"],
}


def test_each_role_sees_its_own_navigation(live_server, page, transactional_db):
    from .factories import DepartmentFactory

    unit = UnitFactory(name="贵港市", name_en="Guigang City")
    department = DepartmentFactory(unit=unit, name="市应急管理局")
    for role, expected in EXPECTED_NAV.items():
        user = user_with_role(role, unit, department=department if role in DEPARTMENT_ROLES else None)
        page.context.clear_cookies()
        sign_in(page, live_server.url, user.username, PASSWORD)
        keys = page.locator("[data-testid=nav] a").evaluate_all("links => links.map(a => a.dataset.nav)")
        assert keys == expected, role
        assert page.locator(f"tr[data-role={role}]").count() == 1
        assert page.locator("[data-nav=home]").inner_text() == "工作台"
        for key in expected:  # every item leads to a working page
            page.click(f"[data-nav={key}]")
            # the API page's Swagger UI draws itself from its schema: slower on a loaded machine
            expect(page.locator("h1, #swagger-ui .info").first).to_be_visible(timeout=20_000)
        page.goto(live_server.url + "/")


def test_language_switches_to_english_and_back(live_server, page, transactional_db):
    unit = UnitFactory(name="西安海关", name_en="Xi'an Customs District")
    user = user_with_role(Role.DUTY_OFFICER, unit)
    sign_in(page, live_server.url, user.username, PASSWORD)
    assert page.locator("h1").inner_text() == "工作台"
    page.click("button[name=language][value=en]")
    page.wait_for_selector("text=Workbench")
    assert page.locator("[data-nav=org]").inner_text() == "Organisation"
    page.click("[data-nav=org]")
    assert page.locator("[data-testid=unit-tree]").inner_text().startswith("Xi'an Customs District")
    page.click("button[name=language][value=zh-hans]")
    page.wait_for_selector("text=组织机构")


def test_wrong_password_is_refused_with_a_clear_message(live_server, page, transactional_db):
    unit = UnitFactory()
    user = user_with_role(Role.DUTY_OFFICER, unit)
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", "wrong-password")
    page.click("main button[type=submit]")
    assert "用户名" in page.locator("[role=alert]").inner_text()
