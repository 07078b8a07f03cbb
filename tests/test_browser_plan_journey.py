"""Journey 4 of issue 15, through pages alone after the demo load: the plan administrator builds the
hierarchy (general → special → departmental → grassroots, a work manual and an action plan), routes
the general plan to publication and filing, records a drill and an evaluation, handles the revision
request the evaluation raised, revises the plan from its current text and sees the editions and
their diff."""
import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from emergency.org.demo import DEMO_PASSWORD

from .browser import needs_chromium, sign_in

pytestmark = [pytest.mark.browser, needs_chromium]

GENERAL = "贵港市突发事件总体应急预案（旅程）"
TEXT = ("## 1 总则\n适用于本市行政区域内突发事件的应对工作。\n"
        "## 2 组织指挥体系\n市突发事件应急委员会统一领导。\n"
        "## 3 监测预警\n各部门加强风险监测。\n"
        "## 4 应急保障\n市财政局保障经费。")


def _as(page, base, who):
    page.context.clear_cookies()
    sign_in(page, base, f"gg-{who}", DEMO_PASSWORD)


def _open(page, base, title):
    page.click("[data-nav=plans]")
    page.click(f"text={title}")
    expect(page.locator("[data-testid=plan-title]")).to_contain_text(title)


def _add(page, plan_type, title, parent=None, department=None, text="## 1 总则\n适用范围。"):
    page.click("[data-nav=plans]")
    page.click("[data-testid=new-plan]")
    form = page.locator("[data-testid=create-plan-form]")
    form.locator("[name=unit]").select_option(label="贵港市")
    form.locator("[name=plan_type]").select_option(plan_type)
    form.locator("[name=title]").fill(title)
    if parent:
        form.locator("[name=parent]").select_option(label=parent)
    if department:
        form.locator("[name=lead_department]").select_option(label=department)
    form.locator("[name=sections]").fill(text)
    page.click("[data-testid=create-plan]")
    expect(page.locator("[data-testid=plan-title]")).to_contain_text(title)
    expect(page.locator("[data-testid=plan-state]")).to_have_text("草稿")


def _step(page, expected):
    expect(page.locator("[data-testid=next-step]")).to_have_text(expected)
    page.click("[data-testid=step-form] button[type=submit]")


