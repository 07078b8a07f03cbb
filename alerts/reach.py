"""The last mile of a warning: which special populations and places in the warning's area must be
reached by a targeted means (city 3.2.2 2): "对老、幼、病、残、孕等特殊人群以及学校等特殊场所和警报盲区
应当采取有针对性的通知方式"; customs 3.2 (2): "对特殊人群、特殊场所、特殊时段，采取针对性措施精准通知到位"),
and whether each has been reached for the warning's latest message."""
from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from emergency import live
from emergency.audit.services import audit_record
from emergency.errors import Conflict, NotPermitted, ValidationFailed
from emergency.org.models import OrgUnit, User
from emergency.org.roles import Role
from emergency.org.scope import unit_scope

from .models import EarlyWarning, WarningMessage, WarningReach, WarningTarget

RECORDERS = (Role.DUTY_OFFICER, Role.COMMANDER, Role.PRINCIPAL, Role.LEAD_OFFICER)
IN_FORCE = (EarlyWarning.State.ISSUED, EarlyWarning.State.ESCALATED)


@dataclass
class LastMile:
    target: WarningTarget
    latest: WarningReach | None

    @property
    def state(self) -> str:
        if self.latest is None:
            return "pending"
        return "reached" if self.latest.reached else "unreachable"


def _area(warning: EarlyWarning) -> list[int]:
    """The units the warning covers: its area units and theirs below, or its issuing unit's."""
    roots = list(warning.area_units.all()) or [warning.unit]
    ids: set[int] = set()
    for root in roots:
        ids |= set(OrgUnit.objects.descendants(root, include_self=True).values_list("pk", flat=True))
    return sorted(ids)


def last_mile(warning: EarlyWarning) -> tuple[WarningMessage | None, list[LastMile]]:
    """The targets in the area and how each stands for the latest message (three queries)."""
    message = warning.messages.order_by("-sequence").first()
    targets = list(WarningTarget.objects.filter(unit_id__in=_area(warning)).select_related("unit"))
    latest: dict[int, WarningReach] = {}
    if message is not None and message.msg_type != WarningMessage.Type.CANCEL:
        for reach in WarningReach.objects.filter(message=message).select_related("recorded_by"):
            latest[reach.target_id] = reach  # ordered by time: the last one stands
    elif message is not None:
        return message, []  # lifted: nobody is to be warned any more
    return message, [LastMile(target=t, latest=latest.get(t.pk)) for t in targets]


def require_may_record(actor: User, warning: EarlyWarning, area: list[int] | None = None) -> None:
    """The warning is in force and the actor records for some unit of its area (the page offers the
    form only then; the service asks again for the target's own unit)."""
    if warning.state not in IN_FORCE:
        raise Conflict(_("Only a warning in force is taken to the last mile."))
    if not set(area if area is not None else _area(warning)) & unit_scope(actor).units_with(*RECORDERS):
        raise NotPermitted(_("The duty officers and commanders of the warning's area record who has been reached."))


@transaction.atomic
def reach_record(*, actor: User, warning: EarlyWarning, target: WarningTarget, reached: bool, channel: str = "",
                 note: str = "") -> WarningReach:
    message = warning.messages.order_by("-sequence").first()
    area = _area(warning)
    if message is None:
        raise Conflict(_("Only a warning in force is taken to the last mile."))
    require_may_record(actor, warning, area)
    if target.unit_id not in area:
        raise Conflict(_("%(target)s is not in the warning's area.") % {"target": target.name})
    if target.unit_id not in unit_scope(actor).units_with(*RECORDERS):
        raise NotPermitted(_("The duty officers and commanders of %(unit)s record who has been reached.")
                           % {"unit": target.unit.name})
    if not reached and not note.strip():
        raise ValidationFailed(_("Say why it could not be reached."), fields={"note": [_("This field is required.")]})
    reach = WarningReach.objects.create(message=message, target=target, reached=reached,
                                        channel=channel or target.channel, note=note.strip(), recorded_by=actor,
                                        recorded_at=timezone.now())
    audit_record(actor=actor, unit_id=target.unit_id, action="warning.reach", target=reach,
                 after={"warning": warning.pk, "message": message.sequence, "target": target.name,
                        "reached": reached, "channel": reach.channel})
    live.publish(event="warning.reach", unit_id=warning.unit_id, about=("warning", warning.pk),
                 data={"warning": warning.pk, "target": target.pk, "reached": reached})
    return reach
