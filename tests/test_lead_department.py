"""The lead department (牵头部门) is set from the incident page, by whom the rules let, from the
departments of the incident's unit and its superiors; once set, the lead department can propose."""
import pytest
from django.urls import reverse
from playwright.sync_api import expect

from emergency.org.roles import Role

from .browser import needs_chromium, sign_in
from .factories import PASSWORD, DepartmentFactory, UnitFactory, user_with_role
from .response_helpers import incident_in, lead_officer, organisation


@pytest.fixture
def city(grading_tables):
    return organisation("city")


def test_the_duty_officer_sets_the_lead_department_from_the_incident_page(city, client):
    incident = incident_in(city, lead=False)
    client.force_login(user_with_role(Role.DUTY_OFFICER, city.top))  # the city's duty room
    page = client.get(reverse("incident-detail", args=[incident.pk])).content.decode()
    assert 'data-testid="lead-form"' in page and "市应急管理局" in page
    response = client.post(reverse("incident.lead-department", args=[incident.pk]), {"department": city.lead.pk}, follow=True)
    assert "已确定牵头部门：市应急管理局" in response.content.decode()
    incident.refresh_from_db()
    assert incident.lead_department == city.lead


def test_a_department_outside_the_incident_units_line_is_neither_offered_nor_accepted(city, client):
    incident = incident_in(city, lead=False)
    sibling = UnitFactory(code="city-sibling", name="港南区", parent=city.top)
    foreign = DepartmentFactory(unit=sibling, code="sibling-dept", name="港南区应急管理局")
    elsewhere = DepartmentFactory(unit=UnitFactory(code="other-org", name="另一组织"), code="x", name="外单位部门")
    client.force_login(user_with_role(Role.DUTY_OFFICER, city.top))
    page = client.get(reverse("incident-detail", args=[incident.pk])).content.decode()
    assert "港南区应急管理局" not in page and "外单位部门" not in page
    for department in (foreign, elsewhere):
        response = client.post(reverse("incident.lead-department", args=[incident.pk]), {"department": department.pk},
                               follow=True)
        assert "请从事发单位或其上级单位的部门中选择" in response.content.decode()
    incident.refresh_from_db()
    assert incident.lead_department is None


def test_a_county_duty_officer_is_offered_the_county_departments(city, client):
    county_department = DepartmentFactory(unit=city.sub, code="county-em", name="港北区应急管理局")
    incident = incident_in(city, lead=False)
    client.force_login(user_with_role(Role.DUTY_OFFICER, city.sub))
    page = client.get(reverse("incident-detail", args=[incident.pk])).content.decode()
    assert "港北区应急管理局" in page
    client.post(reverse("incident.lead-department", args=[incident.pk]), {"department": county_department.pk})
    incident.refresh_from_db()
    assert incident.lead_department == county_department


def test_who_may_not_assign_is_not_offered_the_form_and_is_refused(city, client):
    incident = incident_in(city, lead=False)
    client.force_login(user_with_role(Role.PLAN_ADMIN, city.top))
    page = client.get(reverse("incident-detail", args=[incident.pk])).content.decode()
    assert 'data-testid="lead-form"' not in page
    client.post(reverse("incident.lead-department", args=[incident.pk]), {"department": city.lead.pk})
    incident.refresh_from_db()
    assert incident.lead_department is None


@pytest.mark.browser
@needs_chromium
def test_after_the_duty_officer_names_the_lead_department_its_officer_proposes_a_level(live_server, page, city):
    incident = incident_in(city, lead=False)
    officer = user_with_role(Role.DUTY_OFFICER, city.top)
    sign_in(page, live_server.url, officer.username, PASSWORD)
    page.goto(f"{live_server.url}/incidents/{incident.pk}/")
    form = page.locator("[data-testid=lead-form]")
    form.locator("[name=department]").select_option(label="市应急管理局")
    form.locator("button[type=submit]").click()
    expect(page.locator(".messages")).to_contain_text("已确定牵头部门")
    expect(page.locator("[data-testid=lead-department]")).to_have_text("市应急管理局")

    page.context.clear_cookies()
    sign_in(page, live_server.url, lead_officer(city).username, PASSWORD)
    page.goto(f"{live_server.url}/incidents/{incident.pk}/")
    propose = page.locator("[data-testid=propose-form]")
    propose.locator("[name=level]").select_option("3")
    propose.locator("[name=reasons]").fill("死亡3人，需启动三级响应。")
    propose.locator("button[type=submit]").click()
    expect(page.locator("[data-testid=pending-proposal]")).to_contain_text("启动三级响应")
    assert incident.proposals.get().level == 3
