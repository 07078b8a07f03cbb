"""A duty officer logs an incident from the form and sees its grade, its reasons and its 1-hour countdown."""
import re

import pytest
from playwright.sync_api import expect

from emergency.org.roles import Role
from incidents.models import Incident

from .browser import needs_chromium, sign_in
from .factories import PASSWORD, UnitFactory, user_with_role

pytestmark = [pytest.mark.browser, needs_chromium]


def test_an_officer_logs_an_incident_and_sees_its_grade_and_countdown(live_server, page, grading_tables):
    unit = UnitFactory(name="桂平市", name_en="Guiping")
    officer = user_with_role(Role.DUTY_OFFICER, unit)
    sign_in(page, live_server.url, officer.username, PASSWORD)
    page.click("[data-nav=incidents]")
    page.click("[data-testid=log-incident]")
    page.select_option("[name=type]", "forest_fire")
    page.fill("[name=title]", "平天山森林火灾")
    page.fill("[name=address]", "桂平市平天山")
    page.click("#map", position={"x": 120, "y": 90})
    expect(page.locator("[name=latitude]")).not_to_have_value("")
    page.fill("[name=metric_area_ha]", "999")
    preview = page.locator("[data-testid=grade-preview]")
    expect(preview).not_to_contain_text("特别重大")
    page.fill("[name=metric_area_ha]", "1200")
    expect(preview).to_contain_text("特别重大")
    expect(preview).to_contain_text("1000")
    page.fill("[name=metric_deaths]", "-1")
    expect(preview).to_contain_text("数值不能为负数")
    page.fill("[name=metric_deaths]", "0")
    page.fill("[name=body]", "首报：平天山发生森林火灾，过火面积约1200公顷，无人员伤亡。")
    page.click("[data-testid=submit-incident]")
    expect(page.locator("[data-testid=incident-grade]")).to_contain_text("特别重大")
    expect(page.locator("[data-testid=grade-reasons]")).to_contain_text("1000")
    countdown = page.locator("[data-deadline=superior_report] .countdown")
    expect(countdown).to_have_text(re.compile(r"剩余 00:5\d:\d\d"))
    incident = Incident.objects.get()
    assert incident.grade == "I" and incident.latitude is not None
    expect(page.locator("[data-testid=timeline]")).to_contain_text("首报")


def test_the_form_refuses_bad_input_in_chinese_and_keeps_what_was_typed(live_server, page, grading_tables):
    unit = UnitFactory(name="港北区")
    officer = user_with_role(Role.DUTY_OFFICER, unit)
    sign_in(page, live_server.url, officer.username, PASSWORD)
    page.goto(live_server.url + "/incidents/new/")
    page.select_option("[name=type]", "work_safety")
    page.fill("[name=title]", "厂房坍塌")
    page.fill("[name=metric_deaths]", "2.5")
    page.click("[data-testid=submit-incident]")
    expect(page.locator("[data-testid=form-errors]")).to_be_visible()
    expect(page.locator("[name=title]")).to_have_value("厂房坍塌")
    expect(page.locator("#incident-form")).to_contain_text("该字段不能为空")  # the place left blank
    expect(page.locator("[data-metric=deaths]")).to_contain_text("请输入整数")
    assert not Incident.objects.exists()
