"""Issue 15, journey 3, through pages alone after the demo load: a duty officer drafts a warning and
draws its area on the map; the commander (the authority of its level) issues it, adjusts it to
orange with a new title and assigns a measure; the commander's escalation is refused naming the lead
department and logs nothing; the lead department's officer escalates it into an incident and a
response proposal at once; the commander lifts it and the open measure is lifted, not done.

With SCREENS=1 the main warning pages are photographed into docs/screens/ (zh and en, 1440 and 375 px)."""
import os
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from emergency.org.demo import DEMO_PASSWORD

from .browser import needs_chromium, sign_in

pytestmark = [pytest.mark.browser, needs_chromium]


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "zh-CN"}  # a Chinese browser: its date fields read 年/月/日
SCREENS = Path(__file__).resolve().parent.parent / "docs" / "screens"


def _as(page, base: str, username: str) -> None:
    page.context.clear_cookies()
    sign_in(page, base, username, DEMO_PASSWORD)


def _open(page, title: str) -> None:
    page.click("[data-nav=warnings]")
    page.locator("main td a", has_text=title).first.click()
    expect(page.locator("h1")).to_contain_text(title)


def _shoot(page, name: str) -> None:
    if not os.environ.get("SCREENS"):
        return
    SCREENS.mkdir(parents=True, exist_ok=True)
    url = page.url
    for language in ("zh", "en"):
        page.context.add_cookies([{"name": "django_language", "value": "zh-hans" if language == "zh" else "en",
                                   "url": url}])
        for width in (1440, 375):
            page.set_viewport_size({"width": width, "height": 900})
            page.goto(url)
            page.wait_for_load_state("networkidle")
            page.screenshot(path=str(SCREENS / f"{name}-{language}-{width}.png"), full_page=True)
    page.context.add_cookies([{"name": "django_language", "value": "zh-hans", "url": url}])
    page.set_viewport_size({"width": 1440, "height": 900})
    page.goto(url)


def test_a_warning_is_drafted_issued_adjusted_escalated_and_lifted_through_pages(live_server, page,
                                                                                 grading_tables):
    call_command("load_demo", verbosity=0)
    base = live_server.url
    page.set_viewport_size({"width": 1440, "height": 900})

    # the duty officer drafts it: the level is chosen, the area drawn
    _as(page, base, "gg-duty")
    page.click("[data-nav=warnings]")
    page.click("[data-testid=new-warning]")
    expect(page.locator("[name=level]")).to_have_value("")
    page.select_option("[name=type_code]", "flood_drought")
    page.select_option("[name=level]", "3")
    page.fill("[name=title]", "郁江洪水黄色预警")
    page.fill("[name=signs]", "上游持续强降雨，郁江贵港站水位上涨")
    page.fill("[name=assessment]", "研判48小时内超警戒水位")
    page.fill("[name=points]", "郁江沿岸低洼地带可能受淹")
    page.fill("[name=measures_text]", "沿江群众做好转移准备")
    page.fill("[name=area_desc]", "港北区郁江沿岸")
    canvas = page.locator("[data-testid=draw-map]")
    for x, y in ((200, 120), (320, 120), (320, 220), (200, 220)):
        canvas.click(position={"x": x, "y": y})
    polygon = page.locator("[name=polygon]").input_value()
    assert len(polygon.split(" ")) == 5 and polygon.split(" ")[0] == polygon.split(" ")[-1]
    page.click("[data-testid=save-warning]")
    expect(page.locator("[data-testid=warning-state]")).to_have_text("草稿")
    expect(page.locator("[data-testid=warning-assessment]")).to_have_text("研判48小时内超警戒水位")
    expect(page.locator("[data-testid=issue-form]")).to_have_count(0)  # a duty officer does not issue

    # the commander issues, adjusts and assigns a measure
    _as(page, base, "gg-commander")
    _open(page, "郁江洪水黄色预警")
    page.click("[data-testid=issue]")
    expect(page.locator("[data-testid=warning-state]")).to_have_text("已发布")
    expect(page.locator("[data-testid=messages]")).to_contain_text("发布")
    adjust = page.locator("[data-testid=warning-adjust-form]")
    expect(adjust.locator("[name=level] option")).to_contain_text(["一级（红色）", "二级（橙色）", "三级（黄色）", "四级（蓝色）"])
    assert not [t for t in adjust.locator("[name=level] option").all_inner_texts() if t.strip().isdigit()]  # not 1 2 3 4
    adjust.locator("[name=level]").select_option("2")
    adjust.locator("[name=title]").fill("郁江洪水橙色预警")
    page.click("[data-testid=warning-adjust]")
    expect(page.locator("[data-testid=warning-level]")).to_have_text("二级（橙色）")
    expect(page.locator("h1")).to_contain_text("郁江洪水橙色预警")
    assign = page.locator("[data-testid=warning-assign-measure-form]")
    assign.locator("[name=key]").select_option("evacuation")
    assign.locator("[name=department]").select_option(label="市应急管理局")
    page.click("[data-testid=warning-assign-measure]")
    expect(page.locator("[data-measure=evacuation]")).to_contain_text("待办")
    _shoot(page, "warning-detail")

    # the commander cannot propose: both or neither, and who must
    page.once("dialog", lambda dialog: dialog.accept())
    page.fill("[data-testid=escalate-form] [name=body]", "郁江堤防出现管涌")
    page.select_option("[data-testid=escalate-form] [name=lead_department]", label="市应急管理局")
    page.click("[data-testid=escalate]")
    expect(page.locator(".messages, [role=alert]").first).to_contain_text("市应急管理局")
    expect(page.locator("[data-testid=warning-state]")).to_have_text("已发布")

    # the lead department's officer escalates: the incident and the proposal together
    _as(page, base, "gg-lead")
    _open(page, "郁江洪水橙色预警")
    page.once("dialog", lambda dialog: dialog.accept())
    page.fill("[data-testid=escalate-form] [name=body]", "郁江堤防出现管涌，需转入应急响应")
    page.select_option("[data-testid=escalate-form] [name=lead_department]", label="市应急管理局")
    page.click("[data-testid=escalate]")
    expect(page.locator("[data-testid=pending-proposal]")).to_contain_text("启动二级响应")

    # the commander lifts it; the open measure is lifted with it
    _as(page, base, "gg-commander")
    _open(page, "郁江洪水橙色预警")
    expect(page.locator("[data-testid=warning-state]")).to_have_text("已转入应急响应")
    page.once("dialog", lambda dialog: dialog.accept())
    page.fill("[data-testid=warning-lift-form] [name=reason]", "水位回落，险情解除")
    page.click("[data-testid=warning-lift]")
    expect(page.locator("[data-testid=warning-state]")).to_have_text("已解除")
    expect(page.locator("[data-measure=evacuation] [data-testid=measure-status]")).to_have_text("随预警解除")
    page.click("[data-nav=warnings]")
    _shoot(page, "warning-list")
    page.click("[data-testid=new-warning]")
    _shoot(page, "warning-form")
