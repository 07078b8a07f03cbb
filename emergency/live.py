"""Live events for the command dashboards: sent through the channel layer after commit.

Every unit has a group `unit.<id>`; an event about a unit goes to it and to each ancestor's
group, since superiors watch their subordinates. A failed send never undoes the change: the
dashboard reloads its state from the database on reconnect.
"""
from __future__ import annotations

import json
import logging
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction

logger = logging.getLogger(__name__)


def unit_group(unit_id: int) -> str:
    return f"unit.{unit_id}"


def _ancestor_ids(unit_id: int) -> list[int]:
    from emergency.org.models import OrgUnit

    return list(OrgUnit.objects.ancestors(OrgUnit(pk=unit_id), include_self=True).values_list("pk", flat=True))


def publish(*, event: str, unit_id: int, data: dict[str, Any]) -> None:
    """Queue `event` for the unit's and its ancestors' dashboards, sent once the transaction commits."""
    groups = [unit_group(pk) for pk in _ancestor_ids(unit_id)]
    message = {"type": "live.event", "event": event, "unit": unit_id,
               "data": json.loads(json.dumps(data, cls=DjangoJSONEncoder))}

    def send() -> None:
        layer = get_channel_layer()
        if layer is None:
            return
        try:
            for group in groups:
                async_to_sync(layer.group_send)(group, message)
        except Exception:  # the change is committed; dashboards resync from the database
            logger.warning("live event %s for unit %s not sent", event, unit_id, exc_info=True)

    transaction.on_commit(send)
