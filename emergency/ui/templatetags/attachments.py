"""Attachments on a page, in one query however many records it lists:

    {% load attachments %}
    {% attachments_index "incident_report" reports as files %}     once per page
    {% attachments_panel "incident_report" report files %}        per record: its files, and the form to attach
"""
from __future__ import annotations

from collections import defaultdict

from django import template

from emergency.attachments.owners import owner as owner_of
from emergency.attachments.selectors import attachments_on
from emergency.errors import DomainError

register = template.Library()


@register.simple_tag(takes_context=True)
def attachments_index(context, kind: str, records) -> dict[int, list]:
    index: dict[int, list] = defaultdict(list)
    ids = [r.pk for r in records]
    for attachment in attachments_on(user=context["request"].user, kind=kind, record_ids=ids):
        index[attachment.owner_id].append(attachment)
    return dict(index)


def _may_attach(user, kind: str, record) -> bool:
    owner = owner_of(kind)
    if owner is None or owner.may_attach is None:
        return owner is not None
    try:
        owner.may_attach(user, record)
    except DomainError:
        return False
    return True


@register.inclusion_tag("attachments/panel.html", takes_context=True)
def attachments_panel(context, kind: str, record, index: dict | None = None):
    user = context["request"].user
    files = (index or {}).get(record.pk, []) if index is not None else \
        list(attachments_on(user=user, kind=kind, record_ids=[record.pk]))
    can_attach = _may_attach(user, kind, record)
    return {"request": context["request"], "csrf_token": context.get("csrf_token"), "files": files, "kind": kind,
            "record": record, "can_attach": can_attach}
