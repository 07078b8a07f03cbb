"""A lead-department officer proposes level 2; the wrong person is refused; the right commander
approves from the inbox; the response page shows level 2."""
import pytest
from playwright.sync_api import expect

from emergency.org.roles import Role

from .browser import needs_chromium, sign_in
from .factories import PASSWORD, user_with_role
from .response_helpers import incident_in, lead_officer, organisation

pytestmark = [pytest.mark.browser, needs_chromium]


def test_propose_refuse_approve(live_server, page, grading_tables):
    city = organisation("city")
    incident = incident_in(city)
    lead = lead_officer(city)
    wrong = user_with_role(Role.LEADER_IN_CHARGE, city.top)
    commander = user_with_role(Role.COMMANDER, city.top)

    sign_in(page, live_server.url, lead.username, PASSWORD)
    page.goto(f"{live_server.url}/incidents/{incident.pk}/")
    form = page.locator("[data-testid=propose-form]")
    form.locator("[name=level]").select_option("2")
    form.locator("[name=reasons]").fill("伤亡人数持续上升，需市级统一指挥。")
    form.locator("button[type=submit]").click()
    expect(page.locator("[data-testid=pending-proposal]")).to_contain_text("二级响应")

    page.context.clear_cookies()
    sign_in(page, live_server.url, wrong.username, PASSWORD)
    page.goto(f"{live_server.url}/responses/inbox/")
    expect(page.locator("main")).to_contain_text("没有等待您决定的事项")  # not in the wrong person's inbox
    page.goto(f"{live_server.url}/incidents/{incident.pk}/")
    proposal_id = incident.proposals.get().pk
    page.evaluate("""([url, csrf]) => {
        const form = document.createElement('form'); form.method = 'post'; form.action = url;
        for (const [k, v] of [['csrfmiddlewaretoken', csrf], ['outcome', 'approved']]) {
            const input = document.createElement('input'); input.name = k; input.value = v; form.appendChild(input); }
        document.body.appendChild(form); form.submit(); }""",
                  [f"/responses/proposals/{proposal_id}/decide/", page.locator("body").get_attribute("data-csrf")])
    expect(page.locator(".messages")).to_contain_text("二级响应由")
    assert not incident.responses.exists()

    page.context.clear_cookies()
    sign_in(page, live_server.url, commander.username, PASSWORD)
    page.click("[data-nav=response-inbox]")
    card = page.locator(f"[data-proposal='{proposal_id}']")
    expect(card).to_contain_text(incident.title)
    page.on("dialog", lambda dialog: dialog.accept())  # the decision asks for confirmation
    card.locator("button[type=submit]").click()
    expect(page.locator("[data-testid=response-level]")).to_have_text("二级响应")
    expect(page.locator("[data-testid=level-history]")).to_contain_text(commander.full_name or commander.username)
    assert incident.responses.get().level == 2
