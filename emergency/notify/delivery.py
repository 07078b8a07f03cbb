"""Outside channels: e-mail and an HMAC-signed webhook. Each delivery is a row; a worker sends it
after commit, a failure is recorded with its reason and retried with exponential backoff, and a
sweeper resends what a crashed worker left. The webhook carries the delivery's id as
`Idempotency-Key`, so a gateway that saw a request before (the worker died between sending and
recording it) ignores the repeat: every recipient gets one copy."""
from __future__ import annotations

import hashlib
import hmac
import json
import logging
from datetime import timedelta

import requests
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from .models import Delivery, Notification

logger = logging.getLogger(__name__)
BATCH = 200


def plan_deliveries(notifications: list[Notification]) -> list[Delivery]:
    """The outside deliveries of freshly made notifications (those whose kind goes outside)."""
    from emergency.org.models import User

    outside = [n for n in notifications if _goes_outside(n.kind)]
    if not outside:
        return []
    users = {u.pk: u for u in User.objects.filter(pk__in={n.recipient_id for n in outside}).only("email", "phone")}
    now = timezone.now()
    rows = []
    for item in outside:
        user = users[item.recipient_id]
        if user.email:
            rows.append(Delivery(notification=item, channel=Delivery.Channel.EMAIL, address=user.email,
                                 next_attempt_at=now))
        if user.phone and settings.NOTIFY_WEBHOOK_URL:
            rows.append(Delivery(notification=item, channel=Delivery.Channel.WEBHOOK, address=user.phone,
                                 next_attempt_at=now))
    made = Delivery.objects.bulk_create(rows)
    ids = [d.pk for d in made]
    if ids:
        transaction.on_commit(lambda: _enqueue(ids), robust=True)  # committed: never fail the caller now
    return made


def _goes_outside(kind: str) -> bool:
    return any(kind.startswith(prefix) for prefix in settings.NOTIFY_OUTSIDE_KINDS)


def _enqueue(ids: list[int]) -> None:
    from .tasks import deliver_batch

    for start in range(0, len(ids), BATCH):
        try:
            deliver_batch.delay(ids[start:start + BATCH])
        except Exception:  # broker down: stop trying (each try waits); the sweeper sends them
            logger.warning("could not enqueue %d deliveries; the sweeper will send them", len(ids) - start,
                           exc_info=True)
            return


def sign(body: bytes) -> str:
    return hmac.new(settings.NOTIFY_WEBHOOK_SECRET.encode(), body, hashlib.sha256).hexdigest()


def _send(delivery: Delivery, session: requests.Session) -> None:
    item = delivery.notification
    if delivery.channel == Delivery.Channel.EMAIL:
        send_mail(item.title, f"{item.title}\n\n{item.body}\n{settings.PUBLIC_BASE_URL}{item.link}", None,
                  [delivery.address], fail_silently=False)
        return
    body = json.dumps({"id": delivery.pk, "to": delivery.address, "title": item.title, "body": item.body,
                       "link": f"{settings.PUBLIC_BASE_URL}{item.link}", "kind": item.kind},
                      ensure_ascii=False).encode()
    answer = session.post(settings.NOTIFY_WEBHOOK_URL, data=body, timeout=settings.NOTIFY_WEBHOOK_TIMEOUT, headers={
        "Content-Type": "application/json; charset=utf-8", "Idempotency-Key": f"delivery-{delivery.pk}",
        "X-Signature-SHA256": sign(body)})
    if answer.status_code >= 300:
        raise RuntimeError(f"HTTP {answer.status_code}")


def deliver(ids: list[int], session: requests.Session | None = None) -> int:
    """Send the due, still-queued deliveries among `ids`; returns how many were sent.

    One transaction per batch: claim the rows (SKIP LOCKED, so two workers never share one), send,
    record every outcome in one UPDATE. A worker killed mid-batch leaves the rows queued; the
    sweeper resends them and the gateway drops the repeats by their idempotency key."""
    session = session or requests.Session()
    sent = 0
    for start in range(0, len(ids), BATCH):
        with transaction.atomic():
            batch = list(Delivery.objects.select_for_update(skip_locked=True, of=("self",))
                         .select_related("notification")
                         .filter(pk__in=ids[start:start + BATCH], state=Delivery.State.QUEUED,
                                 next_attempt_at__lte=timezone.now()))
            for delivery in batch:
                sent += _attempt(delivery, session)
            Delivery.objects.bulk_update(batch, ["state", "attempts", "last_error", "next_attempt_at", "sent_at"])
    return sent


def _attempt(delivery: Delivery, session: requests.Session) -> int:
    delivery.attempts += 1
    try:
        _send(delivery, session)
    except Exception as error:  # any failure of the channel is recorded and retried
        delivery.last_error = str(error)[:300]
        if delivery.attempts >= settings.NOTIFY_MAX_ATTEMPTS:
            delivery.state = Delivery.State.FAILED
        else:
            backoff = min(settings.NOTIFY_BACKOFF_SECONDS * 2 ** (delivery.attempts - 1),
                          settings.NOTIFY_BACKOFF_MAX_SECONDS)
            delivery.next_attempt_at = timezone.now() + timedelta(seconds=backoff)
        return 0
    delivery.state, delivery.sent_at, delivery.last_error = Delivery.State.SENT, timezone.now(), ""
    return 1


def deliveries_sweep(limit: int = 2000) -> int:
    """Queue the deliveries whose time has come (retries, and those a dead worker left)."""
    ids = list(Delivery.objects.filter(state=Delivery.State.QUEUED, next_attempt_at__lte=timezone.now())
               .order_by("next_attempt_at").values_list("pk", flat=True)[:limit])
    if ids:
        _enqueue(ids)
    return len(ids)


def unreachable(notification_filter: dict) -> list[dict]:
    """Recipients without a working channel for these notifications: call them (最后一公里)."""
    from django.db.models import Count, Q

    rows = (Notification.objects.filter(**notification_filter)
            .annotate(working=Count("deliveries", filter=~Q(deliveries__state=Delivery.State.FAILED)),
                      channels=Count("deliveries"))
            .filter(Q(channels=0) | Q(working=0)).select_related("recipient"))
    return [{"user": n.recipient, "phone": n.recipient.phone, "title": n.title,
             "reason": "no channel" if not n.channels else "failed"} for n in rows]
