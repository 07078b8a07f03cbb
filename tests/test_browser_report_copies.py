"""City plan 3.3.1 2) "安全生產類突發事件信息,報送上級黨委、政府的同時抄送上級應急管理部門": a work-safety
incident's initial report sent up from the incident page shows its copy to the county's emergency
management bureau, and a person of the bureau finds it in the inbox and acknowledges it on the page."""
import pytest
import yaml
from django.utils import timezone
from playwright.sync_api import expect

from emergency.org.demo import DEMO_DIR
from emergency.org.models import OrgUnit
from emergency.org.roles import Role
from incidents import services
from incidents.demo import copy_rules

from .browser import needs_chromium, sign_in
from .factories import PASSWORD, DepartmentFactory, UnitFactory, user_with_role

pytestmark = [pytest.mark.browser, needs_chromium]


def test_a_work_safety_report_sent_up_is_copied_and_acknowledged_by_the_emergency_bureau(
        live_server, page, grading_tables):
    top = UnitFactory(code="gg", name="贵港市")
    county = UnitFactory(code="gb", name="港北区", parent=top, kind=OrgUnit.Kind.COUNTY)
    township = UnitFactory(code="gc", name="港城街道", parent=county, kind=OrgUnit.Kind.TOWNSHIP)
    copy_rules(top, yaml.safe_load((DEMO_DIR / "guigang_city.yaml").read_text(encoding="utf-8"))["report_copy_rules"])
    bureau = DepartmentFactory(unit=county, code="gb-emergency", name="港北区应急管理局")
    officer = user_with_role(Role.DUTY_OFFICER, township, username="gc-duty")
    reader = user_with_role(Role.LEAD_OFFICER, county, department=bureau, username="gb-bureau")
    now = timezone.now()
    incident = services.incident_log(actor=officer, unit=township, type_code="work_safety", title="仓库火灾",
                                     address="物流园", occurred_at=now, received_at=now, body="首报",
                                     metrics={"deaths": 1})
    sign_in(page, live_server.url, officer.username, PASSWORD)
    page.goto(f"{live_server.url}/incidents/{incident.pk}/")
    page.click("[data-testid=send-report-1]")
    routes = page.locator("[data-testid=report-routes-1]")
    expect(routes).to_contain_text("报送")
    expect(routes.locator("[data-testid=dispatch]")).to_contain_text("港北区")
    copy = routes.locator("[data-testid=copy]")
    expect(copy).to_contain_text("港北区应急管理局")
    expect(copy).to_have_attribute("data-state", "sent")
    expect(copy).to_contain_text("未签收")
    expect(copy.locator("[data-testid=acknowledge-copy]")).to_have_count(0)  # not the sender's to sign

    page.context.clear_cookies()
    sign_in(page, live_server.url, reader.username, PASSWORD)
    page.goto(f"{live_server.url}/notifications/")
    expect(page.locator("main")).to_contain_text("抄送您的报告：仓库火灾")
    page.goto(f"{live_server.url}/incidents/{incident.pk}/")
    copy = page.locator("[data-testid=report-routes-1] [data-testid=copy]")
    copy.locator("[data-testid=acknowledge-copy]").click()
    expect(page.locator(".messages")).to_contain_text("抄送已签收")
    copy = page.locator("[data-testid=report-routes-1] [data-testid=copy]")
    expect(copy).to_have_attribute("data-state", "acknowledged")
    expect(copy).to_contain_text(f"{reader} 于")
    expect(copy.locator("[data-testid=acknowledge-copy]")).to_have_count(0)
