"""Official documents: each report to the superior, the situation report, the investigation report,
the annual review and a plan edition, as print page, PDF (Chinese font embedded) and .docx, read back
as their recipients would; served only to those who may see the record."""
import io

import pytest
from docx import Document
from pypdf import PdfReader

from emergency.org.roles import Role
from incidents import services as incident_services
from incidents.response import services as response_services
from incidents.review import investigation_submit

from .factories import user_with_role
from .response_helpers import incident_in, lead_officer, organisation

pytestmark = pytest.mark.django_db


def _pdf_text(body: bytes) -> str:
    reader = PdfReader(io.BytesIO(body))
    return "\n".join(page.extract_text() for page in reader.pages)


def _docx_text(body: bytes) -> str:
    doc = Document(io.BytesIO(body))
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


def _fonts(body: bytes) -> set[str]:
    reader = PdfReader(io.BytesIO(body))
    fonts = set()
    for page in reader.pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            font = font.get_object()
            descendant = font.get("/DescendantFonts")
            descriptor = (descendant[0].get_object() if descendant else font).get("/FontDescriptor")
            if descriptor and descriptor.get_object().get("/FontFile2"):
                fonts.add(str(font["/BaseFont"]))
    return fonts


@pytest.fixture
def city():
    return organisation("city")


