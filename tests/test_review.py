"""Afterwards: the investigation report closes an incident; the annual review counts last year's."""
import csv
import io
from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.db.utils import InternalError, ProgrammingError
from django.urls import reverse
from django.utils import timezone

from emergency import operations
from emergency.errors import Conflict, NotPermitted, ValidationFailed
from emergency.org.roles import Role
from emergency.timers.services import duties_sweep
from incidents.models import Incident
from incidents import operations as _incident_operations  # noqa: F401  (registers incident.investigate)
from incidents.response import services as response_services
from incidents.review import annual_review, investigation_submit

from .factories import user_with_role
from .response_helpers import incident_in, lead_officer, organisation

pytestmark = pytest.mark.django_db


def _ended(city):
    incident = incident_in(city)
    proposal = response_services.proposal_create(actor=lead_officer(city), incident=incident, level=2, reasons="二级")
    commander = user_with_role(Role.COMMANDER, city.top)
    response = response_services.proposal_decide(actor=commander, proposal=proposal, outcome="approved").response
    response_services.response_end(actor=commander, response=response, reason="处置完毕")
    return incident, commander


def test_the_investigation_report_closes_the_incident_and_never_changes():
    city = organisation("city")
    incident, commander = _ended(city)
    with pytest.raises(NotPermitted):
        investigation_submit(actor=user_with_role(Role.DUTY_OFFICER, city.top), incident=incident, summary="x",
                             causes="y")
    blank = operations.get("incident.investigate").input(data={"summary": " ", "causes": "y"})
    assert not blank.is_valid() and "summary" in blank.errors  # the operation's input refuses it
    report = investigation_submit(actor=commander, incident=incident, summary="仓库违规存放危化品引发爆炸",
                                  causes="违规存放", recovery="恢复物流园运营", lessons=["修订危化品专项预案", " "])
    incident.refresh_from_db()
    assert incident.status == Incident.Status.REVIEWED and report.lessons == ["修订危化品专项预案"]
    with pytest.raises((InternalError, ProgrammingError)), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE incidents_investigation SET causes = 'x' WHERE id = %s", [report.pk])
    ongoing = incident_in(city)
    with pytest.raises(Conflict):
        investigation_submit(actor=commander, incident=ongoing, summary="x", causes="y")


def test_the_annual_review_counts_by_type_and_grade_with_late_reports_and_response_times(client):
    city = organisation("city")
    incident, commander = _ended(city)
    late = incident_in(city, grade_deaths=1)
    late.received_at = timezone.now() - timedelta(hours=3)
    late.save()
    late.deadlines.update(due_at=timezone.now() - timedelta(hours=2))
    from emergency.timers.models import TimedDuty
    TimedDuty.objects.update(due_at=timezone.now() - timedelta(seconds=1))
    duties_sweep()
    review = annual_review(user=commander, year=timezone.localtime().year)
    assert review.total == 2
    (row,) = review.by_type
    assert row["type"].code == "work_safety" and row["counts"] == [0, 0, 1, 1, 0]
    assert review.late.get("superior_report") == 2 and review.late.get("public_release") == 2
    assert review.response_minutes[2]["count"] == 1
    outsider = user_with_role(Role.COMMANDER, organisation("customs").top)
    assert annual_review(user=outsider, year=timezone.localtime().year).total == 0
    client.force_login(commander)
    page = client.get(reverse("annual-review"), {"year": timezone.localtime().year})
    assert page.status_code == 200 and "安全生产事故" in page.content.decode()
    exported = client.get(reverse("annual-review"), {"year": timezone.localtime().year, "format": "csv"})
    rows = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig"))))
    assert rows[0][1] == str(timezone.localtime().year) and rows[2][1] == "安全生产事故" and rows[2][-1] == "2"


def test_lessons_open_revision_requests_against_the_plans_chosen():
    from plans import services as plan_services
    from plans.loader import load_routes

    city = organisation("city")
    with transaction.atomic():
        load_routes(city.top, "routes_city")
    admin = user_with_role(Role.PLAN_ADMIN, city.top)
    general = plan_services.plan_create(actor=admin, unit=city.top, plan_type="general", title="总体应急预案")
    incident, commander = _ended(city)
    with pytest.raises(ValidationFailed):
        investigation_submit(actor=commander, incident=incident, summary="经过", causes="原因", revise_plans=[general])
    investigation_submit(actor=commander, incident=incident, summary="经过", causes="原因",
                         lessons=["危化品仓储监管职责不清", "通信保障预案缺失"], revise_plans=[general])
    request = general.revision_requests.get()
    assert request.trigger == "lessons" and request.source == f"incident:{incident.pk}"
    assert "危化品仓储监管职责不清" in request.description
