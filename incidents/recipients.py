"""Who is told: a unit's duty officers, and a unit's leaders (commanders and principals)."""
from __future__ import annotations

from typing import Any

from emergency.notify.services import notification_send
from emergency.org.models import RoleAssignment
from emergency.org.roles import Role

from .models import Incident

LEADERS = (Role.COMMANDER, Role.PRINCIPAL)


def holders(*, unit_id: int, roles: tuple[str, ...]) -> set[int]:
    return set(RoleAssignment.objects.filter(unit_id=unit_id, role__in=roles).values_list("user_id", flat=True))


def incident_link(incident: Incident) -> str:
    from django.urls import reverse

    return reverse("incident-detail", args=[incident.pk])


def notify_duty_officers(*, unit_id: int, incident: Incident, source: str, title: Any, body: str = "") -> int:
    return notification_send(recipient_ids=holders(unit_id=unit_id, roles=(Role.DUTY_OFFICER,)),
                             kind="incident", title=str(title), body=body, link=incident_link(incident),
                             unit_id=unit_id, source_key=source)


def notify(*, user_ids: set[int], unit_id: int, incident: Incident, kind: str, source: str, title: Any,
           body: str = "") -> int:
    return notification_send(recipient_ids=user_ids, kind=kind, title=str(title), body=body,
                             link=incident_link(incident), unit_id=unit_id, source_key=source)
