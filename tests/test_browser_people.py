"""Journey 5 of issue 15, through pages alone after the demo load: 贵港市's system administrator
adds a duty officer for 港北区, grants and withdraws a role, sets a new password (the officer signs in
with it), and deactivates the account (the officer can no longer sign in); 西安海关's people are
never shown. At 375 px the navigation waits behind a menu button and no page is wider than the phone.
With PEOPLE_SHOTS=<dir> the main pages are saved there, zh and en, 1440 and 375 px."""
import os
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from .browser import needs_chromium, sign_in

pytestmark = [pytest.mark.browser, needs_chromium]

DEMO_PASSWORD = "demo-pass-2026"
SHOTS = os.environ.get("PEOPLE_SHOTS")


def _option(page, form: str, field: str, text: str) -> str:
    """The value of the option whose text (indented by the tree) is `text`."""
    options = page.locator(f"[data-testid={form}-form] [name={field}] option")
    return next(options.nth(i).get_attribute("value") for i in range(options.count())
                if options.nth(i).inner_text().strip() == text)


def _sign_out(page):
    page.click("header form[action$='/logout/'] button")


def test_the_system_administrator_manages_people_in_the_platforms_pages(live_server, page, grading_tables):
    call_command("load_demo")
    page.on("dialog", lambda dialog: dialog.accept())
    sign_in(page, live_server.url, "gg-sysadmin", DEMO_PASSWORD)
    page.click("[data-action=add-user]")
    expect(page.locator("h1")).to_have_text("用户与角色")
    people = page.locator("[data-testid=people]").inner_text()
    assert "gg-duty" in people and "xa-" not in people  # another organisation's people are not there
    form = "[data-testid=user-add-form]"
    page.fill(f"{form} [name=username]", "gg-gangbei-duty")
    page.fill(f"{form} [name=full_name]", "韦海燕")
    page.fill(f"{form} [name=phone]", "0775-4567890")
    page.fill(f"{form} [name=password]", "Xunjiang-7394-rain")
    page.select_option(f"{form} [name=unit]", _option(page, "user-add", "unit", "港北区"))
    page.select_option(f"{form} [name=role]", "duty_officer")
    page.click("[data-testid=user-add]")
    expect(page.locator(".messages")).to_contain_text("用户已添加")
    expect(page.locator("h1")).to_contain_text("韦海燕")
    expect(page.locator("[data-testid=person-roles] tr[data-role=duty_officer]")).to_contain_text("港北区")

    grant = "[data-testid=user-grant-form]"
    page.select_option(f"{grant} [name=unit]", _option(page, "user-grant", "unit", "港北区"))
    page.select_option(f"{grant} [name=role]", "commander")
    page.click("[data-testid=user-grant]")
    expect(page.locator(".messages")).to_contain_text("角色已授予")
    expect(page.locator("[data-testid=person-roles] tr[data-role=commander]")).to_have_count(1)
    page.click("[data-testid=withdraw-commander]")
    expect(page.locator(".messages")).to_contain_text("角色已撤销")
    expect(page.locator("[data-testid=person-roles] tr[data-role=commander]")).to_have_count(0)

    page.fill("[data-testid=user-reset-password-form] [name=password]", "123")
    page.click("[data-testid=user-reset-password]")
    expect(page.locator("[data-testid=user-reset-password-form] .error").first).to_be_visible()
    page.fill("[data-testid=user-reset-password-form] [name=password]", "Yujiang-river-5821")
    page.click("[data-testid=user-reset-password]")
    expect(page.locator(".messages")).to_contain_text("密码已设置")
    _sign_out(page)

    sign_in(page, live_server.url, "gg-gangbei-duty", "Yujiang-river-5821")
    expect(page.locator("h1")).to_have_text("工作台")
    expect(page.locator("tr[data-role=duty_officer]")).to_contain_text("港北区")
    assert page.locator("[data-nav=people]").count() == 0
    _sign_out(page)

    sign_in(page, live_server.url, "gg-sysadmin", DEMO_PASSWORD)
    page.click("[data-nav=people]")
    page.click("[data-person=gg-gangbei-duty] a")
    page.fill("[data-testid=user-deactivate-form] [name=reason]", "调离港北区应急管理局")
    page.click("[data-testid=user-deactivate]")
    expect(page.locator(".messages")).to_contain_text("账号已停用")
    expect(page.locator("[data-testid=account-state]")).to_have_text("已停用")
    expect(page.locator("[data-testid=user-reactivate-form]")).to_be_visible()
    page.click("[data-nav=audit]")
    audit = page.locator("[data-testid=audit-entries]").inner_text()
    for named in ("添加用户", "授予角色", "撤销角色", "重置密码", "停用账号"):
        assert named in audit, named
    assert "user.create" not in audit and "role.assign" not in audit
    _sign_out(page)

    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", "gg-gangbei-duty")
    page.fill("input[name=password]", "Yujiang-river-5821")
    page.click("main button[type=submit]")
    expect(page.locator("[role=alert]")).to_be_visible()
    assert page.locator("[data-testid=nav]").count() == 0


PAGES = {"workbench": "/", "people": "/org/people/", "org-tree": "/org/", "audit-log": "/audit/",
         "dashboard": "/dashboard/"}


def test_at_375_px_the_menu_waits_behind_a_button_and_no_page_is_wider_than_the_phone(
        live_server, browser, grading_tables):
    call_command("load_demo")
    for language in ("zh-hans", "en"):
        for width, height in ((375, 812), (1440, 900)):
            context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN")
            page = context.new_page()
            sign_in(page, live_server.url, "gg-sysadmin", DEMO_PASSWORD)
            if language == "en":
                page.click("button[name=language][value=en]")
                expect(page.locator("h1")).to_have_text("Workbench")
            for name, path in PAGES.items():
                page.goto(live_server.url + path)
                page.wait_for_load_state("networkidle")
                if width == 375:
                    assert not page.locator("[data-nav=people]").is_visible(), name
                    assert page.locator("h1").first.bounding_box()["y"] < 200, name  # the page starts on screen one
                    wide = page.evaluate("document.documentElement.scrollWidth - innerWidth")
                    assert wide <= 0, (language, name, wide)
                else:
                    assert not page.locator("[data-testid=menu-button]").is_visible()
                    assert page.locator("[data-nav=people]").is_visible()
                if SHOTS:
                    Path(SHOTS).mkdir(parents=True, exist_ok=True)
                    lang = "zh" if language == "zh-hans" else "en"
                    page.screenshot(path=f"{SHOTS}/{name}-{lang}-{width}.png", full_page=True)
            if width == 375:
                page.click("[data-testid=menu-button]")
                expect(page.locator("[data-nav=people]")).to_be_visible()
                page.click("[data-nav=people]")
                expect(page.locator("[data-testid=people]")).to_be_visible()
                assert not page.locator("[data-nav=audit]").is_visible()  # closed again on the next page
            context.close()
