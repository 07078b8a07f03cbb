"""Issue 15, journey 1, through pages alone after the demo load: the city's duty officer logs an incident
on the map, sees its grade and the reasons, sets the lead department from the incident page, sends the
initial report up, adds the follow-up and final reports and corrects the initial one. Then the pages a
duty officer uses in the field fit a 375 px phone, and the main pages are photographed for docs/screens."""
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from emergency.org.demo import DEMO_PASSWORD
from incidents.models import Incident

from .browser import needs_chromium, sign_in

pytestmark = [pytest.mark.browser, needs_chromium]
SCREENS = Path(__file__).resolve().parent.parent / "docs" / "screens"


def _log_on_the_map(page, title: str) -> None:
    page.click("[data-nav=incidents]")
    page.click("[data-testid=log-incident]")
    page.select_option("[name=type]", "work_safety")
    page.fill("[name=title]", title)
    page.fill("[name=address]", "港北区贵城街道物流园")
    page.click("#map", position={"x": 140, "y": 100})
    expect(page.locator("[name=latitude]")).not_to_have_value("")
    page.fill("[name=metric_deaths]", "3")
    expect(page.locator("[data-testid=grade-preview]")).to_contain_text("较大")
    page.fill("[name=body]", "首报：物流园仓库爆炸，3人死亡，现场已封控，消防正在处置。")
    page.click("[data-testid=submit-incident]")


def _report(page, kind: str, body: str, deaths: str) -> None:
    form = page.locator("[data-testid=report-form]")
    form.locator("[name=kind]").select_option(kind)
    form.locator("[name=body]").fill(body)
    form.locator("[name=metric_deaths]").fill(deaths)
    form.locator("[data-testid=submit-report]").click()
    expect(page.locator(".messages")).to_contain_text("报告已提交")


def test_journey_1_the_duty_officer_logs_reports_up_and_corrects(live_server, browser, grading_tables):
    call_command("load_demo")
    context = browser.new_context(locale="zh-CN", viewport={"width": 1440, "height": 900})
    page = context.new_page()
    sign_in(page, live_server.url, "gg-duty", DEMO_PASSWORD)
    _log_on_the_map(page, "港北区物流园仓库爆炸")

    expect(page.locator(".messages")).to_contain_text("已登记")
    expect(page.locator("[data-testid=incident-grade]")).to_contain_text("较大")
    expect(page.locator("[data-testid=grade-reasons]")).to_contain_text("3")
    expect(page.locator("[data-testid=lead-department]")).to_have_text("—")

    lead = page.locator("[data-testid=lead-form]")  # the duty officer names the lead department on receipt
    lead.locator("[name=department]").select_option(label="市应急管理局")
    lead.locator("button[type=submit]").click()
    expect(page.locator(".messages")).to_contain_text("已确定牵头部门：市应急管理局")
    expect(page.locator("[data-testid=lead-department]")).to_have_text("市应急管理局")

    page.click("[data-testid=send-report-1]")
    expect(page.locator(".messages")).to_contain_text("已报送上级")
    expect(page.locator("[data-deadline=superior_report]")).to_have_attribute("data-state", "met")
    expect(page.locator("[data-testid=send-report-1]")).to_have_count(0)  # sent once

    _report(page, "follow_up", "续报：搜救发现第4、5名遇难者，死亡人数升至5人。", "5")
    expect(page.locator("[data-testid=timeline]")).to_contain_text("续报")
    _report(page, "final", "终报：事故共造成5人死亡，现场处置结束。", "5")
    expect(page.locator("[data-testid=report-form]")).to_have_count(0)  # after the final report, corrections only

    page.locator("[data-testid=correct-report-1-form]").locator("xpath=..").locator("summary").click()
    correction = page.locator("[data-testid=correct-report-1-form]")
    correction.locator("[name=correction_reason]").fill("首报事发地点有误")
    correction.locator("[name=body]").fill("首报更正：事发地点为港北区港城街道物流园。")
    correction.locator("[data-testid=correct-report-1]").click()
    expect(page.locator(".messages")).to_contain_text("更正已提交")
    expect(page.locator("[data-testid=report-label-4]")).to_have_text("#4 更正（首报 #1）")
    expect(page.locator("[data-testid=timeline]")).not_to_contain_text("#4 首报")

    incident = Incident.objects.get()
    assert incident.lead_department.name == "市应急管理局"
    assert [r.kind for r in incident.reports.order_by("sequence")] == ["initial", "follow_up", "final", "initial"]
    assert incident.reports.get(sequence=4).corrects.sequence == 1
    context.close()


WIDTH = "() => document.documentElement.scrollWidth"
# the cards whose content runs off their right edge (they scroll sideways inside the page)
CARDS_SCROLLING = "() => [...document.querySelectorAll('main .card')].filter(c => c.scrollWidth > c.clientWidth + 1).length"


def test_the_main_incident_pages_fit_a_phone_and_read_in_both_languages(live_server, browser, grading_tables):
    """Issue 15: at 375 px the incident form was 570 px wide and the list 638 px; the grading tables'
    state and criteria columns sat off-screen in a card that scrolled. Each page is
    photographed in Chinese and English, at 1440 px and 375 px, into docs/screens/."""
    call_command("load_demo")
    SCREENS.mkdir(parents=True, exist_ok=True)
    incident = None
    for language, locale in (("zh", "zh-CN"), ("en", "en-US")):
        for width in (1440, 375):
            context = browser.new_context(locale=locale, viewport={"width": width, "height": 900})
            page = context.new_page()
            sign_in(page, live_server.url, "gg-duty", DEMO_PASSWORD)
            if incident is None:
                _log_on_the_map(page, "港北区物流园仓库爆炸")
                expect(page.locator("[data-testid=incident-grade]")).to_contain_text("较大")
                incident = Incident.objects.get()
            pages = {"incident-form": "/incidents/new/", "incident-list": "/incidents/",
                     "incident-detail": f"/incidents/{incident.pk}/", "grading-tables": "/grading/"}
            for name, path in pages.items():
                page.goto(live_server.url + path)
                page.wait_for_load_state("networkidle")
                if name == "incident-form":
                    page.select_option("[name=type]", "work_safety")
                    page.fill("[name=metric_deaths]", "3")
                    expect(page.locator("[data-testid=grade-preview]")).to_contain_text(
                        "较大" if language == "zh" else "III")
                assert page.evaluate(WIDTH) <= width, f"{name} is {page.evaluate(WIDTH)} px wide at {width} px"
                if name in ("incident-list", "grading-tables"):  # read on a phone without scrolling sideways
                    assert page.evaluate(CARDS_SCROLLING) == 0, f"{name} has a card scrolling sideways at {width} px"
                if name == "grading-tables" and width == 375:
                    state = page.locator("[data-testid=tables] tbody tr td").nth(2)
                    assert state.bounding_box()["x"] + state.bounding_box()["width"] <= width, "the state is off-screen"
                page.screenshot(path=str(SCREENS / f"{name}-{language}-{width}.png"), full_page=True)
            if language == "en":
                page.goto(f"{live_server.url}/incidents/{incident.pk}/")
                figures = page.locator("main").inner_text()
                assert "Deaths: 3 people" in figures and "死亡人数" not in figures
            context.close()
