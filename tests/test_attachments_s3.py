"""Attachments on S3-compatible object storage (ATTACHMENT_STORAGE_BACKEND=storages.backends.s3.S3Storage):
a real S3 API served over HTTP (moto's server), the platform's settings as an operator sets them, and
the same duties as on the directory: checked by content, a thumbnail, served only through the
platform's view to who may see the record, and private in the bucket."""
import io

import boto3
import pytest
import requests
from django.conf import settings
from moto.server import ThreadedMotoServer
from PIL import Image

from emergency.attachments.models import Attachment
from emergency.org.roles import Role

from .factories import user_with_role
from .processes import free_port
from .response_helpers import incident_in, organisation
from .test_attachments import _api, _attach, _jpeg

pytestmark = pytest.mark.django_db

BUCKET = "emergency-attachments"


@pytest.fixture
def s3(settings):
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    requests.post(f"{endpoint}/moto-api/reset", timeout=10)  # moto keeps its buckets per process
    client = boto3.client("s3", endpoint_url=endpoint, aws_access_key_id="platform", aws_secret_access_key="secret",
                          region_name="us-east-1")
    client.create_bucket(Bucket=BUCKET)
    settings.STORAGES = {**settings.STORAGES, "attachments": {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {"bucket_name": BUCKET, "endpoint_url": endpoint, "access_key": "platform", "secret_key": "secret",
                    "region_name": "us-east-1", "default_acl": "private", "querystring_auth": True,
                    "file_overwrite": False}}}
    yield client, endpoint
    server.stop()


def test_a_photo_kept_in_the_bucket_is_served_only_through_the_platform(s3, client):
    bucket, endpoint = s3
    city = organisation("city")
    incident = incident_in(city)
    report, officer = incident.reports.get(), user_with_role(Role.DUTY_OFFICER, city.sub)
    photo = _jpeg()

    answer = _attach(_api(officer), report, "现场.jpg", photo)
    assert answer.status_code == 201, answer.content
    attachment = Attachment.objects.get(pk=answer.json()["id"])
    keys = {item["Key"] for item in bucket.list_objects_v2(Bucket=BUCKET)["Contents"]}
    assert keys == {attachment.key, attachment.thumbnail_key}
    assert bucket.get_object(Bucket=BUCKET, Key=attachment.key)["Body"].read() == photo
    assert not (settings.ATTACHMENT_ROOT / attachment.key).exists()  # nothing left on the disk
    # Private in the bucket: without the platform's signature the object is not handed out.
    assert requests.get(f"{endpoint}/{BUCKET}/{attachment.key}", timeout=10).status_code == 403

    client.force_login(officer)
    served = client.get(f"/attachments/{attachment.pk}/")
    assert served.status_code == 200 and b"".join(served.streaming_content) == photo
    assert served["X-Content-Type-Options"] == "nosniff" and "sandbox" in served["Content-Security-Policy"]
    thumb = client.get(f"/attachments/{attachment.pk}/thumbnail/")
    with Image.open(io.BytesIO(b"".join(thumb.streaming_content))) as image:
        assert image.format == "JPEG" and max(image.size) <= 320

    stranger = user_with_role(Role.DUTY_OFFICER, organisation("customs").top)
    client.force_login(stranger)
    assert client.get(f"/attachments/{attachment.pk}/").status_code == 404


def test_a_file_whose_content_is_not_allowed_never_reaches_the_bucket(s3):
    bucket, _endpoint = s3
    city = organisation("city")
    report, officer = incident_in(city).reports.get(), user_with_role(Role.DUTY_OFFICER, city.sub)
    answer = _attach(_api(officer), report, "照片.jpg", b"#!/bin/sh\nrm -rf /\n")
    assert answer.status_code == 400
    assert bucket.list_objects_v2(Bucket=BUCKET).get("KeyCount") == 0
