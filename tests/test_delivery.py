"""Notifications leave the platform by e-mail and a signed webhook: recorded per recipient and
channel, retried with backoff through a gateway outage, exactly one copy each, also across a
SIGKILLed worker; recipients without a working channel are listed to be called."""
import hashlib
import hmac
import json
import os
import signal
import time
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from emergency.notify.delivery import deliver, sign, unreachable
from emergency.notify.models import Delivery, Notification
from emergency.notify.services import notification_send

from .factories import UserFactory
from .gateway import Gateway
from .processes import celery_worker, wait_for


@pytest.fixture
def gateway(settings):
    server = Gateway()
    settings.NOTIFY_WEBHOOK_URL = server.url
    settings.NOTIFY_WEBHOOK_SECRET = "test-secret"
    yield server
    server.close()


def _people(n, **extra):
    return [UserFactory(phone=f"1380000{i:04d}", email=f"p{i}@example.invalid", **extra) for i in range(n)]


@pytest.mark.django_db
def test_a_failing_gateway_is_retried_with_backoff_and_each_recipient_gets_one_copy(gateway, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.NOTIFY_BACKOFF_SECONDS = 0.01
    people = _people(3)
    notification_send(recipient_ids=[p.pk for p in people], kind="warning", title="蓝色预警", source_key="w:1")
    ids = list(Delivery.objects.values_list("pk", flat=True))
    assert Delivery.objects.filter(channel="webhook").count() == 3 and Delivery.objects.filter(channel="email").count() == 3
    gateway.failing = True
    deliver(ids)
    failed = Delivery.objects.filter(channel="webhook").first()
    assert failed.state == "queued" and failed.attempts == 1 and failed.last_error == "HTTP 503"
    assert len(mail.outbox) == 3  # e-mail went through meanwhile
    gateway.failing = False
    time.sleep(0.05)
    assert deliver(ids) == 3 and deliver(ids) == 0
    assert len(gateway.delivered) == 3 and {b["to"] for b in gateway.delivered.values()} == {p.phone for p in people}


@pytest.mark.django_db
def test_the_webhook_body_is_signed(gateway):
    captured = {}

    class Session:
        def post(self, url, data, timeout, headers):
            captured.update(data=data, headers=headers)

            class Answer:
                status_code = 200
            return Answer()

    (person,) = _people(1)
    notification_send(recipient_ids=[person.pk], kind="warning", title="预警", source_key="w:2")
    deliver(list(Delivery.objects.filter(channel="webhook").values_list("pk", flat=True)), session=Session())
    expected = hmac.new(b"test-secret", captured["data"], hashlib.sha256).hexdigest()
    assert captured["headers"]["X-Signature-SHA256"] == expected == sign(captured["data"])
    assert json.loads(captured["data"])["to"] == person.phone


@pytest.mark.django_db
def test_recipients_without_a_working_channel_are_listed(gateway, settings):
    settings.NOTIFY_MAX_ATTEMPTS = 1
    gateway.failing = True
    silent = UserFactory(phone="", email="")
    unlucky = UserFactory(phone="13900000000", email="")
    fine = UserFactory(phone="", email="ok@example.invalid")
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    notification_send(recipient_ids=[silent.pk, unlucky.pk, fine.pk], kind="warning", title="红色预警", source_key="w:3")
    deliver(list(Delivery.objects.values_list("pk", flat=True)))
    listed = {row["user"].pk: row["reason"] for row in unreachable({"source_key": "w:3"})}
    assert listed == {silent.pk: "no channel", unlucky.pk: "failed"}


@pytest.mark.django_db
def test_with_the_broker_down_deliveries_are_left_to_the_sweeper_after_one_try(
        gateway, monkeypatch, django_capture_on_commit_callbacks):
    from kombu.exceptions import OperationalError

    from emergency.notify import tasks

    tries = []

    def broker_down(ids):
        tries.append(ids)
        raise OperationalError("Connection refused.")

    monkeypatch.setattr(tasks.deliver_batch, "delay", broker_down)
    people = _people(101)  # 202 deliveries: two batches
    with django_capture_on_commit_callbacks(execute=True):
        notification_send(recipient_ids=[p.pk for p in people], kind="warning", title="预警", source_key="w:down")
    assert len(tries) == 1
    assert Delivery.objects.filter(state="queued").count() == 202  # the sweeper sends them once the broker is back


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_exactly_one_copy_each_through_an_outage_and_a_sigkilled_worker(gateway):
    people = _people(60)
    env = {"NOTIFY_WEBHOOK_URL": gateway.url, "NOTIFY_WEBHOOK_SECRET": "test-secret", "NOTIFY_BACKOFF_SECONDS": "0.5",
           "TIMERS_SWEEP_SECONDS": "1", "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend"}
    gateway.failing = True
    with celery_worker(concurrency=2, beat=True, env=env) as worker:
        for n in range(3):
            notification_send(recipient_ids=[p.pk for p in people], kind="warning", title=f"预警{n}",
                              source_key=f"w:kill:{n}")
        wait_for(lambda: gateway.requests >= 20, timeout=20)
        gateway.failing = False
        time.sleep(1.0)
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait()
    with celery_worker(concurrency=2, beat=True, env=env):
        wait_for(lambda: not Delivery.objects.filter(channel="webhook").exclude(state="sent").exists(), timeout=60)
    webhooks = Delivery.objects.filter(channel="webhook")
    assert webhooks.count() == 180 and len(gateway.delivered) == 180
    assert Notification.objects.count() == 180
    assert timezone.now() - timedelta(minutes=5) < max(d.sent_at for d in webhooks)
