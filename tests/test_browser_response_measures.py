"""Through the pages: the commander starts a level from the inbox, assigns two of the plan's response
measures (city plan 3.3.4 1)) to departments, and the department, from its inbox, marks one done."""
import pytest
from playwright.sync_api import expect

from emergency.org.roles import Role
from incidents.response import services
from incidents.response.models import ResponseMeasure

from .browser import needs_chromium, sign_in
from .factories import PASSWORD, user_with_role
from .response_helpers import incident_in, lead_officer, organisation

pytestmark = [pytest.mark.browser, needs_chromium]


def test_the_commander_assigns_two_measures_and_the_department_marks_one_done(live_server, page, grading_tables):
    city = organisation("city")
    incident = incident_in(city)
    proposal = services.proposal_create(actor=lead_officer(city), incident=incident, level=2, reasons="二级")
    commander = user_with_role(Role.COMMANDER, city.top)
    officer = user_with_role(Role.LEAD_OFFICER, city.top, department=city.other)
    page.on("dialog", lambda dialog: dialog.accept())

    sign_in(page, live_server.url, commander.username, PASSWORD)
    page.click("[data-nav=response-inbox]")
    page.locator(f"[data-proposal='{proposal.pk}'] button[type=submit]").click()
    expect(page.locator("[data-testid=response-level]")).to_have_text("二级响应")
    card = page.locator("[data-testid=response-measures]")
    expect(card.locator("tr[data-measure]")).to_have_count(14)  # an accident: the list of 3.3.4 1)
    for key, department in (("rescue", city.lead.name), ("utilities", city.other.name)):
        form = page.locator("[data-testid=assign-measure-form]")
        form.locator("[name=key]").select_option(key)
        form.locator("[name=department]").select_option(label=department)
        page.click("[data-testid=assign-measure]")
        row = page.locator(f"[data-measure={key}]")
        expect(row.locator("[data-testid=measure-status]")).to_contain_text("已分配")
        expect(row.locator("[data-testid=measure-department]")).to_have_text(department)

    page.context.clear_cookies()
    sign_in(page, live_server.url, officer.username, PASSWORD)
    page.goto(f"{live_server.url}/notifications/")
    waiting = page.locator("[data-testid=to-act-on]")
    expect(waiting).to_contain_text("立即抢修被损坏的交通")
    expect(waiting).not_to_contain_text("组织营救受灾和被困人员")  # the other department's
    waiting.locator("a", has_text="立即抢修被损坏的交通").click()
    row = page.locator("[data-measure=utilities]")
    expect(row.locator("[data-testid=measure-start-form]")).to_be_visible()
    expect(page.locator("[data-measure=rescue] [data-testid=measure-done-form]")).to_have_count(0)
    row.locator("[data-testid=measure-done]").click()
    expect(page.locator("[data-measure=utilities] [data-testid=measure-status]")).to_contain_text("已完成")
    assert ResponseMeasure.objects.get(key="utilities").status == "done"
    assert ResponseMeasure.objects.get(key="rescue").status == "assigned"
