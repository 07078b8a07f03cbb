"""The workbench counts what needs attention in my units: decisions waiting, late reports, overdue plans."""
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from emergency.org.roles import Role
from incidents.models import ReportingDeadline
from incidents.response import services as response_services
from plans.models import Plan

from .factories import user_with_role
from .response_helpers import incident_in, lead_officer, organisation

pytestmark = pytest.mark.django_db


def test_the_workbench_counts_what_needs_attention(client, django_assert_max_num_queries):
    city = organisation("city")
    incident = incident_in(city)
    response_services.proposal_create(actor=lead_officer(city), incident=incident, level=2, reasons="二级")
    incident.deadlines.filter(kind="superior_report").update(state=ReportingDeadline.State.LATE)
    admin = user_with_role(Role.PLAN_ADMIN, city.top)
    Plan.objects.create(unit=city.top, plan_type="general", title="总体预案", created_by=admin,
                        next_drill_due=timezone.localdate() - timedelta(days=1))
    commander = user_with_role(Role.COMMANDER, city.top)
    client.force_login(commander)
    with django_assert_max_num_queries(20):
        page = client.get(reverse("home")).content.decode()
    for key, value in (("decisions", 1), ("incidents-active", 1), ("late-open", 1), ("plans-overdue", 1)):
        assert f'data-figure="{key}"><strong>{value}</strong>' in page, key
    outsider = user_with_role(Role.COMMANDER, organisation("customs").top)
    client.force_login(outsider)
    assert 'data-figure="incidents-active"><strong>0</strong>' in client.get(reverse("home")).content.decode()
