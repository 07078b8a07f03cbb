"""Issue 17, item 5 through the pages: with the county's command dashboard open, the city's keeper
puts a team and tents on standby from the warning's page, reports the tents in position and
releases them; the dashboard shows each under the warning, with its status, as it happens, having
loaded its state once."""
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from alerts import services as alert_services
from alerts.models import WarningAuthority
from emergency.org.roles import Role
from resources.models import Standby, Stock

from .browser import needs_chromium, sign_in
from .factories import PASSWORD, user_with_role
from .processes import asgi_server, server_login
from .resource_helpers import city_with_inventory

pytestmark = [pytest.mark.browser, needs_chromium]


def _dashboard(browser, url, user):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1600, "height": 1000})
    page = context.new_page()
    sign_in(page, url, user.username, PASSWORD)
    page.state_loads = []
    page.on("request", lambda r: page.state_loads.append(r.url) if "/api/v1/dashboard/state/" in r.url else None)
    page.goto(url + "/dashboard/")
    expect(page.locator("[data-testid=link-state]")).to_have_text("●")
    page.wait_for_load_state("networkidle")
    return page


def test_standby_recorded_on_the_warning_page_shows_live_on_the_dashboard(browser, grading_tables):
    """City plan 3.2.2 3): "组织应急救援队伍…进入待命状态…视情预置有关队伍、装备、物资等应急资源"."""
    city = city_with_inventory()
    WarningAuthority.objects.create(organisation=city.top, level=4, roles=[Role.COMMANDER])
    commander = user_with_role(Role.COMMANDER, city.county, username="county-commander")
    warning = alert_services.warning_draft(
        actor=commander, unit=city.county, type_code="flood_drought", level=4, title="郁江洪水预警",
        signs="上游强降雨", points="沿江低洼地带", area_desc="港北区郁江沿岸", starts_at=timezone.now(),
        expected_end=timezone.now() + timedelta(days=2), circle="23.11,109.60 15")
    alert_services.warning_issue(actor=commander, warning=warning)
    stock = Stock.objects.get(store=city.store)
    server_login(commander, city.keeper)
    with asgi_server() as server:
        wall = _dashboard(browser, server.url, commander)
        shown = wall.locator(f'#warnings li[data-warning="{warning.pk}"]')
        expect(shown).to_contain_text("郁江洪水预警")
        expect(shown.locator("[data-standby]")).to_have_count(0)

        keeper = browser.new_context(locale="zh-CN").new_page()
        sign_in(keeper, server.url, city.keeper.username, PASSWORD)
        keeper.goto(f"{server.url}/warnings/{warning.pk}/")
        keeper.locator("[data-testid=warning-standby] a").click()
        form = keeper.locator("[data-testid=standby-form]")
        form.locator("[name=team]").select_option(str(city.team.pk))
        form.locator("button[type=submit]").click()
        expect(keeper.locator("[data-testid=standbys]")).to_contain_text(city.team.name)

        team = shown.locator("[data-standby]").first
        expect(team).to_contain_text("消防救援支队特勤大队 · 贵港市")
        expect(team.locator(".tag")).to_have_text("备勤")
        board = wall.locator("#dashboard")
        expect(board).to_have_attribute("data-standby-marks", "1")  # the team's mark at its base, on the map
        expect(wall.locator(f'[data-standby-mark="{Standby.objects.get(team=city.team).pk}"]')).to_have_count(1)

        form.locator("[name=equipment]").select_option(str(city.pump.pk))
        form.locator("button[type=submit]").click()
        pump = shown.locator("[data-standby]").nth(1)
        expect(pump).to_contain_text("大流量排水抢险车 · 贵港市")
        expect(board).to_have_attribute("data-standby-marks", "2")

        form.locator("[name=stock]").select_option(str(stock.pk))
        form.locator("[name=quantity]").fill("40")
        form.locator("button[type=submit]").click()
        tents = shown.locator("[data-standby]").nth(2)
        expect(tents).to_contain_text("市救灾物资储备库 · 救灾帐篷 × 40顶")
        expect(tents.locator(".tag")).to_have_text("备勤")

        expect(board).to_have_attribute("data-standby-marks", "3")
        keeper.locator("[data-testid=standbys] li").nth(2).locator("[data-action=in-place]").click()
        expect(tents.locator(".tag")).to_have_text("已到位")
        keeper.locator("[data-testid=standbys] li").nth(2).locator("[data-action=release]").click()
        expect(tents.locator(".tag")).to_have_text("已解除")
        expect(board).to_have_attribute("data-standby-marks", "2")  # released: off the map
        expect(team.locator(".tag")).to_have_text("备勤")
        expect(wall.locator('#feed li[data-event="resources.standby.set"]')).to_contain_text("队伍物资预置备勤")

        assert len(wall.state_loads) == 1  # every change came in a frame
        server_state = wall.evaluate("fetch('/api/v1/dashboard/state/').then(r => r.json())")
        entry = next(w for w in server_state["warnings"] if w["id"] == warning.pk)
        assert [(s["id"], s["state"]) for s in entry["standby"]] == [
            (int(n.get_attribute("data-standby")), n.get_attribute("data-state"))
            for n in shown.locator("[data-standby]").all()]


def test_resources_out_are_marked_on_the_map_from_the_state_and_moved_by_frames(browser, grading_tables):
    """Item 6, "show on its map": what is dispatched and not back has one mark where it goes, loaded
    with the state, moved by each step's frame and taken off when it returns."""
    from resources.services.requests import request_advance, request_create, request_decide

    city = city_with_inventory()
    commander = user_with_role(Role.COMMANDER, city.top, username="city-commander")

    def dispatched():
        request = request_create(actor=city.requester, incident=city.incident, kind="supply", item=city.tents,
                                 holding_unit=city.top, quantity=2, reason="安置")
        request_decide(actor=city.approver, request=request, approve=True)
        return request_advance(actor=city.keeper, request=request, state="dispatched", store=city.store)

    first = dispatched()
    server_login(commander)
    with asgi_server() as server:
        wall = _dashboard(browser, server.url, commander)
        board = wall.locator("#dashboard")
        expect(board).to_have_attribute("data-resource-marks", "1")  # from the state
        expect(wall.locator('[data-resource-state="dispatched"]')).to_have_count(1)
        request_advance(actor=city.keeper, request=first, state="en_route")
        expect(wall.locator('[data-resource-state="en_route"]')).to_have_count(1)
        second = dispatched()
        expect(board).to_have_attribute("data-resource-marks", "2")
        request_advance(actor=city.keeper, request=second, state="en_route")
        request_advance(actor=city.requester, request=second, state="arrived")
        expect(wall.locator('[data-resource-state="arrived"]')).to_have_count(1)
        request_advance(actor=city.requester, request=second, state="in_use")
        request_advance(actor=city.keeper, request=second, state="returned", quantity=2)
        expect(board).to_have_attribute("data-resource-marks", "1")  # back in the store: off the map
        assert len(wall.state_loads) == 1
