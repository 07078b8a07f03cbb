"""The plan pages on a laptop (1440 px) and a phone (375 px), in Chinese and English: nothing runs off
the side, the English page names the route steps in English, the Chinese one in the plan's words.
With PLAN_SHOTS=<dir> it also saves screenshots there (docs/screens/ holds the committed ones)."""
import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from plans import services

from .browser import needs_chromium, sign_in
from .factories import PASSWORD
from .plan_helpers import plan_org
from .test_plan_edge import FOUR, _people, _through

pytestmark = [pytest.mark.browser, needs_chromium]
SHOTS = os.environ.get("PLAN_SHOTS")
WIDTHS = {1440: 900, 375: 812}
OVERFLOW = "() => document.documentElement.scrollWidth - innerWidth"


def _plan_with_two_editions():
    org = plan_org()
    plan = services.plan_create(actor=org.admin, unit=org.top, plan_type="general", title="贵港市突发事件总体应急预案",
                                sections=FOUR)
    people = _people(org)
    _through(services.version_submit(actor=org.admin, version=plan.versions.get()), people,
             ["admin", "principal", "admin", "admin"])
    edited = [dict(s) for s in FOUR]
    edited[0]["body"] = "适用于本市行政区域内突发事件的应对工作。"
    _through(services.version_submit(actor=org.admin, version=services.version_start(
        actor=org.admin, plan=plan, sections=edited, change_summary="扩大适用范围")), people, ["principal", "admin"])
    services.revision_request_file(actor=org.admin, plan=plan, trigger="risk_changed", description="新建化工园区")
    services.version_start(actor=org.admin, plan=plan, sections=edited, change_summary="调整保障")
    return org, plan


def test_the_plan_pages_fit_a_phone_and_a_laptop_in_both_languages(live_server, browser, transactional_db):
    org, plan = _plan_with_two_editions()
    pages = {"plan-tree": "/plans/", "plan-detail": f"/plans/{plan.pk}/", "plan-diff": f"/plans/{plan.pk}/diff/",
             "plan-public-suggest": "/public/plans/suggest/"}
    for language in ("zh", "en"):
        for width, height in WIDTHS.items():
            context = browser.new_context(locale="zh-CN", viewport={"width": width, "height": height})
            page = context.new_page()
            sign_in(page, live_server.url, org.admin.username, PASSWORD)
            if language == "en":
                page.click("button[name=language][value=en]")
            for name, path in pages.items():
                page.goto(live_server.url + path)
                if name == "plan-detail":
                    expect(page.locator("[data-testid=editions]")).to_contain_text(
                        "superseded" if language == "en" else "已被替代")
                    expect(page.locator("[data-testid=route]")).to_contain_text(
                        "Approval by the government of its level" if language == "en" else "报请本级政府批准")
                if SHOTS:
                    Path(SHOTS).mkdir(parents=True, exist_ok=True)
                    page.screenshot(path=f"{SHOTS}/{name}-{language}-{width}.png", full_page=True)
                assert page.evaluate(OVERFLOW) <= 0, (name, language, width)
            context.close()
