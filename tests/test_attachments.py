"""Attachments: checked by content not name, stored outside the web root under a name the platform
chooses, thumbnails for photos, served only to who may see the record and never run by the browser,
append-only like the records they belong to."""
import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.db.utils import InternalError, ProgrammingError
from PIL import Image
from rest_framework.test import APIClient

from emergency.attachments.models import Attachment
from emergency.org.roles import Role

from .factories import user_with_role
from .response_helpers import incident_in, organisation

pytestmark = pytest.mark.django_db


def _jpeg(size=(1200, 800)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 40, 40)).save(out, "JPEG")
    return out.getvalue()


@pytest.fixture
def scene():
    city = organisation("city")
    incident = incident_in(city)
    return city, incident, incident.reports.get(), user_with_role(Role.DUTY_OFFICER, city.sub)


def _api(user, language="zh-hans"):
    client = APIClient(HTTP_ACCEPT_LANGUAGE=language)
    client.force_authenticate(user)
    return client


def _attach(client, report, name, body):
    return client.post("/api/v1/attachments/add/", {"owner_kind": "incident_report", "owner_id": report.pk,
                                                    "file": SimpleUploadedFile(name, body), "description": "现场照片"},
                       format="multipart")


def test_a_photo_on_a_report_with_its_thumbnail_served_only_as_data(scene, client):
    city, incident, report, officer = scene
    answer = _attach(_api(officer), report, "现场.JPG", _jpeg())
    assert answer.status_code == 201, answer.content
    body = answer.json()
    assert body["content_type"] == "image/jpeg" and body["name"] == "现场.jpg" and len(body["sha256"]) == 64
    attachment = Attachment.objects.get(pk=body["id"])
    stored = Path(settings.ATTACHMENT_ROOT) / attachment.key
    assert stored.exists() and not str(stored).startswith(str(settings.STATIC_ROOT))
    client.force_login(officer)
    served = client.get(f"/attachments/{attachment.pk}/")
    assert served.status_code == 200 and b"".join(served.streaming_content) == stored.read_bytes()
    assert served["X-Content-Type-Options"] == "nosniff" and "sandbox" in served["Content-Security-Policy"]
    thumb = client.get(f"/attachments/{attachment.pk}/thumbnail/")
    with Image.open(io.BytesIO(b"".join(thumb.streaming_content))) as image:
        assert image.format == "JPEG" and max(image.size) <= 320
    listed = _api(officer).get(f"/api/v1/attachments/?owner_kind=incident_report&owner_id={report.pk}").json()
    assert [a["id"] for a in listed["results"]] == [attachment.pk]


def test_the_content_decides_not_the_name(scene):
    city, incident, report, officer = scene
    refused = _attach(_api(officer), report, "photo.jpg", b"<html><script>alert(1)</script></html>")
    assert refused.status_code == 400
    assert "只能附加" in refused.json()["error"]["fields"]["file"][0]
    pdf = (Path(__file__).parent / "data" / "sample.pdf")
    body = pdf.read_bytes() if pdf.exists() else b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    renamed = _attach(_api(officer), report, "notes.docx", body)
    assert renamed.status_code == 201 and renamed.json()["name"] == "notes.pdf"
    assert renamed.json()["content_type"] == "application/pdf"
    damaged = _attach(_api(officer), report, "broken.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 64)
    assert damaged.status_code == 400 and Attachment.objects.count() == 1


def test_too_large_is_refused_in_the_users_language(scene, settings):
    city, incident, report, officer = scene
    settings.ATTACHMENT_MAX_BYTES = 1024 * 1024
    refused = _attach(_api(officer, "en"), report, "big.jpg", _jpeg() + b"\0" * (1024 * 1024))
    assert refused.status_code == 400 and "at most 1 MB" in refused.json()["error"]["fields"]["file"][0]
    assert not Attachment.objects.exists()


def test_another_organisation_sees_nothing_and_cannot_attach(scene, client):
    city, incident, report, officer = scene
    attachment_id = _attach(_api(officer), report, "a.jpg", _jpeg()).json()["id"]
    other = organisation("customs")
    stranger = user_with_role(Role.COMMANDER, other.top)
    assert _api(stranger).get("/api/v1/attachments/").json()["results"] == []
    assert _api(stranger).get(f"/api/v1/attachments/{attachment_id}/content/").status_code == 404
    client.force_login(stranger)
    assert client.get(f"/attachments/{attachment_id}/").status_code == 404
    assert client.get(f"/attachments/{attachment_id}/thumbnail/").status_code == 404
    foreign, missing = _attach(_api(stranger), report, "b.jpg", _jpeg()), _attach(
        _api(stranger), type(report)(pk=10**9), "b.jpg", _jpeg())
    assert foreign.status_code == missing.status_code == 404 and foreign.json() == missing.json()
    reader = user_with_role(Role.PLAN_ADMIN, city.sub)  # sees the incident, holds no reporting role
    assert _attach(_api(reader), report, "c.jpg", _jpeg()).status_code == 403


def test_attached_from_the_page_and_never_changed(scene, client):
    city, incident, report, officer = scene
    client.force_login(officer)
    answer = client.post("/attachments/add/", {"owner_kind": "incident_report", "owner_id": report.pk,
                                               "file": SimpleUploadedFile("scan.jpg", _jpeg())},
                         HTTP_REFERER=f"/incidents/{incident.pk}/")
    assert answer.status_code == 302 and answer["Location"] == f"/incidents/{incident.pk}/"
    attachment = Attachment.objects.get()
    with pytest.raises((InternalError, ProgrammingError)), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE attachments_attachment SET name = 'x.jpg' WHERE id = %s", [attachment.pk])
    with pytest.raises((InternalError, ProgrammingError)), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM attachments_attachment WHERE id = %s", [attachment.pk])
