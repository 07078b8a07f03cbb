"""The dashboard as a wall screen: on a laptop (1440 px), a 1080p screen (1920 px) and a 4K one
(3840 px), in Chinese and English, no short column wraps one character per line, nothing is cut off
sideways or below a wall screen's bottom edge, the type grows with the screen, and the map has its outlines without a tile server.
With DASHBOARD_SHOTS=<dir> it also saves screenshots there (375 px too) for people to look at."""
import os
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from alerts import services as alert_services
from alerts.models import WarningAuthority
from emergency.org.models import Department, OrgUnit
from emergency.org.roles import Role
from incidents import services as incident_services
from incidents.response import command, services as response_services
from plans.models import Plan

from .browser import needs_chromium, sign_in
from .factories import PASSWORD, user_with_role
from .processes import asgi_server, server_login

pytestmark = [pytest.mark.browser, needs_chromium]

SHOTS = os.environ.get("DASHBOARD_SHOTS")
WIDTHS = {1440: 900, 1920: 1080, 3840: 2160}

# Cells that must stay on one line, and cards that must not scroll sideways.
LAYOUT = """() => {
  const lines = td => { const text = document.createRange(); text.selectNodeContents(td);
    return Math.round(text.getBoundingClientRect().height / parseFloat(getComputedStyle(td).lineHeight)); };
  const em = td => td.getBoundingClientRect().width / parseFloat(getComputedStyle(td).fontSize);
  const wrapped = [...document.querySelectorAll('#incidents td.grade, #deadlines td.countdown, thead th')]
    .filter(td => td.textContent.trim() && lines(td) > 1).map(td => td.textContent.trim());
  const squeezed = [...document.querySelectorAll('#incidents td.unit, #incidents td.type, #incidents td.response,'
      + ' #deadlines td.label, #incidents td.title, #deadlines td.subject')]
    .filter(td => lines(td) > 1 && em(td) < 5).map(td => td.textContent.trim());
  const cut = [...document.querySelectorAll('.dashboard .card')]
    .filter(card => card.scrollWidth > card.clientWidth + 1).map(card => card.className);
  return {wrapped, squeezed, cut, page: document.documentElement.scrollWidth - innerWidth,
          tall: document.documentElement.scrollHeight - innerHeight,
          font: parseFloat(getComputedStyle(document.querySelector('#incidents td')).fontSize)};
}"""


def _busy_city():
    """The demo city with what a real afternoon puts on its screens."""
    call_command("load_demo")
    top = OrgUnit.objects.get(code="gg")
    counties = {u.name: u for u in OrgUnit.objects.filter(parent=top)}
    lead = Department.objects.get(unit=top, name="市应急管理局")
    commander = user_with_role(Role.COMMANDER, top)
    now = timezone.now()
    logged = []
    for county, title, lat, lon in (("桂平市", "桂平市金田镇某化工厂储罐爆炸事故", 23.39, 110.08),
                                    ("平南县", "平南县大安镇道路塌陷", 23.54, 110.39),
                                    ("港北区", "港北区根竹镇民房火灾", 23.15, 109.57),
                                    ("覃塘区", "覃塘区东龙镇危化品运输车辆泄漏", 23.13, 109.45),
                                    ("港南区", "港南区桥圩镇厂房坍塌", 23.02, 109.62)):
        officer = user_with_role(Role.DUTY_OFFICER, counties[county])
        logged.append(incident_services.incident_log(
            actor=officer, unit=counties[county], type_code="work_safety", title=title, address=county,
            occurred_at=now, received_at=now, body="首报", metrics={"deaths": 3}, latitude=lat, longitude=lon,
            lead_department=lead, may_cause_panic=county == "桂平市"))
    proposal = response_services.proposal_create(actor=user_with_role(Role.LEAD_OFFICER, top, department=lead),
                                                  incident=logged[0], level=2, reasons="三人死亡，启动二级响应")
    response = response_services.proposal_decide(actor=commander, proposal=proposal, outcome="approved").response
    command.order_issue(actor=commander, response=response, department=lead, text="组织消防救援力量开展搜救")
    for level in (3, 4):
        WarningAuthority.objects.get_or_create(organisation=top, level=level,
                                               defaults={"roles": [Role.COMMANDER, Role.PRINCIPAL]})
    gangbei = counties["港北区"]
    warning = alert_services.warning_draft(
        actor=user_with_role(Role.DUTY_OFFICER, gangbei), unit=gangbei, type_code="flood_drought", level=3,
        title="郁江洪水黄色预警", signs="上游持续强降雨", points="郁江沿岸低洼地带", area_desc="港北区郁江沿岸",
        starts_at=now, expected_end=now + timedelta(days=2),
        polygon="23.05,109.50 23.20,109.58 23.08,109.70 23.05,109.50")
    alert_services.warning_issue(actor=user_with_role(Role.COMMANDER, gangbei), warning=warning)
    Plan.objects.create(unit=gangbei, title="港北区防汛抗旱应急预案", plan_type="special", state="published",
                        created_by=commander, next_drill_due=timezone.localdate() + timedelta(days=3))
    server_login(commander)
    return commander


def test_the_dashboard_fits_laptop_1080p_and_4k_screens_in_both_languages(browser, grading_tables):
    commander = _busy_city()
    fonts = {}
    with asgi_server() as server:
        for language in ("zh-hans", "en"):
            for width, height in {**WIDTHS, **({375: 812} if SHOTS else {})}.items():
                context = browser.new_context(locale="zh-CN", timezone_id="UTC",
                                              viewport={"width": width, "height": height})
                page = context.new_page()
                sign_in(page, server.url, commander.username, PASSWORD)
                if language == "en":
                    page.click("button[name=language][value=en]")
                page.goto(server.url + "/dashboard/")
                expect(page.locator("#incidents tr")).to_have_count(5)
                expect(page.locator("#dashboard")).to_have_attribute("data-outlines", "15")
                expect(page.locator("#deadlines tr[data-kind=order]")).to_have_count(1)
                page.wait_for_timeout(300)
                if SHOTS:
                    Path(SHOTS).mkdir(parents=True, exist_ok=True)
                    page.screenshot(path=f"{SHOTS}/dashboard-{language}-{width}.png", full_page=True)
                if width in WIDTHS:
                    layout = page.evaluate(LAYOUT)
                    assert layout["wrapped"] == [] and layout["squeezed"] == [], (language, width, layout)
                    assert layout["cut"] == [] and layout["page"] <= 0, (language, width, layout)
                    if width >= 1920:  # a wall screen shows it all without scrolling: long lists scroll in their card
                        assert layout["tall"] <= 0, (language, width, layout)
                    fonts[width] = layout["font"]
                context.close()
    assert fonts[1440] < fonts[1920] < fonts[3840] and fonts[3840] >= 2 * fonts[1440]
