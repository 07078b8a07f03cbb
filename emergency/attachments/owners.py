"""Which records take attachments. Each domain app registers its kinds (from its AppConfig.ready),
so the core imports none of them:

    attachment_owner("incident_report", model=IncidentReport, unit=lambda r: r.incident.unit_id,
                     visible=lambda user: incident_selectors.report_list(user=user), label=_("report"))
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from django.db import models


@dataclass(frozen=True)
class Owner:
    kind: str
    model: type[models.Model]
    unit: Callable[[Any], int]                      # the unit whose people may see the record
    visible: Callable[..., models.QuerySet]          # visible(user=) -> the records the user may see
    label: Any = ""
    may_attach: Callable[[Any, Any], None] | None = None  # may_attach(user, record): raises the reason


_owners: dict[str, Owner] = {}


def attachment_owner(kind: str, **fields) -> Owner:
    owner = Owner(kind=kind, **fields)
    _owners[kind] = owner
    return owner


def owner(kind: str) -> Owner | None:
    return _owners.get(kind)


def kinds() -> list[tuple[str, str]]:
    return [(kind, str(o.label or kind)) for kind, o in _owners.items()]
