"""Two command screens on two ASGI servers behind one Redis: an incident logged in a third browser
appears on both with its countdown, without a reload; a screen whose server dies misses changes,
reconnects to the restarted server, and then holds exactly the server's state."""
import os
import re
import signal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from emergency.org.roles import Role
from incidents import services as incident_services

from .browser import needs_chromium, sign_in
from .factories import PASSWORD, UnitFactory, user_with_role
from .processes import asgi_server, free_port, server_login

pytestmark = [pytest.mark.browser, needs_chromium]


def _screen(browser, url, user):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1920, "height": 1080})
    page = context.new_page()
    sign_in(page, url, user.username, PASSWORD)
    page.goto(url + "/dashboard/")
    expect(page.locator("[data-testid=link-state]")).to_have_text("●")
    page.evaluate("window.notReloaded = true")
    return page


def _held(page):
    """What the screen shows: incident ids and the event numbers it holds, and the server's own state."""
    shown = page.eval_on_selector_all("#incidents tr", "rows => rows.map(r => Number(r.dataset.incident))")
    server = page.evaluate("fetch('/api/v1/dashboard/state/').then(r => r.json())")
    held = page.evaluate("JSON.parse(document.getElementById('dashboard').dataset.last || '{}')")
    return sorted(shown), sorted(i["id"] for i in server["incidents"]), held, server["last"]


def test_two_screens_on_two_servers_show_a_logged_incident_and_resync_after_a_server_restart(browser, grading_tables):
    city = UnitFactory(name="贵港市", name_en="Guigang")
    county = UnitFactory(name="桂平市", name_en="Guiping", parent=city)
    officer = user_with_role(Role.DUTY_OFFICER, county)
    commander = user_with_role(Role.COMMANDER, city)
    principal = user_with_role(Role.PRINCIPAL, county)
    server_login(officer, commander, principal)
    second_port = free_port()
    with asgi_server() as first, asgi_server(port=second_port) as second:
        wall = _screen(browser, first.url, commander)
        laptop = _screen(browser, second.url, principal)

        desk = browser.new_context(locale="zh-CN").new_page()
        sign_in(desk, first.url, officer.username, PASSWORD)
        desk.goto(first.url + "/incidents/new/")
        desk.select_option("[name=type]", "forest_fire")
        desk.fill("[name=title]", "平天山森林火灾")
        desk.fill("[name=address]", "桂平市平天山")
        desk.fill("[name=metric_area_ha]", "120")
        desk.fill("[name=body]", "首报：平天山发生森林火灾，过火面积约120公顷。")
        desk.click("[data-testid=submit-incident]")
        expect(desk.locator("[data-testid=incident-grade]")).to_be_visible()

        for screen in (wall, laptop):
            expect(screen.locator("[data-testid=dashboard-incidents]")).to_contain_text("平天山森林火灾")
            clock = screen.locator("[data-testid=dashboard-deadlines] tr", has_text="平天山森林火灾").first
            expect(clock.locator(".countdown")).to_have_text(re.compile(r"剩余 00:5\d:\d\d"))
            assert screen.evaluate("window.notReloaded === true")

        # The laptop's server dies; changes happen meanwhile; the server comes back on its port.
        os.killpg(second.pid, signal.SIGKILL)
        second.wait()
        expect(laptop.locator("[data-testid=link-state]")).to_have_text("○")
        now = timezone.now()
        for title in ("覃塘区危化品泄漏", "港北区道路塌陷"):
            incident_services.incident_log(actor=officer, unit=county, type_code="work_safety", title=title,
                                           address="现场", occurred_at=now, received_at=now, body="首报",
                                           metrics={"deaths": 1})
        expect(wall.locator("[data-testid=dashboard-incidents]")).to_contain_text("港北区道路塌陷")
        with asgi_server(port=second_port):
            expect(laptop.locator("[data-testid=link-state]")).to_have_text("●", timeout=20_000)
            expect(laptop.locator("[data-testid=dashboard-incidents]")).to_contain_text("港北区道路塌陷")
            expect(laptop.locator("[data-testid=incident-count]")).to_have_text("3")
            shown, server_ids, held, server_last = _held(laptop)
            assert shown == server_ids and held == server_last
            assert laptop.evaluate("window.notReloaded === true")
        shown, server_ids, held, server_last = _held(wall)
        assert shown == server_ids and held == server_last and len(shown) == 3
