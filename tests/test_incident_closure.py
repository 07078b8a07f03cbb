"""A report found false or a duplicate is closed with its reason by the unit that logged it: kept,
its clocks stopped, counted apart in the annual review, and append-only."""
import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from emergency.audit.models import AuditEntry
from emergency.errors import Conflict, NotPermitted, ValidationFailed
from emergency.org.roles import Role
from emergency.timers.models import TimedDuty
from incidents import closure, services as incident_services
from incidents.models import Incident, IncidentClosure, ReportingDeadline
from incidents.response import services as response_services
from incidents.review import annual_review

from .factories import UnitFactory, user_with_role
from .response_helpers import incident_in, lead_officer, organisation

pytestmark = pytest.mark.django_db


@pytest.fixture
def logged(grading_tables):
    city = organisation("city")
    first, second = incident_in(city), incident_in(city)
    officer = user_with_role(Role.DUTY_OFFICER, city.sub)
    return city, first, second, officer


def test_a_duplicate_is_closed_its_clocks_stop_and_it_counts_apart(logged):
    city, first, second, officer = logged
    assert ReportingDeadline.objects.filter(incident=second, state="open").exists()
    made = closure.incident_close(actor=officer, incident=second, reason="duplicate", duplicate_of=first,
                                  explanation="同一起仓库爆炸，两名群众分别报告。")
    second.refresh_from_db()
    assert second.status == "closed" and made.duplicate_of == first
    assert not ReportingDeadline.objects.filter(incident=second, state__in=["open", "late"]).exists()
    assert not TimedDuty.objects.filter(subject_type="incidents.reportingdeadline", state="scheduled",
                                        subject_id__in=second.deadlines.values("pk")).exists()
    assert AuditEntry.objects.filter(action="incident.close", object_id=str(made.pk)).exists()
    review = annual_review(user=user_with_role(Role.COMMANDER, city.top), year=timezone.localtime().year)
    assert review.total == 1 and review.not_incidents == {"duplicate": 1}
    assert Incident.objects.filter(pk=second.pk).exists()  # never deleted
    with pytest.raises(Conflict):
        incident_services.report_submit(actor=officer, incident=second, kind="follow_up", body="续报")
    with pytest.raises(Conflict):
        closure.incident_close(actor=officer, incident=second, reason="false", explanation="再关一次")


def test_only_the_logging_unit_closes_before_any_response_with_a_reason(logged):
    city, first, second, officer = logged
    with pytest.raises(NotPermitted):  # the superior sees it but did not log it
        closure.incident_close(actor=user_with_role(Role.DUTY_OFFICER, city.top), incident=second, reason="false",
                               explanation="误报")
    with pytest.raises(ValidationFailed) as refused:
        closure.incident_close(actor=officer, incident=second, reason="duplicate", explanation="")
    assert set(refused.value.fields) == {"explanation", "duplicate_of"}
    with pytest.raises(ValidationFailed):
        closure.incident_close(actor=officer, incident=second, reason="duplicate", duplicate_of=second,
                               explanation="自身")
    stranger_incident = incident_in(organisation("customs"))
    with pytest.raises(ValidationFailed):  # another organisation's incident is no original
        closure.incident_close(actor=officer, incident=second, reason="duplicate", duplicate_of=stranger_incident,
                               explanation="别处")
    response_services.proposal_create(actor=lead_officer(city), incident=first, level=2, reasons="二级")
    with pytest.raises(Conflict):
        closure.incident_close(actor=officer, incident=first, reason="false", explanation="误报")
    assert not IncidentClosure.objects.exists()


def test_the_closure_is_append_only_at_the_database(logged):
    city, first, second, officer = logged
    made = closure.incident_close(actor=officer, incident=second, reason="false", explanation="经核实为误报。")
    for statement in ("UPDATE incidents_incidentclosure SET explanation = 'x' WHERE id = %s",
                      "DELETE FROM incidents_incidentclosure WHERE id = %s"):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement, [made.pk])


def test_the_api_closes_and_another_organisation_cannot(logged, api_as):
    city, first, second, officer = logged
    outsider = user_with_role(Role.DUTY_OFFICER, UnitFactory(code="far"))
    url = reverse("api:incident-close", args=[second.pk])
    assert api_as(outsider).post(url, {"reason": "false", "explanation": "x"}, format="json").status_code == 404
    bad = api_as(officer).post(url, {"reason": "duplicate", "explanation": "重复", "duplicate_of": 99999999},
                               format="json")
    assert bad.status_code == 400 and "duplicate_of" in bad.json()["error"]["fields"]
    done = api_as(officer).post(url, {"reason": "duplicate", "explanation": "重复报告", "duplicate_of": first.pk},
                                format="json")
    assert done.status_code == 201 and done.json()["duplicate_of"] == first.pk
    assert api_as(officer).post(url, {"reason": "false", "explanation": "x"}, format="json").status_code == 409


def test_the_annual_review_as_filed_marks_the_false_reports_and_duplicates(logged, client):
    import io

    from docx import Document
    from pypdf import PdfReader

    city, first, second, officer = logged
    closure.incident_close(actor=officer, incident=second, reason="duplicate", duplicate_of=first,
                           explanation="同一起仓库爆炸，两名群众分别报告。")
    client.force_login(user_with_role(Role.COMMANDER, city.top))
    base = f"/incidents/review/document.%s?year={timezone.localtime().year}"
    pdf = client.get(base % "pdf")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages).replace(" ", "")
    assert "按非突发事件关闭" in text and "与其他事件重复" in text, text
    doc = Document(io.BytesIO(client.get(base % "docx").content))
    words = [p.text for p in doc.paragraphs] + [c.text for t in doc.tables for r in t.rows for c in r.cells]
    assert "按非突发事件关闭" in "".join(words) and "与其他事件重复" in words and "1" in words
