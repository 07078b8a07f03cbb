"""A duty officer opens an incident, goes to its duty log, writes what the caller said, corrects it,
filters to the free-text entries and downloads the log as CSV: all through the pages."""
import csv
import io

import pytest
from playwright.sync_api import expect

from emergency.org.roles import Role

from .browser import needs_chromium, sign_in
from .factories import PASSWORD, user_with_role
from .response_helpers import incident_in, organisation

pytestmark = [pytest.mark.browser, needs_chromium]


def test_a_duty_officer_writes_corrects_filters_and_exports_the_duty_log(live_server, page, grading_tables):
    city = organisation("city")
    incident = incident_in(city)
    officer = user_with_role(Role.DUTY_OFFICER, city.sub)
    sign_in(page, live_server.url, officer.username, PASSWORD)
    page.goto(f"{live_server.url}/incidents/{incident.pk}/")
    page.locator("[data-testid=duty-log-link] a").click()
    expect(page.locator("[data-testid=duty-log-title]")).to_contain_text("值班日志")
    expect(page.locator("[data-testid=duty-log]")).to_contain_text("事件已登记")  # from the audit trail
    form = page.locator("[data-testid=duty-log-entry-form]")
    form.locator("[name=text]").fill("接港北区群众来电：物流园二号仓冒烟")
    form.locator("button[type=submit]").click()
    expect(page.locator(".messages")).to_contain_text("已写入值班日志")
    entry = page.locator("[data-testid=duty-log] li[data-kind=entry]")
    expect(entry).to_contain_text("物流园二号仓冒烟")
    entry_id = entry.get_attribute("data-entry")
    entry.locator("summary").click()
    correction = page.locator(f"[data-testid=correct-entry-{entry_id}]")
    correction.locator("[name=text]").fill("接港北区群众来电：物流园三号仓冒烟")
    correction.locator("button[type=submit]").click()
    expect(page.locator(".messages")).to_contain_text("已写入值班日志")
    expect(page.locator(f"[data-testid=corrected-{entry_id}]")).to_contain_text("已由第")
    expect(page.locator(f"[data-testid=correction-of-{entry_id}]")).to_be_visible()
    filters = page.locator("[data-testid=duty-log-filters]")
    filters.locator("input[name=kind][value=entry]").check()
    filters.locator("button[type=submit]").click()
    expect(page.locator("[data-testid=duty-log] li")).to_have_count(2)
    expect(page.locator("[data-testid=duty-log]")).not_to_contain_text("事件已登记")
    with page.expect_download() as download:
        page.locator("[data-testid=duty-log-csv]").click()
    rows = list(csv.reader(io.StringIO(open(download.value.path(), "rb").read().decode("utf-8-sig"))))
    assert [row[3] for row in rows[1:]] == ["接港北区群众来电：物流园二号仓冒烟", "接港北区群众来电：物流园三号仓冒烟"], rows
