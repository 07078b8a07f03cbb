"""On the incident page a duty officer attaches the scene photo to the initial report, marks the
incident 秘密 and downloads the report as the PDF filed with the superior: through the page alone."""
import io

import pytest
from PIL import Image
from playwright.sync_api import expect
from pypdf import PdfReader

from emergency.org.roles import Role

from .browser import needs_chromium, sign_in
from .factories import PASSWORD, user_with_role
from .response_helpers import incident_in, organisation

pytestmark = [pytest.mark.browser, needs_chromium]


def _photo() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (640, 480), (180, 60, 40)).save(out, "JPEG")
    return out.getvalue()


def test_a_photo_is_attached_to_a_report_and_the_report_downloaded_as_a_pdf(live_server, page, grading_tables):
    city = organisation("city")
    incident = incident_in(city)
    report = incident.reports.get()
    officer = user_with_role(Role.DUTY_OFFICER, city.sub)
    sign_in(page, live_server.url, officer.username, PASSWORD)
    page.goto(f"{live_server.url}/incidents/{incident.pk}/")
    panel = page.locator(f"[data-testid=attachments-incident_report-{report.pk}]")
    panel.locator("input[type=file]").set_input_files(
        files=[{"name": "现场照片.jpg", "mimeType": "image/jpeg", "buffer": _photo()}])
    panel.locator("[name=description]").fill("仓库东侧起火点")
    panel.locator("button[type=submit]").click()
    expect(page.locator(".messages")).to_contain_text("附件已上传")
    panel = page.locator(f"[data-testid=attachments-incident_report-{report.pk}]")
    expect(panel.locator("[data-testid=attachment-link]")).to_have_text("现场照片.jpg")
    expect(panel.locator("img")).to_have_count(1)
    classify = page.locator("[data-testid=classify-form]")
    classify.locator("[name=classification]").select_option("secret")
    classify.locator("[data-testid=classify]").click()
    expect(page.locator(".messages")).to_contain_text("密级已设定")
    expect(page.locator("[data-testid=incident-classification]")).to_have_text("秘密")
    links = page.locator("[data-testid=report-documents-1]")
    with page.expect_download() as download:
        links.get_by_text("PDF").click()
    body = open(download.value.path(), "rb").read()
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(body)).pages).replace(" ", "")
    assert body.startswith(b"%PDF") and "关于仓库爆炸的首报" in text and incident.number in text
    assert text.startswith("秘密"), text  # the 密级 set on the page heads the filed report
    reader = user_with_role(Role.PLAN_ADMIN, city.sub)  # sees the incident, holds no reporting role
    page.context.clear_cookies()
    sign_in(page, live_server.url, reader.username, PASSWORD)
    page.goto(f"{live_server.url}/incidents/{incident.pk}/")
    panel = page.locator(f"[data-testid=attachments-incident_report-{report.pk}]")
    expect(panel.locator("[data-testid=attachment-link]")).to_have_text("现场照片.jpg")
    expect(panel.locator("input[type=file]")).to_have_count(0)  # offered only to who may attach
