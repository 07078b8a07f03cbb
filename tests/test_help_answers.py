"""The answer to a request for help and guidance above the city (city 3.3.3 "必要時,市委、市人民政府可請求自治區黨委、
自治區人民政府或其部門幫助和指導"): who answered, when and what (guidance given, help sent, or declined with the reason),
recorded append-only by the asking unit's duty room, shown on the response page and listed by the API."""
from datetime import timedelta

import pytest
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from emergency.audit.models import AuditEntry
from emergency.errors import NotPermitted, ValidationFailed
from emergency.org.roles import Role
from incidents.response import escalation, services
from incidents.response.help_models import HelpAnswer

from .factories import user_with_role
from .response_helpers import incident_in, lead_officer, organisation

pytestmark = pytest.mark.django_db


def _asked(city):
    """贵港市 at level 2 asks the region for help and guidance (city 3.3.3)."""
    city.top.superior_name = "自治区党委、自治区人民政府"
    city.top.save()
    proposal = services.proposal_create(actor=lead_officer(city), incident=incident_in(city), level=2, reasons="重大")
    commander = user_with_role(Role.COMMANDER, city.top)
    response = services.proposal_decide(actor=commander, proposal=proposal, outcome="approved").response
    return escalation.help_request(actor=commander, response=response, asked="请求派出危化品处置专家组现场指导"), commander


def test_the_duty_room_records_what_the_region_answered_append_only():
    """City 3.3.3 "請求自治區黨委、自治區人民政府或其部門幫助和指導": the region is outside the platform, so the city's
    duty room records its answer (who, when, what); a decline needs its reason; the record cannot be changed."""
    city = organisation("city")
    asked, commander = _asked(city)
    duty = user_with_role(Role.DUTY_OFFICER, city.top)
    with pytest.raises(NotPermitted, match="贵港市"):  # a county's duty room does not answer for the city
        escalation.help_answer(actor=user_with_role(Role.DUTY_OFFICER, city.sub), help_request=asked,
                               outcome="guidance", content="指导", answered_by="自治区应急管理厅")
    with pytest.raises(ValidationFailed) as refused:
        escalation.help_answer(actor=duty, help_request=asked, outcome="declined", content=" ",
                               answered_by="自治区应急管理厅")
    assert "content" in refused.value.fields
    with pytest.raises(ValidationFailed):
        escalation.help_answer(actor=duty, help_request=asked, outcome="guidance", content="指导", answered_by="",)
    with pytest.raises(ValidationFailed):
        escalation.help_answer(actor=duty, help_request=asked, outcome="guidance", content="指导",
                               answered_by="自治区应急管理厅", answered_at=asked.requested_at - timedelta(minutes=1))
    assert not HelpAnswer.objects.exists()
    guidance = escalation.help_answer(actor=duty, help_request=asked, outcome="guidance", content="电话指导现场处置",
                                      answered_by="自治区应急管理厅值班室", answered_at=timezone.now())
    sent = escalation.help_answer(actor=commander, help_request=asked, outcome="help_sent",
                                  content="派出危化品专家组3人", answered_by="自治区应急管理厅")
    assert [a.outcome for a in asked.answers.all()] == ["guidance", "help_sent"]
    assert (guidance.recorded_by, sent.recorded_by) == (duty, commander)
    entry = AuditEntry.objects.get(action="response.help.answer", object_id=str(guidance.pk))
    assert entry.after["answered_by"] == "自治区应急管理厅值班室" and entry.after["outcome"] == "guidance"
    for statement in ("UPDATE response_helpanswer SET content = '篡改' WHERE id = %s",
                      "DELETE FROM response_helpanswer WHERE id = %s"):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement, [guidance.pk])


def test_the_answer_is_entered_and_shown_on_the_response_page(client):
    """City 3.3.3: the page shows what was asked and what the region answered, declined with the reason."""
    city = organisation("city")
    asked, _commander = _asked(city)
    duty = user_with_role(Role.DUTY_OFFICER, city.top)
    client.force_login(duty)
    page = client.get(f"/responses/{asked.response_id}/").content.decode()
    assert 'data-testid="help-unanswered"' in page and 'data-testid="help-answer-form"' in page
    url = f"/responses/help-requests/{asked.pk}/answer/"
    refused = client.post(url, {"outcome": "declined", "content": "", "answered_by": "自治区人民政府办公厅",
                                "next": f"/responses/{asked.response_id}/"}, follow=True)
    assert not HelpAnswer.objects.exists() and "原因" in refused.content.decode()
    client.post(url, {"outcome": "declined", "content": "专家组已赴他市，请就近求助", "answered_by": "自治区人民政府办公厅",
                      "next": f"/responses/{asked.response_id}/"})
    page = client.get(f"/responses/{asked.response_id}/").content.decode()
    assert 'data-testid="help-answers"' in page and 'data-outcome="declined"' in page
    assert "专家组已赴他市，请就近求助" in page and "自治区人民政府办公厅" in page and "已拒绝" in page
    client.force_login(lead_officer(city))  # no duty room, did not ask: no form
    assert 'data-testid="help-answer-form"' not in client.get(f"/responses/{asked.response_id}/").content.decode()


