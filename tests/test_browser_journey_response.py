"""Issue 15, journey 2, through pages alone after the demo load (贵港市): the duty officer logs an
incident and names the lead department; the lead department proposes a level; the right decider
finds it in the inbox, rejects it, is refused another level that is not theirs (the refusal names
who decides it), approves; the level is raised and lowered the same way; the command post opens with
a working group, an order is issued and acknowledged by the department; the city asks the autonomous
region for help and guidance, keeping command (city 3.3.3 "可請求自治區…幫助和指導"); the response is ended by the authority
of its level (谁启动、谁终止), and only by it; the investigation and assessment report is submitted and
the year's review counts the incident and the time its response took to start. Each page is reached
by clicking, as its user would. Actions are offered by right: the duty officer sees neither
提出响应级别建议 nor 下达命令, and nobody but the authority of the level sees the request for help or the end."""
import os
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from .browser import needs_chromium, sign_in

pytestmark = [pytest.mark.browser, needs_chromium]


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "zh-CN"}  # a Chinese browser: its date fields read 年/月/日
PASSWORD = "demo-pass-2026"
SHOTS = os.environ.get("RESPONSE_SHOTS")  # a directory: save the response pages there (zh/en, 1440/375 px)


def _shots(page, pages: dict[str, str]) -> None:
    for lang, code in (("zh", "zh-hans"), ("en", "en")):
        page.goto(next(iter(pages.values())))
        page.click(f"form.lang button[value='{code}']")  # the header's language switch
        for width, height in ((1440, 900), (375, 812)):
            page.set_viewport_size({"width": width, "height": height})
            for name, url in pages.items():
                page.goto(url)
                page.screenshot(path=str(Path(SHOTS) / f"{name}-{lang}-{width}.png"), full_page=True)
    page.click("form.lang button[value='zh-hans']")
    page.set_viewport_size({"width": 1280, "height": 720})


def _as(page, base: str, username: str) -> None:
    page.context.clear_cookies()
    sign_in(page, base, username, PASSWORD)


def _decide(page, base: str, title: str, outcome: str, *, level: str = "", reason: str = "") -> None:
    page.click("[data-nav=response-inbox]")
    card = page.locator("section.proposal", has_text=title)
    card.locator("[name=outcome]").select_option(outcome)
    if level:
        card.locator("[name=level]").select_option(level)
    if reason:
        card.locator("[name=reason]").fill(reason)
    card.locator("[data-testid=decide]").click()


def _open_incident(page, title: str) -> None:
    page.click("[data-nav=incidents]")
    page.locator("main tr", has_text=title).first.locator("a").first.click()
    expect(page.locator("h1")).to_contain_text(title)


def _open_response(page, title: str) -> None:
    page.click("[data-nav=response-list]")
    page.locator("[data-testid=response-table] a", has_text=title).first.click()
    expect(page.locator("[data-testid=response-title]")).to_be_visible()


def _propose(page, title: str, level: str, reasons: str) -> None:
    _open_incident(page, title)
    form = page.locator("[data-testid=propose-form]")
    form.locator("[name=level]").select_option(level)
    form.locator("[name=reasons]").fill(reasons)
    form.locator("[data-testid=propose]").click()
    expect(page.locator("[data-testid=pending-proposal]")).to_be_visible()


