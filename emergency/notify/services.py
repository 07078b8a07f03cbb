"""One way to tell people something. Channels beyond in-app (e-mail, webhook gateways) hang off this."""
from __future__ import annotations

from typing import Iterable

from django.db import transaction

from .models import Notification


@transaction.atomic
def notification_send(*, recipient_ids: Iterable[int], kind: str, title: str, source_key: str,
                      body: str = "", link: str = "", unit_id: int | None = None) -> int:
    """Notify each recipient once per `source_key`; a repeat of the same cause is ignored. Returns rows made."""
    rows = [
        Notification(recipient_id=user_id, unit_id=unit_id, kind=kind, title=title[:200], body=body, link=link,
                     source_key=source_key)
        for user_id in sorted(set(recipient_ids))
    ]
    made = Notification.objects.bulk_create(rows, ignore_conflicts=True)  # PostgreSQL returns no ids here
    from .delivery import plan_deliveries

    fresh = Notification.objects.filter(source_key=source_key, recipient_id__in=[r.recipient_id for r in rows],
                                        deliveries__isnull=True)
    plan_deliveries(list(fresh))
    return len(made)


@transaction.atomic
def notification_mark_read(*, user, notification_ids: Iterable[int]) -> int:
    from django.utils import timezone

    return Notification.objects.filter(recipient=user, pk__in=list(notification_ids), read_at__isnull=True).update(
        read_at=timezone.now()
    )
