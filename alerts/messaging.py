"""What an issued version of a warning says and who is told: the frozen content of each message
(both languages, CAP and GB/T 35965.1 identifiers), and its announcement (the superior, neighbours,
units in the area, linked organisations' duty rooms, the dashboards)."""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, Iterable

from django.conf import settings
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from emergency import live
from emergency.errors import Conflict
from emergency.notify.services import duty_room_inform, notification_send
from emergency.org.models import OrgUnit, RoleAssignment, User
from emergency.org.roles import Role
from emergency.org.tree import top_id, unit_path

from . import cap, selectors
from .cap import cap_time
from .authority import colour_name
from .catalogue import measure_kind
from .expiry import expiry_schedule
from .models import COLOURS, MEANINGS, MEANINGS_EN, EarlyWarning, WarningMessage


def _profile_values(warning: EarlyWarning) -> dict[str, Any]:
    profile = selectors.alerting_profile(top_id(warning.unit_id))
    return {"sender": profile.sender if profile else settings.CAP_SENDER,
            "contact": (profile.contact if profile else "") or settings.CAP_CONTACT,
            "agency_code": profile.agency_code if profile else "",
            "validity": timedelta(hours=profile.default_validity_hours if profile
                                  else settings.CAP_DEFAULT_VALIDITY_HOURS)}


def _identifier(warning: EarlyWarning, sequence: int, sent_at: datetime, agency_code: str) -> str:
    """GB/T 35965.1-2018 where the unit has a division code and the organisation an agency code; N counts
    the unit's messages entered in the same second. Otherwise the platform's own prefix."""
    division = next((code for _pk, code in _division_codes(warning.unit_id) if code), "")
    issuer = cap.gbt_issuer_code(division, agency_code)
    if issuer is None:
        return f"{settings.CAP_IDENTIFIER_PREFIX}.warning.{warning.pk}.{sequence}"
    stem = cap.gbt_identifier(issuer, sent_at, 0)[:-1]
    taken = WarningMessage.objects.filter(content__identifier__startswith=stem).count()
    if taken > 9:
        raise Conflict(_("Too many warnings entered by this unit in the same second. Please try again."))
    return f"{stem}{taken}"


def _division_codes(unit_id: int) -> list[tuple[int, str]]:
    """The unit's division code first, then its ancestors' (a department-less command body has none)."""
    path = [pk for pk, _code in unit_path(unit_id)]
    codes = dict(OrgUnit.objects.filter(pk__in=path).values_list("pk", "division_code"))
    return [(pk, codes.get(pk, "")) for pk in reversed(path)]


def _content(warning: EarlyWarning, *, sequence: int, sent_at: datetime, note: str = "") -> dict[str, Any]:
    """Everything a message freezes, in both languages, with what the public outputs need."""
    geocodes = [u.division_code for u in warning.area_units.all() if u.division_code]
    kinds = [kind for kind in (measure_kind(m.key) for m in warning.measures.all()) if kind]
    profile = _profile_values(warning)
    expires = warning.expected_end or sent_at + profile["validity"]
    content = {"level": warning.level, "colour": COLOURS[warning.level], "type": warning.incident_type.code,
               "category": warning.incident_type.category.code, "starts_at": cap_time(warning.starts_at),
               "expected_end": cap_time(warning.expected_end) if warning.expected_end else None,
               "expires": cap_time(expires), "polygon": warning.polygon, "circle": warning.circle,
               "geocodes": geocodes, "web": f"{settings.PUBLIC_BASE_URL}/public/warnings/{warning.pk}/",
               "identifier": _identifier(warning, sequence, sent_at, profile["agency_code"]),
               "sender": profile["sender"], "contact": profile["contact"], "note": note}
    for language, key in (("zh-hans", "zh"), ("en", "en")):
        with translation.override(language):
            type_name = warning.incident_type.display_name
            # The English <info> carries English wherever an English text exists (the event, the
            # sender, the level's meaning, the plan's measures); what an officer typed stays as typed.
            zh = key == "zh"
            content[key] = {
                "event": f"{type_name}{colour_name(warning.level)}预警" if zh
                else cap.event_en(warning.incident_type.code, warning.level),
                "headline": warning.title, "sender_name": warning.unit.display_name,
                "description": f"{warning.points}\n{(MEANINGS if zh else MEANINGS_EN)[warning.level]}",
                "instruction": "\n".join(filter(None, [warning.measures_text,
                                                       *[k.wording if zh else k.wording_en for k in kinds]])),
                "area_desc": warning.area_desc,
            }
    return content


def message_new(warning: EarlyWarning, actor: User, msg_type: str, reported_to: OrgUnit | None = None,
             note: str = "") -> WarningMessage:
    """The next issued version; an Alert or Update also sets until when the warning is in force."""
    sequence = (warning.messages.aggregate(n=Max("sequence"))["n"] or 0) + 1
    sent_at = timezone.now().replace(microsecond=0)
    content = _content(warning, sequence=sequence, sent_at=sent_at, note=note)
    if msg_type != WarningMessage.Type.CANCEL:
        warning.expires_at = datetime.fromisoformat(content["expires"])
        warning.save(update_fields=["expires_at"])
        expiry_schedule(warning)  # expiring releases what the warning put in place, as lifting does
    return WarningMessage.objects.create(warning=warning, sequence=sequence, msg_type=msg_type, content=content,
                                         sent_at=sent_at, sent_by=actor, reported_to=reported_to)


def _duty_officers(unit_ids: Iterable[int]) -> set[int]:
    return set(RoleAssignment.objects.filter(unit_id__in=list(unit_ids), role=Role.DUTY_OFFICER)
               .values_list("user_id", flat=True))


def announce(warning: EarlyWarning, message: WarningMessage, title: str, event: str = "") -> None:
    """Report to the superior (or the unit chosen when skipping levels), inform the neighbours and
    the units in the area, and update the dashboards."""
    targets = {u.pk for u in warning.neighbours.all()} | {u.pk for u in warning.area_units.all()}
    if message.reported_to_id:
        targets.add(message.reported_to_id)
    notification_send(recipient_ids=_duty_officers(targets), kind="warning", unit_id=warning.unit_id,
                      title=title, link=f"/warnings/{warning.pk}/", source_key=f"warning.message:{message.pk}")
    sender = warning.unit.name
    for organisation in warning.linked_organisations.all():
        duty_room_inform(from_unit_id=warning.unit_id, organisation=organisation, kind="warning",
                         title=f"{sender}：{title}", body=_linked_body(warning, message),
                         link=f"/api/v1/warnings/{warning.pk}.cap", source_key=f"warning.message:{message.pk}")
    live.publish(event=event or f"warning.{message.msg_type.lower()}", unit_id=warning.unit_id,
                 data={"warning": warning.pk, "level": warning.level, "colour": warning.colour,
                       "state": warning.state, "title": warning.title}, about=("warning", warning.pk))


def _linked_body(warning: EarlyWarning, message: WarningMessage) -> str:
    """The whole message for a linked organisation's duty room, which cannot open the warning's page."""
    zh = message.content["zh"]
    return "\n".join(filter(None, [f"{zh['sender_name']}：{zh['event']}", zh["headline"], zh["area_desc"],
                                    zh["description"], zh["instruction"]]))