def test_the_plan_administrator_builds_routes_drills_and_revises_a_plan(live_server, page, grading_tables):
    call_command("load_demo")
    base = live_server.url
    _as(page, base, "planadmin")
    _add(page, "general", GENERAL, text=TEXT)
    _add(page, "special", "贵港市危险化学品事故专项应急预案", parent=GENERAL, department="市应急管理局")
    _add(page, "departmental", "市应急管理局危化品事故部门应急预案", parent="贵港市危险化学品事故专项应急预案",
         department="市应急管理局")
    _add(page, "grassroots", "某化工园区基层应急预案", parent="市应急管理局危化品事故部门应急预案")
    _add(page, "work_manual", "危化品事故应急工作手册", parent="贵港市危险化学品事故专项应急预案",
         department="市应急管理局")
    _add(page, "action_plan", "危化品泄漏事件行动方案", parent="贵港市危险化学品事故专项应急预案",
         department="市应急管理局")
    page.click("[data-nav=plans]")
    tree = page.locator("main").inner_text()
    assert all(t in tree for t in (GENERAL, "专项应急预案", "部门应急预案", "基层应急预案", "工作手册", "行动方案"))

    # The general plan through its full route (city plan 5.2): consultation, the government, publication, filing.
    _open(page, base, GENERAL)
    page.click("[data-testid=submit-version]")
    expect(page.locator("[data-testid=next-step]")).to_have_text("书面征求相关单位和专家意见")
    form = page.locator("[data-testid=opinions-form]")
    form.locator("[name=departments]").select_option(label="市应急管理局")
    form.locator("[name=due_on]").fill((timezone.localdate() + timezone.timedelta(days=7)).isoformat())
    form.locator("button[type=submit]").click()
    page.fill("[data-testid=opinions] [name=opinion]", "同意，无修改意见。")
    page.click("[data-testid=opinions] button[type=submit]")
    _step(page, "书面征求相关单位和专家意见")
    expect(page.locator("[data-testid=next-step]")).to_have_text("报请本级政府批准")
    expect(page.locator("[data-testid=step-form]")).to_have_count(0)  # not the plan administrator's step
    expect(page.locator("[data-testid=step-not-yours]")).to_be_visible()
    _as(page, base, "principal")
    _open(page, base, GENERAL)
    _step(page, "报请本级政府批准")
    _as(page, base, "planadmin")
    _open(page, base, GENERAL)
    _step(page, "公布实施")
    expect(page.locator("[data-testid=plan-state]")).to_have_text("已发布")
    _step(page, "报上级政府备案，抄送上级应急管理部门")
    expect(page.locator("[data-testid=step-form]")).to_have_count(0)

    # A drill and an evaluation that calls for a revision; the request it raises is handled.
    drills = page.locator("[data-testid=record-drill-form]")
    drills.locator("[name=kind]").select_option("tabletop")
    drills.locator("[name=held_on]").fill(timezone.localdate().isoformat())
    drills.locator("[name=findings]").fill("通信保障衔接不畅")
    page.click("[data-testid=record-drill]")
    expect(page.locator("[data-testid=drills]")).to_contain_text("通信保障衔接不畅")
    evaluation = page.locator("[data-testid=record-evaluation-form]")
    evaluation.locator("[name=held_on]").fill(timezone.localdate().isoformat())
    evaluation.locator("[name=conclusion]").select_option("revise")
    evaluation.locator("[name=findings]").fill("适用范围需覆盖园区")
    page.click("[data-testid=record-evaluation]")
    request = page.locator("[data-testid=requests] li.request").first
    expect(request).to_contain_text("适用范围需覆盖园区")
    expect(request.locator("[data-testid=request-state]")).to_have_text("待处理")
    request.locator("[name=state]").select_option("accepted")
    request.locator("[name=resolution]").fill("纳入本次修订")
    request.locator("button[type=submit]").click()
    expect(page.locator("[data-testid=requests] li.request").first.locator("[data-testid=request-state]")).to_have_text(
        "已接受")

    # The revision starts from the text in force; changing 总则 alone takes the simplified route (5.4 3)).
    text = page.locator("[data-testid=version-form] [name=sections]")
    current = text.input_value()
    assert all(title in current for title in ("1 总则", "2 组织指挥体系", "3 监测预警", "4 应急保障"))
    text.fill(current.replace("适用于本市行政区域内突发事件的应对工作。", "适用于本市行政区域和各化工园区内突发事件的应对工作。"))
    page.fill("[data-testid=version-form] [name=change_summary]", "扩大适用范围")
    page.click("[data-testid=save-version]")
    page.click("[data-testid=submit-version]")
    expect(page.locator("[data-testid=version-2] [data-testid=version-route]")).to_have_text("简化程序")
    _as(page, base, "principal")
    _open(page, base, GENERAL)
    _step(page, "报请本级政府批准")
    _as(page, base, "planadmin")
    _open(page, base, GENERAL)
    _step(page, "报上级政府备案")
    request = page.locator("[data-testid=requests] li.request").first
    request.locator("[name=state]").select_option("done")
    request.locator("[name=resolution]").fill("已随第2版发布")
    request.locator("button[type=submit]").click()
    expect(page.locator("[data-testid=requests] li.request").first.locator("[data-testid=request-state]")).to_have_text(
        "已完成")

    # The editions and their diff.
    editions = page.locator("[data-testid=editions]")
    expect(editions).to_contain_text("v1")
    expect(editions).to_contain_text("v2")
    expect(editions).to_contain_text("已被替代")
    expect(page.locator("[data-testid=version-1] [data-testid=version-state]")).to_have_text("已被新版本替代")
    editions.locator("text=修订内容").click()
    diff = page.locator("[data-testid=diff]")
    expect(diff).to_contain_text("第1版至第2版的变化")
    expect(diff).to_contain_text("修改章节")
    expect(diff).to_contain_text("+适用于本市行政区域和各化工园区内突发事件的应对工作。")
    page.go_back()
    page.locator("[data-testid=editions] a", has_text="v1").click()
    expect(page.locator("main")).to_contain_text("适用于本市行政区域内突发事件的应对工作。")
