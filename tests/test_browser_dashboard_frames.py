"""A command screen applies the frames it receives to its local model: incidents, clocks and warnings
change on screen with one state load at open, never one per change. A lost frame (a gap a screen
may see) reloads the state; another unit's numbers do not. Feed times are Beijing time whatever the
browser's zone, and a run of the same change is one line."""
from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone
from playwright.sync_api import expect

from alerts import services as alert_services
from alerts.models import WarningAuthority
from emergency.dashboard.models import EventSequence, LiveEvent
from emergency.org.roles import Role
from incidents import services as incident_services
from incidents.response import services as response_services
from plans.duties import due_set
from plans.models import Plan

from .browser import needs_chromium, sign_in
from .factories import PASSWORD, UnitFactory, user_with_role
from .processes import asgi_server, server_login
from .response_helpers import incident_in, lead_officer, organisation

pytestmark = [pytest.mark.browser, needs_chromium]


def _screen(browser, url, user):
    """A wall screen in a browser set to UTC, counting its state loads."""
    context = browser.new_context(locale="zh-CN", timezone_id="UTC", viewport={"width": 1920, "height": 1080})
    page = context.new_page()
    sign_in(page, url, user.username, PASSWORD)
    page.state_loads = []
    page.on("request", lambda r: page.state_loads.append(r.url) if "/api/v1/dashboard/state/" in r.url else None)
    page.goto(url + "/dashboard/")
    expect(page.locator("[data-testid=link-state]")).to_have_text("●")
    page.wait_for_load_state("networkidle")
    assert len(page.state_loads) == 1
    return page


def _loads(page, n):
    """Wait until the page has asked for the state `n` times (and check it asks no more)."""
    for _ in range(150):  # the page's events arrive while Playwright waits, not while Python sleeps
        if len(page.state_loads) >= n:
            break
        page.wait_for_timeout(100)
    page.wait_for_timeout(500)
    assert len(page.state_loads) == n


def _applied(page) -> int:
    return int(page.locator("#dashboard").get_attribute("data-frames-applied"))


def _shown(page):
    """What the screen shows against what a fresh state holds (fetched without touching the page's model)."""
    rows = page.eval_on_selector_all("#incidents tr", "rows => rows.map(r => Number(r.dataset.incident))")
    clocks = page.eval_on_selector_all("#deadlines tr", "rows => rows.map(r => r.dataset.group + ' ' + r.dataset.kind)")
    server = page.evaluate("fetch('/api/v1/dashboard/state/').then(r => r.json())")
    return ((sorted(rows), sorted(clocks)),
            (sorted(i["id"] for i in server["incidents"]),
             sorted(f"{c['group']} {c['kind']}" for c in server["deadlines"])))


def _log(officer, unit, title):
    now = timezone.now()
    return incident_services.incident_log(actor=officer, unit=unit, type_code="work_safety", title=title,
                                          address="现场", occurred_at=now, received_at=now, body="首报",
                                          metrics={"deaths": 1})


