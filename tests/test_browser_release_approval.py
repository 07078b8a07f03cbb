"""A duty officer drafts the release of a grade Ⅲ city incident; the city's commander approves it in the
browser and it shows as published (city 3.3.5 2): "較大突發事件的信息發佈,由履行統一領導職責的黨委、政府設立的
應急指揮機構負責"; 4) "未經…應急指揮機構批准…不得擅自對外發布相關信息")."""
import pytest
from playwright.sync_api import expect

from emergency.org.roles import Role
from incidents.models import PublicRelease

from .browser import needs_chromium, sign_in
from .factories import PASSWORD, user_with_role
from .response_helpers import incident_in, organisation

pytestmark = [pytest.mark.browser, needs_chromium]


def test_a_drafted_release_is_published_once_the_command_body_approves_it(live_server, page, grading_tables):
    city = organisation("city")
    incident = incident_in(city)
    assert incident.grade == "III"
    officer = user_with_role(Role.DUTY_OFFICER, city.sub)
    commander = user_with_role(Role.COMMANDER, city.top)
    detail = f"{live_server.url}/incidents/{incident.pk}/"

    sign_in(page, live_server.url, officer.username, PASSWORD)
    page.goto(detail)
    form = page.locator("[data-testid=incident-release-form]")
    form.locator("[name=kind]").select_option("release")
    form.locator("[name=channel]").fill("贵港发布")
    form.locator("[name=text]").fill("港北区物流园仓库发生爆炸，救援正在进行。")
    page.click("[data-testid=incident-release]")
    release = PublicRelease.objects.get()
    expect(page.locator(f"[data-testid=release-state-{release.pk}]")).to_have_text("待审批")
    expect(page.locator(f"[data-testid=approve-release-{release.pk}]")).to_have_count(0)  # not the officer's
    expect(page.locator("[data-deadline=public_release]")).to_have_attribute("data-state", "open")

    page.context.clear_cookies()
    sign_in(page, live_server.url, commander.username, PASSWORD)
    page.goto(detail)
    page.click(f"[data-testid=approve-release-{release.pk}]")
    expect(page.locator(f"[data-testid=release-state-{release.pk}]")).to_have_text("已发布")
    expect(page.locator("[data-deadline=public_release]")).to_have_attribute("data-state", "met")
    expect(page.locator(f"[data-testid=approve-release-{release.pk}]")).to_have_count(0)