def test_journey_two_proposal_to_end_through_pages(live_server, page, grading_tables):
    call_command("load_demo")
    base = live_server.url
    page.on("dialog", lambda dialog: dialog.accept())  # operations marked dangerous ask to confirm
    title = "港北区物流园仓库爆炸事故"

    # The duty officer logs the incident and names the lead department; no proposal form for them.
    sign_in(page, base, "gg-duty", PASSWORD)
    page.click("[data-nav=incidents]")
    page.click("[data-testid=log-incident]")
    page.select_option("[name=type]", "work_safety")
    page.fill("[name=title]", title)
    page.fill("[name=address]", "港北区物流园")
    page.click("#map", position={"x": 120, "y": 90})
    page.fill("[name=metric_deaths]", "3")
    page.fill("[name=body]", "首报：物流园仓库发生爆炸，3人死亡，现场火势已得到初步控制。")
    page.click("[data-testid=submit-incident]")
    expect(page.locator("[data-testid=response-panel]")).to_be_visible()
    incident_url = page.url
    assert page.locator("[data-testid=propose-form]").count() == 0
    assert page.locator("main h3", has_text="提出响应级别建议").count() == 0
    lead_form = page.locator("form[action$='/lead-department/']")
    lead_form.locator("select").first.select_option(label="市应急管理局")
    lead_form.locator("button[type=submit]").click()
    expect(page.locator("[data-testid=lead-department]")).to_contain_text("市应急管理局")

    # The lead department proposes level 3 (较大: the city plan's 1.4.2 (2)).
    _as(page, base, "gg-lead")
    _propose(page, title, "3", "3人死亡，属较大生产安全事故，建议启动三级响应。")

    # Level 3 is decided by the leader in charge: not in the commander's inbox, in theirs.
    _as(page, base, "gg-commander")
    page.click("[data-nav=response-inbox]")
    expect(page.locator("main")).not_to_contain_text(title)
    _as(page, base, "gg-incharge")
    _decide(page, base, title, "rejected", reason="请补充现场伤亡核实情况后再报。")
    expect(page.locator(".messages")).to_contain_text("已作出决定")

    _as(page, base, "gg-lead")
    _propose(page, title, "3", "伤亡已核实：3人死亡，建议启动三级响应。")
    _as(page, base, "gg-incharge")
    _decide(page, base, title, "approved_other", level="2")  # level 2 is not theirs: the refusal says whose
    expect(page.locator(".messages")).to_contain_text("二级响应由")
    expect(page.locator(".messages")).to_contain_text("指挥长")
    _decide(page, base, title, "approved")
    expect(page.locator("[data-testid=response-level]")).to_have_text("三级响应")
    response_url = page.url

    # Raise to level 2 (the commander decides) and lower back to 3 (the leader in charge).
    _as(page, base, "gg-lead")
    _propose(page, title, "2", "火势蔓延至相邻仓库，建议提升至二级响应。")
    _as(page, base, "gg-commander")
    if SHOTS:
        _shots(page, {"inbox": f"{base}/responses/inbox/"})
    _decide(page, base, title, "approved")
    expect(page.locator("[data-testid=response-level]")).to_have_text("二级响应")
    _as(page, base, "gg-lead")
    _propose(page, title, "3", "火势已扑灭，建议降为三级响应。")
    _as(page, base, "gg-incharge")
    _decide(page, base, title, "approved")
    expect(page.locator("[data-testid=response-level]")).to_have_text("三级响应")
    expect(page.locator("[data-testid=level-history]")).to_contain_text("降低")

    # The command post, a working group, an order (the decision left the leader in charge on the response).
    post = page.locator("[data-testid=post-form]")
    expect(post.locator("label", has_text="指挥部名称")).to_be_visible()
    expect(post).not_to_contain_text("姓名")
    post.locator("[name=name]").fill("港北区物流园现场指挥部")
    post.locator("[name=location]").fill("港北区物流园北门")
    post.locator("[data-testid=post]").click()
    group = page.locator("[data-testid=group-form]")
    group.locator("[name=kind]").select_option("rescue")
    group.locator("[name=lead_department]").select_option(label="市应急管理局")
    group.locator("[data-testid=group]").click()
    expect(page.locator("[data-testid=groups]")).to_contain_text("抢险救援")
    order = page.locator("[data-testid=order-form]")
    expect(order.locator("[name=group] option")).not_to_contain_text(["WorkingGroup object"])
    order.locator("[name=text]").fill("组织消防救援力量搜救被困人员")
    order.locator("[name=group]").select_option(label="抢险救援组")
    order.locator("[data-testid=order]").click()
    expect(page.locator("[data-testid=orders]")).to_contain_text("组织消防救援力量搜救被困人员")

    # The duty officer is offered neither the order form nor the end of the response.
    _as(page, base, "gg-duty")
    _open_response(page, title)
    expect(page.locator("[data-testid=orders]")).to_contain_text("组织消防救援力量搜救被困人员")
    assert page.locator("[data-testid=order-form]").count() == 0
    assert page.locator("[data-testid=end-form]").count() == 0
    assert page.locator("main h3", has_text="下达命令").count() == 0

    # The department acknowledges the order.
    assert page.locator("[data-testid=transfer-form]").count() == 0
    _as(page, base, "gg-lead")
    _open_response(page, title)
    page.locator("[data-testid=acknowledge]").click()
    expect(page.locator("[data-testid=order-status]")).to_have_text("已签收")

    # Above the city, the plan gives no transfer of command: "必要時,市委、市人民政府可請求自治區黨委、自治區人民政府
    # 或其部門幫助和指導" (city 3.3.3). The leader in charge asks the region for help and guidance; command stays with
    # 贵港市, and no transfer is offered. The commander (level 2's authority) cannot ask for level 3.
    _as(page, base, "gg-commander")
    _open_response(page, title)
    assert page.locator("[data-testid=request-help-form]").count() == 0
    assert page.locator("[data-testid=end-form]").count() == 0  # 谁启动、谁终止: level 2's authority, not level 3's
    _as(page, base, "gg-incharge")
    _open_response(page, title)
    assert page.locator("[data-testid=transfer-form]").count() == 0  # command does not pass to the region
    help_form = page.locator("[data-testid=request-help-form]")
    help_form.locator("[name=asked]").fill("事故波及危化品仓储区，请求自治区应急管理厅派出危化品处置专家组现场指导。")
    help_form.locator("button[type=submit]").click()
    expect(page.locator("[data-testid=help-requests]")).to_contain_text("自治区党委、自治区人民政府")
    expect(page.locator("[data-testid=help-requests]")).to_contain_text("危化品处置专家组")
    expect(page.locator("[data-testid=command-stays]")).to_contain_text("指挥权仍在贵港市")
    expect(page.locator("[data-testid=command-unit]")).to_have_text("贵港市")
    assert page.locator("[data-testid=external-command]").count() == 0

    # 谁启动、谁终止: the leader in charge, who started this level 3 response, ends it.
    if SHOTS:
        _shots(page, {"response": response_url, "responses": f"{base}/responses/", "incident-response": incident_url})
    _open_response(page, title)
    end = page.locator("[data-testid=end-form]")
    end.locator("[name=reason]").fill("现场处置完毕，险情消除。")
    end.locator("[data-testid=end]").click()
    expect(page.locator("[data-testid=response-title]")).to_contain_text("已结束")
    expect(page.locator("[data-testid=ended]")).to_contain_text("现场处置完毕")

    # The investigation and assessment report, from the incident page (breadcrumb), then the year's review.
    page.locator(".breadcrumbs a", has_text=title).click()
    report = page.locator("[data-testid=investigation] form")
    report.locator("[name=summary]").fill("物流园仓库违规存放危化品引发爆炸，造成3人死亡。")
    report.locator("[name=causes]").fill("仓库违规存放硝酸铵，未落实安全管理责任。")
    report.locator("[name=lessons]").fill("园区仓储危化品底数不清\n专项预案应覆盖物流园区")
    report.locator("button[type=submit]").click()
    expect(page.locator(".messages")).to_contain_text("调查评估报告已提交")
    expect(page.locator("[data-testid=investigation]")).to_contain_text("仓库违规存放硝酸铵")
    page.click("[data-nav=review]")  # it opens on last year (reviewed each first quarter): ask for this one
    page.fill("main form.filters [name=year]", str(timezone.localdate().year))
    page.click("main form.filters button[type=submit]")
    by_type = page.locator("[data-testid=by-type]")
    expect(by_type).to_contain_text("安全生产事故")
    row = by_type.locator("tbody tr", has_text="安全生产事故").first
    expect(row.locator("td").nth(3)).to_have_text("1")  # one 较大 (Ⅲ) incident
    expect(page.locator("[data-testid=response-minutes]")).to_contain_text("三级响应")
