"""Issue 16 item 3, "each with its API": every document a person downloads from a page, a connected
system fetches under /api/v1/ with its token, as PDF or .docx, read back here; scoped like the page."""
from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from emergency.org.roles import Role
from incidents.response import command
from incidents.response import services as response_services
from incidents.response.dutylog import duty_log_write
from incidents.review import investigation_submit
from plans import services as plan_services

from .factories import user_with_role
from .scope_helpers import boss_of, organisation_rules
from .response_helpers import incident_in, lead_officer, organisation
from .test_documents import _docx_text, _pdf_text

pytestmark = pytest.mark.django_db


def _token_client(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


@pytest.fixture
def world():
    city = organisation("city")
    incident = incident_in(city, grade_deaths=3)
    proposal = response_services.proposal_create(actor=lead_officer(city), incident=incident, level=2, reasons="二级")
    commander = user_with_role(Role.COMMANDER, city.top)
    response = response_services.proposal_decide(actor=commander, proposal=proposal, outcome="approved").response
    command.order_issue(actor=commander, response=response, text="组织搜救被困人员", department=city.lead)
    duty_log_write(actor=commander, incident=incident, text="值班室接市应急局电话，要求每小时续报")
    return city, incident, response, commander


def _text(answer) -> str:
    kind = answer["Content-Type"]
    text = _pdf_text(answer.content) if kind == "application/pdf" else _docx_text(answer.content)
    return text.replace(" ", "").replace("\n", "")


def test_a_connected_system_fetches_each_document_with_its_token(world):
    city, incident, response, commander = world
    api = _token_client(commander)
    report = incident.reports.get()
    for fmt in ("pdf", "docx"):
        answer = api.get(f"/api/v1/incidents/{incident.pk}/reports/{report.pk}/document.{fmt}")
        assert answer.status_code == 200 and "attachment" in answer["Content-Disposition"]
        assert incident.number in _text(answer) and "贵港市" in _text(answer)
        situation = _text(api.get(f"/api/v1/responses/{response.pk}/situation.{fmt}"))
        assert "情况通报" in situation and "组织搜救被困人员" in situation
        log = api.get(f"/api/v1/incidents/{incident.pk}/duty-log/document.{fmt}")
        assert "要求每小时续报" in _text(log)
        assert "下达命令" in _text(api.get(f"/api/v1/responses/{response.pk}/duty-log/document.{fmt}"))
    # a client that asks for the file's own type gets it
    answer = api.get(f"/api/v1/responses/{response.pk}/situation.pdf", HTTP_ACCEPT="application/pdf")
    assert answer.status_code == 200 and answer["Content-Type"] == "application/pdf"
    missing = api.get(f"/api/v1/incidents/{incident.pk}/investigation/document.pdf")
    assert missing.status_code == 404 and "尚无调查评估报告" in missing.json()["error"]["message"]
    response_services.response_end(actor=commander, response=response, reason="处置完毕")
    investigation_submit(actor=commander, incident=incident, summary="仓库违规存放危化品引发爆炸", causes="违规存放",
                         lessons=["修订危化品专项预案"])
    assert "违规存放" in _text(api.get(f"/api/v1/incidents/{incident.pk}/investigation/document.docx"))
    year = incident.received_at.year
    assert f"{year}年" in _text(api.get(f"/api/v1/incidents/review/document.pdf?year={year}"))


def test_a_plan_edition_as_a_file_over_the_api(world, client):
    city = world[0]
    organisation_rules(city.top)
    boss = boss_of(city.top, city.lead)
    plan = plan_services.plan_create(actor=boss, unit=city.top, plan_type="general", title="贵港市突发事件总体应急预案",
                                     sections=[{"title": "1 总则", "body": "为了提高政府保障公共安全和处置突发事件的能力"}])
    version = plan_services.version_submit(actor=boss, version=plan.versions.get())
    (opinion,) = plan_services.opinions_request(actor=boss, version=version, departments=[city.lead],
                                                due_on=timezone.localdate() + timedelta(days=7))
    plan_services.opinion_record(actor=boss, opinion=opinion, text="无意见")
    while plan_services.next_step(version).kind != "filing":  # consultation, approval, publication
        plan_services.step_take(actor=boss, version=version, step=plan_services.next_step(version))
    api = _token_client(boss)
    for fmt in ("pdf", "docx"):
        answer = api.get(f"/api/v1/plans/{plan.pk}/editions/1/document.{fmt}")
        assert answer.status_code == 200 and "总体应急预案" in _text(answer) and "处置突发事件的能力" in _text(answer)
    assert not _text(api.get(f"/api/v1/plans/{plan.pk}/editions/1/document.pdf")).startswith("机密")
    classified = api.post(f"/api/v1/plans/{plan.pk}/classify/", {"classification": "confidential"}, format="json")
    assert classified.status_code == 200 and classified.json()["classification"] == "confidential"
    for fmt in ("pdf", "docx"):  # the 密级 heads the edition as filed
        assert _text(api.get(f"/api/v1/plans/{plan.pk}/editions/1/document.{fmt}")).lstrip().startswith("机密")
    client.force_login(boss)
    page = client.get(f"/plans/{plan.pk}/").content.decode()
    assert 'data-testid="classify-form"' in page and 'data-testid="plan-classification">机密<' in page
    client.post(f"/plans/{plan.pk}/classify/", {"classification": "secret"})
    plan.refresh_from_db()
    assert plan.classification == "secret"
    stranger = _token_client(user_with_role(Role.PLAN_ADMIN, organisation("customs").top))
    assert stranger.post(f"/api/v1/plans/{plan.pk}/classify/", {"classification": ""}, format="json").status_code == 404
    assert api.get(f"/api/v1/plans/{plan.pk}/editions/2/document.pdf").status_code == 404


def test_the_document_api_is_scoped_and_refuses_what_it_does_not_serve(world):
    city, incident, response, _commander = world
    report = incident.reports.get()
    stranger = _token_client(user_with_role(Role.COMMANDER, organisation("customs").top))
    for url in (f"/api/v1/incidents/{incident.pk}/reports/{report.pk}/document.pdf",
                f"/api/v1/responses/{response.pk}/situation.docx",
                f"/api/v1/incidents/{incident.pk}/duty-log/document.pdf"):
        answer = stranger.get(url)
        assert answer.status_code == 404 and answer["Content-Type"].startswith("application/json"), url
        assert APIClient().get(url).status_code == 401
    own = _token_client(user_with_role(Role.DUTY_OFFICER, city.sub))
    assert own.get(f"/api/v1/responses/{response.pk}/situation.html").status_code == 404  # the print page is a page
    assert own.get(f"/api/v1/responses/{response.pk}/situation.exe").status_code == 404
    assert own.post(f"/api/v1/responses/{response.pk}/situation.pdf").status_code == 405