def test_a_screen_applies_incident_clock_and_warning_frames_without_loading_the_state(browser, grading_tables):
    city = organisation("city")
    for level in (3, 4):
        WarningAuthority.objects.create(organisation=city.top, level=level, roles=[Role.COMMANDER, Role.PRINCIPAL])
    commander = user_with_role(Role.COMMANDER, city.top)
    officer = user_with_role(Role.DUTY_OFFICER, city.sub)
    server_login(commander)
    with asgi_server() as server:
        wall = _screen(browser, server.url, commander)
        incident = incident_in(city)
        row = wall.locator(f'#incidents tr[data-incident="{incident.pk}"]')
        expect(row).to_contain_text("仓库爆炸")
        expect(wall.locator(f'#deadlines tr[data-group="incident:{incident.pk}"]')).to_have_count(2)

        proposal = response_services.proposal_create(actor=lead_officer(city), incident=incident, level=2,
                                                      reasons="二级")
        expect(wall.locator('#deadlines tr[data-kind="proposal"]')).to_have_count(1)
        response_services.proposal_decide(actor=commander, proposal=proposal, outcome="approved")
        expect(row.locator("td.response")).to_contain_text("二级响应")
        expect(wall.locator('#deadlines tr[data-kind="proposal"]')).to_have_count(0)

        warning = alert_services.warning_draft(
            actor=officer, unit=city.sub, type_code="flood_drought", level=4, title="郁江洪水预警", signs="强降雨",
            points="沿岸低洼地带", area_desc="港北区郁江沿岸", starts_at=timezone.now(),
            expected_end=timezone.now() + timedelta(days=2), circle="23.11,109.60 15")
        boss = user_with_role(Role.COMMANDER, city.sub)
        alert_services.warning_issue(actor=boss, warning=warning)
        expect(wall.locator("#warnings li")).to_contain_text("郁江洪水预警 · 港北区郁江沿岸")
        expect(wall.locator("#warnings li .warn")).to_have_text("4")
        alert_services.warning_adjust(actor=boss, warning=warning, level=3, area_desc="港北区、港南区")
        expect(wall.locator("#warnings li .warn")).to_have_text("3")
        expect(wall.locator("#warnings li")).to_contain_text("港北区、港南区")
        alert_services.warning_lift(actor=boss, warning=warning, reason="水位回落")
        expect(wall.locator("#warnings li")).to_have_count(0)

        # The feed says when in Beijing time, though this browser runs on UTC.
        logged = LiveEvent.objects.get(event="incident.logged")
        beijing = timezone.localtime(logged.created_at).strftime("%H:%M:%S")
        expect(wall.locator('#feed li[data-event="incident.logged"] time')).to_have_text(beijing)

        # Seventeen due dates set at once are one line, not seventeen.
        plan = Plan.objects.create(unit=city.sub, title="港北区防汛应急预案", plan_type="special", state="published",
                                   created_by=commander, next_drill_due=timezone.localdate() + timedelta(days=5))
        with transaction.atomic():
            for _ in range(17):
                due_set(plan=plan, what="drill", due_on=plan.next_drill_due)
        coalesced = wall.locator('#feed li[data-event="plan.due"]')
        expect(coalesced).to_have_count(1)
        expect(coalesced.locator(".count")).to_have_text(" ×17")
        expect(wall.locator(f'#deadlines tr[data-group="plan:{plan.pk}"]')).to_have_count(1)

        assert len(wall.state_loads) == 1 and _applied(wall) == LiveEvent.objects.count() > 20
        shown, server_state = _shown(wall)
        assert shown == server_state


def test_a_lost_frame_reloads_the_state_and_another_units_numbers_do_not(browser, grading_tables):
    city = UnitFactory(name="贵港市", name_en="Guigang")
    county = UnitFactory(name="桂平市", name_en="Guiping", parent=city)
    other = UnitFactory(name="平南县", name_en="Pingnan", parent=city)
    officer = user_with_role(Role.DUTY_OFFICER, county)
    other_officer = user_with_role(Role.DUTY_OFFICER, other)
    commander = user_with_role(Role.COMMANDER, city)
    principal = user_with_role(Role.PRINCIPAL, county)
    server_login(commander, principal)
    with asgi_server() as server:
        wall = _screen(browser, server.url, commander)
        county_screen = _screen(browser, server.url, principal)
        _log(officer, county, "桂平市危化品泄漏")
        for screen in (wall, county_screen):
            expect(screen.locator("#incidents")).to_contain_text("桂平市危化品泄漏")

        # 平南县's changes take numbers the county's screen never sees: a skipped number, not a loss.
        _log(other_officer, other, "平南县道路塌陷")
        _log(other_officer, other, "平南县山体滑坡")
        _log(officer, county, "桂平市森林火灾")
        expect(county_screen.locator("#incidents")).to_contain_text("桂平市森林火灾")
        expect(wall.locator("#incidents tr")).to_have_count(4)
        assert len(county_screen.state_loads) == 1 and len(wall.state_loads) == 1

        # A frame lost between the server and the screens: the change is recorded, its frame never sent.
        with transaction.atomic():
            lost = _log(officer, county, "桂平市洪涝")
            EventSequence.objects.filter(organisation=city).update(relayed=EventSequence.objects.get(
                organisation=city).last)
        _log(officer, county, "桂平市地面沉降")
        for screen in (wall, county_screen):
            expect(screen.locator(f'#incidents tr[data-incident="{lost.pk}"]')).to_have_count(1)
            _loads(screen, 2)
            shown, server_state = _shown(screen)
            assert shown == server_state
            held = screen.evaluate("JSON.parse(document.getElementById('dashboard').dataset.last)")
            assert held[str(city.pk)] == EventSequence.objects.get(organisation=city).last