def test_the_api_lists_help_requests_in_scope_with_their_answers(api_as):
    """City 3.3.3: GET /api/v1/help-requests/ lists the requests of the responses in the user's units."""
    city = organisation("city")
    asked, commander = _asked(city)
    duty = user_with_role(Role.DUTY_OFFICER, city.top)
    answered = api_as(duty).post(f"/api/v1/help-requests/{asked.pk}/answer/",
                                 {"outcome": "help_sent", "content": "派出救援队", "answered_by": "自治区应急管理厅"},
                                 format="json")
    assert answered.status_code == 201, answered.json()
    rows = api_as(commander).get("/api/v1/help-requests/").json()["results"]
    assert [(r["asked"], [a["outcome"] for a in r["answers"]]) for r in rows] == [(asked.asked, ["help_sent"])]
    other = user_with_role(Role.DUTY_OFFICER, organisation("customs").top)
    assert api_as(other).get("/api/v1/help-requests/").json()["results"] == []
    assert api_as(other).get(f"/api/v1/help-requests/{asked.pk}/").status_code == 404
    assert api_as(other).post(f"/api/v1/help-requests/{asked.pk}/answer/", {"outcome": "guidance", "content": "x",
                                                                           "answered_by": "y"}).status_code == 404


def test_the_county_asks_the_city_for_support_and_a_person_of_the_city_answers(client):
    """City 1.4.1 "當突發事件超出屬地黨委、政府的應對能力時,由上一級黨委、政府提供支援或負責應對": the county, keeping
    command, asks the city for support; the city's duty room is told and a person of the city enters the answer;
    the county's own people do not answer for the city."""
    from emergency.notify.models import Notification
    from incidents.response.models import AuthorityRule

    city = organisation("city")
    AuthorityRule.objects.filter(organisation=city.top, level=4).update(command_at=AuthorityRule.CommandAt.INCIDENT_UNIT)
    proposal = services.proposal_create(actor=lead_officer(city), incident=incident_in(city), level=4, reasons="县级")
    decider = user_with_role(Role.DEPARTMENT_PRINCIPAL, city.top, department=city.lead)
    response = services.proposal_decide(actor=decider, proposal=proposal, outcome="approved").response
    assert response.command_unit == city.sub
    city_duty = user_with_role(Role.DUTY_OFFICER, city.top)
    asked = escalation.help_request(actor=decider, response=response, asked="请求市级调派救援队伍支援")
    assert (asked.to_unit, asked.to_body) == (city.top, "贵港市")
    assert Notification.objects.filter(recipient=city_duty, title__contains="港北区").exists()
    response.refresh_from_db()
    assert response.command_unit == city.sub and not response.transfers.exists()  # command stays with the county
    with pytest.raises(NotPermitted, match="贵港市"):
        escalation.help_answer(actor=user_with_role(Role.DUTY_OFFICER, city.sub), help_request=asked,
                               outcome="help_sent", content="派出", answered_by="")
    client.force_login(city_duty)
    page = client.get(f"/responses/{response.pk}/").content.decode()
    assert 'data-testid="help-answer-form"' in page
    client.post(f"/responses/help-requests/{asked.pk}/answer/", {"outcome": "help_sent", "content": "市消防救援支队派出两个中队",
                                                                 "answered_by": ""})
    answer = asked.answers.get()
    assert answer.recorded_by == city_duty and "贵港市" in answer.answered_by
    assert "市消防救援支队派出两个中队" in client.get(f"/responses/{response.pk}/").content.decode()


def test_the_response_page_reads_requests_and_answers_in_a_constant_number_of_queries(client):
    """City 3.3.3: however many requests and answers, the response page reads them with the same queries."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    city = organisation("city")
    asked, commander = _asked(city)
    duty = user_with_role(Role.DUTY_OFFICER, city.top)
    escalation.help_answer(actor=duty, help_request=asked, outcome="guidance", content="指导", answered_by="自治区")
    counts = []
    for extra in (0, 3):
        for _ in range(extra):
            more = escalation.help_request(actor=commander, response=asked.response, asked="再次请求指导")
            escalation.help_answer(actor=duty, help_request=more, outcome="guidance", content="电话指导",
                                   answered_by="自治区应急管理厅")
        for user in (duty, commander):
            client.force_login(user)
            with CaptureQueriesContext(connection) as queries:
                page = client.get(f"/responses/{asked.response_id}/").content.decode()
            counts.append(len(queries))
    assert page.count('data-testid="help-request"') == 4
    assert counts[0] == counts[2] and counts[1] == counts[3], counts
