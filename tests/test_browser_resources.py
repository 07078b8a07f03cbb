"""Issue 17 through the pages: a township asks for tents for its incident, the city's commander
approves, the city's duty officer dispatches them from the store, they travel, arrive, are used and
come back; the store's page shows the stock at each step (100 → 70 → 70 → 100)."""
import pytest
from playwright.sync_api import expect

from .browser import needs_chromium, sign_in
from .factories import PASSWORD
from .resource_helpers import city_with_inventory

pytestmark = [pytest.mark.browser, needs_chromium]


def _as(page, base, user):
    page.context.clear_cookies()
    sign_in(page, base, user.username, PASSWORD)


def _request_page(page, base, user, request_id):
    _as(page, base, user)
    page.click("[data-nav=resources]")
    page.click("[data-testid=resource-tabs] >> text=资源申请")
    page.click(f"[data-request='{request_id}'] a")


def _store_stock(page, city) -> str:
    page.click("[data-testid=request-what] >> xpath=../.. >> a[href*='/resources/stores/']")
    return page.locator(f"[data-testid=stock-table] tr[data-item='{city.tents.pk}'] [data-testid=stock-quantity]")


def _step(page, state_label, **fields):
    form = page.locator("[data-testid=advance-form]")
    form.locator("[name=state]").select_option(label=state_label)
    for name, value in fields.items():
        if name == "store":
            form.locator("[name=store]").select_option(label=value)
        else:
            form.locator(f"[name={name}]").fill(value)
    form.locator("button[type=submit]").click()
    expect(page.locator("[data-testid=request-state]")).to_have_text(state_label)


def test_request_approve_dispatch_arrive_return_with_the_stock_at_each_step(live_server, page, grading_tables):
    city = city_with_inventory()
    base = live_server.url

    _as(page, base, city.requester)
    page.click("[data-nav=resources]")
    expect(page.locator("[data-testid=resource-map]")).to_have_attribute("data-markers", "0")  # sees no city asset
    page.click("[data-testid=resource-tabs] >> text=资源申请")
    page.click(f"[data-testid=active-incidents] [data-incident='{city.incident.pk}']")
    expect(page.locator("[data-testid=nearest-team]")).to_contain_text(city.team.name)  # the city's, nearest first
    form = page.locator("[data-testid=request-form]")
    form.locator("[name=kind]").select_option("supply")
    form.locator("[name=item]").select_option(str(city.tents.pk))
    form.locator("[name=holding_unit]").select_option(str(city.top.pk))
    form.locator("[name=quantity]").fill("30")
    form.locator("[name=reason]").fill("转移安置受灾群众")
    form.locator("button[type=submit]").click()
    expect(page.locator("[data-testid=request-state]")).to_have_text("已申请")
    request_id = int(page.url.rstrip("/").rsplit("/", 1)[1])

    _request_page(page, base, city.approver, request_id)
    decide = page.locator("[data-testid=decide-form]")
    decide.locator("[name=approve]").select_option("1")
    decide.locator("button[type=submit]").click()
    expect(page.locator("[data-testid=request-state]")).to_have_text("已批准")
    expect(page.locator("[data-testid=request-steps]")).to_contain_text("指挥长")

    _request_page(page, base, city.keeper, request_id)
    _step(page, "已调派", store=city.store.name, quantity="30")
    expect(_store_stock(page, city)).to_contain_text("70")
    page.go_back()
    _step(page, "在途")

    _request_page(page, base, city.requester, request_id)
    _step(page, "已到达")
    _step(page, "使用中")

    _request_page(page, base, city.keeper, request_id)
    expect(_store_stock(page, city)).to_contain_text("70")
    page.go_back()
    _step(page, "已归还", quantity="30")
    expect(_store_stock(page, city)).to_contain_text("100")
    expect(page.locator("[data-testid=movements]")).to_contain_text(f"#{request_id}")
    steps = [s for s in city.incident.resource_requests.get().steps.values_list("state", flat=True)]
    assert steps == ["requested", "approved", "dispatched", "en_route", "arrived", "in_use", "returned"]
