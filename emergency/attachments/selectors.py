"""Which attachments a user may see: those on records the user may see (through each owner kind's
own scoped selector), never by their unit alone."""
from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q, QuerySet

from emergency.org.models import User
from emergency.org.scope import unit_scope

from .models import Attachment
from .owners import owner


def attachments_on(*, user: User, kind: str, record_ids: Iterable[int]) -> QuerySet[Attachment]:
    """One query: the attachments on these records, of the user's units."""
    return Attachment.objects.filter(owner_kind=kind, owner_id__in=list(record_ids),
                                     unit_id__in=unit_scope(user).visible).select_related("uploaded_by")


def attachment_list(*, user: User) -> QuerySet[Attachment]:
    return Attachment.objects.filter(unit_id__in=unit_scope(user).visible).select_related("uploaded_by")


def attachment_visible(*, user: User, pk: int) -> Attachment | None:
    attachment = attachment_list(user=user).filter(pk=pk).first()
    if attachment is None:
        return None
    kind = owner(attachment.owner_kind)
    if kind is None or not kind.visible(user=user).filter(pk=attachment.owner_id).exists():
        return None
    return attachment


def owner_filter(kind: str | None, record_id: int | None) -> Q:
    q = Q()
    if kind:
        q &= Q(owner_kind=kind)
    if record_id:
        q &= Q(owner_id=record_id)
    return q
