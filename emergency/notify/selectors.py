"""Reads of a person's own notifications: only ever the signed-in user's (`recipient=user`), so
another person's or another organisation's notifications are never in a list, a count or a filter."""
from __future__ import annotations

from dataclasses import dataclass

from django.db.models import BooleanField, ExpressionWrapper, QuerySet
from django.utils.translation import gettext_lazy as _

from emergency.errors import ValidationFailed

from . import hooks
from .models import Notification


@dataclass(frozen=True)
class InboxFilters:
    unread: bool = False
    to_act_on: bool = False
    kind: str = ""
    subject: str = ""            # a registered subject's name ("incident")
    subject_id: int | None = None


def notification_list(*, user, filters: InboxFilters | None = None) -> QuerySet[Notification]:
    """The user's notifications, newest first, each with `to_act_on` (its record still waits)."""
    filters = filters or InboxFilters()
    waiting = hooks.to_act_on()
    rows = (Notification.objects.filter(recipient=user)
            .annotate(to_act_on=ExpressionWrapper(waiting, output_field=BooleanField()))
            .order_by("-created_at", "-id"))
    if filters.unread:
        rows = rows.filter(read_at__isnull=True)
    if filters.to_act_on:
        rows = rows.filter(waiting)
    if filters.kind:
        rows = rows.filter(kind=filters.kind)
    if filters.subject and filters.subject_id is not None:
        rows = rows.filter(_about(user, filters.subject, filters.subject_id))
    return rows


def _about(user, name: str, pk: int):
    item = next((s for s in hooks.subjects() if s.name == name), None)
    condition = item.about(user, pk) if item else None
    if condition is None:  # unknown, or not the user's to see: the same answer
        raise ValidationFailed(_("Some fields are missing or invalid."),
                               fields={name: [_("Select a valid choice. That choice is not one of the available choices.")]})
    return condition


def notification_to_act_on(*, user) -> QuerySet[Notification]:
    return notification_list(user=user, filters=InboxFilters(to_act_on=True))


def notification_unread_count(*, user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def unread_counts(user_ids) -> dict[int, int]:
    """Each user's unread count, in one query."""
    from django.db.models import Count

    ids = set(user_ids)
    counts = dict(Notification.objects.filter(recipient_id__in=ids, read_at__isnull=True)
                  .values("recipient_id").annotate(n=Count("id")).values_list("recipient_id", "n"))
    return {user_id: counts.get(user_id, 0) for user_id in ids}
