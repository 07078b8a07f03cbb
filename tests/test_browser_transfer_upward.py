"""Issue 15 journey 2, "transfer upward", through pages only. City 3.3.3 "上一級黨委、政府根據事發地黨委、政府的請求
或根據應對工作需要,指揮權可逐級提升至市級組織指揮機構": the commanding county's leader asks the city to take command
and the city's principal takes it over; or the city's principal takes it on the city's own initiative."""
import pytest
from playwright.sync_api import expect

from emergency.org.roles import Role
from incidents.response import services
from incidents.response.models import AuthorityRule

from .browser import needs_chromium, sign_in
from .factories import PASSWORD, user_with_role
from .response_helpers import incident_in, lead_officer, organisation

pytestmark = [pytest.mark.browser, needs_chromium]


def test_the_commander_requests_transfer_upward_and_the_superior_accepts(live_server, page, grading_tables):
    city = organisation("city")
    AuthorityRule.objects.filter(organisation=city.top, level=3).update(command_at=AuthorityRule.CommandAt.INCIDENT_UNIT)
    proposal = services.proposal_create(actor=lead_officer(city), incident=incident_in(city), level=3, reasons="较大")
    county = user_with_role(Role.LEADER_IN_CHARGE, city.sub)
    response = services.proposal_decide(actor=county, proposal=proposal, outcome="approved").response
    principal = user_with_role(Role.PRINCIPAL, city.top)
    page.on("dialog", lambda dialog: dialog.accept())  # the transfer asks for confirmation

    sign_in(page, live_server.url, county.username, PASSWORD)
    page.goto(f"{live_server.url}/responses/{response.pk}/")
    expect(page.locator("[data-testid=command-unit]")).to_have_text(city.sub.name)
    form = page.locator("[data-testid=transfer-form]")
    form.locator("[name=reason]").fill("事态超出县级处置能力，请求市级接管指挥。")
    form.locator("button[type=submit]").click()
    expect(page.locator("[data-testid=pending-transfer]")).to_contain_text(city.top.name)
    expect(page.locator("[data-testid=transfer-accept]")).to_have_count(0)  # the requester does not accept

    page.context.clear_cookies()
    sign_in(page, live_server.url, principal.username, PASSWORD)
    page.goto(f"{live_server.url}/responses/{response.pk}/")
    page.locator("[data-testid=transfer-accept]").click()
    expect(page.locator("[data-testid=command-unit]")).to_have_text(city.top.name)
    expect(page.locator("[data-testid=transfers]")).to_contain_text("事态超出县级处置能力")
    response.refresh_from_db()
    assert response.command_unit == city.top


def test_the_superior_takes_command_on_its_own_initiative_through_the_page(live_server, page, grading_tables):
    city = organisation("city")
    AuthorityRule.objects.filter(organisation=city.top, level=3).update(command_at=AuthorityRule.CommandAt.INCIDENT_UNIT)
    proposal = services.proposal_create(actor=lead_officer(city), incident=incident_in(city), level=3, reasons="较大")
    county = user_with_role(Role.LEADER_IN_CHARGE, city.sub)
    response = services.proposal_decide(actor=county, proposal=proposal, outcome="approved").response
    principal = user_with_role(Role.PRINCIPAL, city.top)
    page.on("dialog", lambda dialog: dialog.accept())  # taking command asks for confirmation

    sign_in(page, live_server.url, county.username, PASSWORD)
    page.goto(f"{live_server.url}/responses/{response.pk}/")
    expect(page.locator("[data-testid=transfer-form]")).to_be_visible()
    expect(page.locator("[data-testid=take-command-form]")).to_have_count(0)  # the county does not take its own

    page.context.clear_cookies()
    sign_in(page, live_server.url, principal.username, PASSWORD)
    page.goto(f"{live_server.url}/responses/{response.pk}/")
    expect(page.locator("[data-testid=transfer-form]")).to_have_count(0)  # the city does not ask for the county
    form = page.locator("[data-testid=take-command-form]")
    form.locator("[name=reason]").fill("事态波及多个县区，根据应对工作需要由市级指挥。")
    form.locator("button[type=submit]").click()
    expect(page.locator("[data-testid=command-unit]")).to_have_text(city.top.name)
    expect(page.locator("[data-testid=transfer-initiative]")).to_have_attribute("data-initiative", "superior")
    expect(page.locator("[data-testid=transfers]")).to_contain_text("根据应对工作需要由市级指挥")
    expect(page.locator("[data-testid=take-command-form]")).to_have_count(0)  # never above the city
    response.refresh_from_db()
    assert response.command_unit == city.top
