"""A warning escalated into an incident appears in the incident's duty log: issued, then escalated."""
import pytest

from alerts import services
from emergency.org.roles import Role
from incidents.response.timeline import Filters, timeline

from .factories import user_with_role
from .response_helpers import lead_officer
from .test_warnings import _draft, city  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db


def test_the_warning_escalated_into_an_incident_is_in_its_duty_log(city):  # noqa: F811
    officer = user_with_role(Role.DUTY_OFFICER, city.sub)
    commander = user_with_role(Role.COMMANDER, city.sub)
    warning = _draft(city, officer)
    services.warning_issue(actor=commander, warning=warning)
    lead = lead_officer(city)
    lead.role_assignments.create(unit=city.sub, role=Role.COMMANDER)
    incident, _proposal = services.warning_escalate(actor=lead, warning=warning, body="堤防出现管涌",
                                                    lead_department=city.lead)
    warnings = timeline(incident=incident, filters=Filters(kinds=frozenset({"warning"})))
    assert [item.label for item in warnings] == ["预警已发布", "预警转为突发事件"], warnings
    assert {item.kind for item in timeline(incident=incident)} >= {"warning", "report", "decision"}
