"""One way to tell people something. Channels beyond in-app (e-mail, webhook gateways) hang off this.

Every notification is sent by a unit and reaches only people of that unit's organisation; another
organisation is told through a configured link, in its duty room, as a unit (`duty_room_inform`)."""
from __future__ import annotations

import logging
from typing import Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from emergency.errors import ValidationFailed

from .models import DutyRoomDelivery, Notification

logger = logging.getLogger(__name__)


def addressable(*, unit_id: int | None, recipient_ids: Iterable[int]) -> set[int]:
    """Those of the recipients a unit may address: people holding a role in its organisation (or
    in none: an account not yet placed belongs to no other organisation).
    A notification without a sending unit (a platform notice) goes to whom it names."""
    from emergency.org.scope import organisation_members
    from emergency.org.tree import top_id

    ids = set(recipient_ids)
    if unit_id is None or not ids:
        return ids
    return organisation_members(top_id(unit_id), ids)


@transaction.atomic
def notification_send(*, recipient_ids: Iterable[int], kind: str, title: str, source_key: str,
                      body: str = "", link: str = "", unit_id: int | None = None) -> int:
    """Notify each recipient once per `source_key`; a repeat of the same cause is ignored. Returns rows made.

    Recipients outside the sending unit's organisation are left out (and logged): nothing a unit
    sends reaches, or shows the sender, another organisation's people."""
    wanted = set(recipient_ids)
    allowed = addressable(unit_id=unit_id, recipient_ids=wanted)
    if wanted - allowed:
        logger.error("notification %s of unit %s: %d recipient(s) outside its organisation left out: %s",
                     source_key, unit_id, len(wanted - allowed), sorted(wanted - allowed))
    rows = [
        Notification(recipient_id=user_id, unit_id=unit_id, kind=kind, title=title[:200], body=body, link=link,
                     source_key=source_key)
        for user_id in sorted(allowed)
    ]
    made = Notification.objects.bulk_create(rows, ignore_conflicts=True)  # PostgreSQL returns no ids here
    from .delivery import plan_deliveries

    fresh = Notification.objects.filter(source_key=source_key, recipient_id__in=[r.recipient_id for r in rows],
                                        deliveries__isnull=True)
    plan_deliveries(list(fresh))
    unread_push(user_ids=allowed)
    return len(made)


@transaction.atomic
def duty_room_inform(*, from_unit_id: int, organisation, kind: str, title: str, body: str, source_key: str,
                     link: str = "") -> DutyRoomDelivery:
    """Send to a linked organisation's duty room (its top unit's duty officers) as a unit, and
    record what the sender may know of it. Only an organisation its own links to may be told."""
    from emergency.org.models import OrganisationLink, RoleAssignment
    from emergency.org.roles import Role
    from emergency.org.tree import top_id

    if not OrganisationLink.objects.filter(organisation_id=top_id(from_unit_id), linked=organisation).exists():
        raise ValidationFailed(_("Some fields are missing or invalid."), fields={"linked_organisations": [
            _("%(organisation)s is not a linked organisation of yours.") % {"organisation": organisation}]})
    officers = set(RoleAssignment.objects.filter(unit=organisation, role=Role.DUTY_OFFICER)
                   .values_list("user_id", flat=True))
    notification_send(recipient_ids=officers, kind=kind, title=title, body=body, link=link, unit_id=organisation.pk,
                      source_key=f"{source_key}@{organisation.pk}")
    delivery, _created = DutyRoomDelivery.objects.get_or_create(
        source_key=source_key, organisation=organisation,
        defaults={"from_unit_id": from_unit_id, "reached": len(officers), "delivered_at": timezone.now()})
    return delivery


@transaction.atomic
def notification_mark_read(*, user, notification_ids: Iterable[int]) -> int:
    """Mark some of the user's own notifications read (others' ids change nothing). Returns rows marked.

    Being read is the reader's own state (`read_at`), not an official record, so it writes no audit
    row; what a notification asks for is acted on, and audited, in the record it points to."""
    marked = Notification.objects.filter(recipient=user, pk__in=list(notification_ids),
                                         read_at__isnull=True).update(read_at=timezone.now())
    if marked:
        unread_push(user_ids=[user.pk])
    return marked


@transaction.atomic
def notification_mark_all_read(*, user) -> int:
    marked = Notification.objects.filter(recipient=user, read_at__isnull=True).update(read_at=timezone.now())
    if marked:
        unread_push(user_ids=[user.pk])
    return marked


def unread_push(*, user_ids: Iterable[int]) -> None:
    """After commit, tell each user's open screens their unread count (the bell), counted in one query."""
    from emergency import live

    from .selectors import unread_counts

    for user_id, count in unread_counts(user_ids).items():
        live.send_to_user(user_id, {"type": "notification.unread", "unread": count})