def test_a_report_to_the_superior_as_pdf_docx_and_print_page(city, client):
    incident = incident_in(city, grade_deaths=3)
    officer = user_with_role(Role.DUTY_OFFICER, city.sub)
    follow = incident_services.report_submit(actor=officer, incident=incident, kind="follow_up",
                                             body="现场明火已扑灭。\n已疏散周边群众120人。", metrics={"deaths": 4})
    incident_services.report_send_up(actor=officer, report=follow)
    client.force_login(officer)
    base = f"/incidents/{incident.pk}/reports/{follow.pk}/document"
    pdf = client.get(base + ".pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert "attachment" in pdf["Content-Disposition"]
    text = _pdf_text(pdf.content)
    for expected in ("港北区", "关于仓库爆炸的续报", incident.number, "现场明火已扑灭", "已疏散周边群众120人",
                     "贵港市", "死亡"):
        assert expected in text.replace(" ", ""), (expected, text)
    assert any("NotoSerifSC" in name for name in _fonts(pdf.content)), "the Chinese font is embedded"
    docx = client.get(base + ".docx")
    assert docx.status_code == 200 and docx["Content-Type"].endswith("wordprocessingml.document")
    words = _docx_text(docx.content)
    assert "关于仓库爆炸的续报" in words and "现场明火已扑灭。" in words and "贵港市" in words
    page = client.get(base + ".html", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "关于仓库爆炸的续报" in page and "window.print()" in page  # filed in Chinese in any interface
    assert client.get(base + ".exe").status_code == 404


def test_documents_are_served_only_to_who_may_see_the_record(city, client):
    incident = incident_in(city)
    report = incident.reports.get()
    other = organisation("customs")
    client.force_login(user_with_role(Role.COMMANDER, other.top))
    assert client.get(f"/incidents/{incident.pk}/reports/{report.pk}/document.pdf").status_code == 404
    client.logout()
    answer = client.get(f"/incidents/{incident.pk}/reports/{report.pk}/document.pdf")
    assert answer.status_code == 302 and "/accounts/login/" in answer["Location"]


def test_situation_report_investigation_and_annual_review(city, client):
    incident = incident_in(city)
    proposal = response_services.proposal_create(actor=lead_officer(city), incident=incident, level=2, reasons="二级")
    commander = user_with_role(Role.COMMANDER, city.top)
    response = response_services.proposal_decide(actor=commander, proposal=proposal, outcome="approved").response
    from incidents.response import command

    command.post_open(actor=commander, response=response, name="物流园现场指挥部", location="物流园东门")
    command.order_issue(actor=commander, response=response, text="组织搜救被困人员", department=city.lead)
    client.force_login(commander)
    situation = _pdf_text(client.get(f"/responses/{response.pk}/situation.pdf").content).replace(" ", "")
    assert "关于仓库爆炸的情况通报" in situation and "二级" in situation, situation
    assert "物流园现场指挥部" in situation and "组织搜救被困人员" in situation and "已下达" in situation, situation
    assert "关于仓库爆炸的情况通报" in _docx_text(client.get(f"/responses/{response.pk}/situation.docx").content)
    response_services.response_end(actor=commander, response=response, reason="处置完毕")
    investigation_submit(actor=commander, incident=incident, summary="仓库违规存放危化品引发爆炸", causes="违规存放",
                         lessons=["修订危化品专项预案"])
    report = _docx_text(client.get(f"/incidents/{incident.pk}/investigation/document.docx").content)
    assert "调查评估报告" in report and "违规存放" in report and "修订危化品专项预案" in report
    year = incident.received_at.year
    review = _pdf_text(client.get(f"/incidents/review/document.pdf?year={year}").content).replace(" ", "")
    assert f"{year}年" in review and "贵港市" in review


def test_another_organisations_situation_report_is_not_found(city, client):
    incident = incident_in(city)
    proposal = response_services.proposal_create(actor=lead_officer(city), incident=incident, level=2, reasons="二级")
    commander = user_with_role(Role.COMMANDER, city.top)
    response = response_services.proposal_decide(actor=commander, proposal=proposal, outcome="approved").response
    client.force_login(user_with_role(Role.COMMANDER, organisation("customs").top))
    for fmt in ("pdf", "docx", "html"):
        assert client.get(f"/responses/{response.pk}/situation.{fmt}").status_code == 404


def test_the_classification_set_on_the_incident_heads_each_of_its_documents(city, client, api_as):
    from emergency.audit.models import AuditEntry
    from incidents.response import dutylog

    incident = incident_in(city)
    report = incident.reports.get()
    officer = user_with_role(Role.DUTY_OFFICER, city.sub)
    dutylog.duty_log_write(actor=officer, incident=incident, text="接报后立即上报")
    client.force_login(officer)
    base = f"/incidents/{incident.pk}/reports/{report.pk}/document"
    assert "秘密" not in _pdf_text(client.get(base + ".pdf").content)  # none set: none printed
    url = f"/api/v1/incidents/{incident.pk}/classify/"
    bad = api_as(officer).post(url, {"classification": "restricted"}, format="json")
    assert bad.status_code == 400 and bad.json()["error"]["fields"]["classification"] == ["请选择密级。"]
    outsider = user_with_role(Role.DUTY_OFFICER, organisation("customs").top)
    assert api_as(outsider).post(url, {"classification": "secret"}, format="json").status_code == 404
    done = api_as(officer).post(url, {"classification": "secret"}, format="json")
    assert done.status_code == 200 and done.json()["classification"] == "secret"
    assert api_as(officer).get(f"/api/v1/incidents/{incident.pk}/").json()["classification"] == "secret"
    assert AuditEntry.objects.filter(action="incident.classify", object_id=str(incident.pk)).count() == 1
    assert _pdf_text(client.get(base + ".pdf").content).lstrip().startswith("秘密")  # top left, before the issuer
    assert _docx_text(client.get(base + ".docx").content).startswith("秘密")
    assert "秘密" in client.get(base + ".html").content.decode()
    assert _pdf_text(client.get(f"/incidents/{incident.pk}/duty-log/document.pdf").content).lstrip().startswith("秘密")
    page = client.get(f"/incidents/{incident.pk}/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert 'data-testid="classify-form"' in page and "秘密" in page
    client.post(f"/incidents/{incident.pk}/classify/", {"classification": "confidential"})
    incident.refresh_from_db()
    assert incident.classification == "confidential"
    assert _pdf_text(client.get(base + ".pdf").content).lstrip().startswith("机密")
    assert api_as(officer).post(url, {"classification": ""}, format="json").json()["classification"] == ""
    assert "机密" not in _pdf_text(client.get(base + ".pdf").content)
