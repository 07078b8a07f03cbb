"""Every change to a warning: draft, issue (declares the warning period and reports it up and to
the neighbours), adjust (a new issued version), lift, or escalate into an incident and a response
proposal; the measures checklist. Each issued version is an immutable message (CAP Alert, Update,
Cancel); who may issue, adjust and lift is configured per organisation and level."""
from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any, Iterable

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from emergency import live
from emergency.audit.services import audit_record
from emergency.errors import Conflict, NotFound, NotPermitted, ValidationFailed
from emergency.notify.services import duty_room_inform, notification_send
from emergency.org.models import Department, OrganisationLink, OrgUnit, RoleAssignment, User
from emergency.org.roles import Role
from emergency.org.scope import unit_scope
from emergency.org.tree import reach_ids, top_id, unit_path
from incidents.grading.models import IncidentType

from . import cap, lifecycles, selectors
from .cap import cap_time
from .models import COLOURS, MEANINGS, MEASURES, EarlyWarning, WarningAuthority, WarningMeasure, WarningMessage

EDITABLE = ("incident_type", "level", "title", "signs", "assessment", "points", "measures_text", "starts_at",
            "expected_end", "area_desc", "polygon", "circle")


def _invalid(**fields: Any) -> ValidationFailed:
    return ValidationFailed(_("Some fields are missing or invalid."), fields={k: [v] for k, v in fields.items()})


# CAP 1.2 §3.2.4: WGS 84 decimal degrees, "lat,lon" pairs separated by single spaces; a circle's
# radius in kilometres. No exponent notation, no inf/nan, no tabs: third-party parsers refuse them.
DECIMAL = r"-?[0-9]{1,3}(?:\.[0-9]+)?"
PAIR = re.compile(rf"({DECIMAL}),({DECIMAL})")
POLYGON = re.compile(rf"{PAIR.pattern}(?: {PAIR.pattern}){{3,}}")
CIRCLE = re.compile(rf"{PAIR.pattern} ([0-9]{{1,5}}(?:\.[0-9]+)?)")
MAX_RADIUS_KM = 20_000


def _on_earth(lat: str, lon: str) -> bool:
    return -90 <= float(lat) <= 90 and -180 <= float(lon) <= 180


def _check_area(polygon: str, circle: str, errors: dict) -> None:
    polygon, circle = polygon.strip(), circle.strip()
    if polygon:
        pairs = [PAIR.fullmatch(pair) for pair in polygon.split(" ")] if POLYGON.fullmatch(polygon) else []
        if not (pairs and all(_on_earth(*m.groups()) for m in pairs) and pairs[0].groups() == pairs[-1].groups()):
            errors["polygon"] = _("A polygon is at least four “lat,lon” points in decimal degrees (WGS 84), "
                                  "separated by single spaces, the last equal to the first.")
    if circle:
        match = CIRCLE.fullmatch(circle)
        if not (match and _on_earth(match[1], match[2]) and 0 < float(match[3]) <= MAX_RADIUS_KM):
            errors["circle"] = _("A circle is “lat,lon radius”: decimal degrees (WGS 84) and a radius in "
                                 "kilometres above 0 and at most 20000.")


def _validate(values: dict[str, Any], *, issuing: bool = False) -> None:
    """`issuing`: the warning is about to be published, so an expected end must still be ahead."""
    errors: dict[str, Any] = {}
    for name in ("title", "signs", "points", "area_desc"):
        if not str(values.get(name) or "").strip():
            errors[name] = _("This field is required.")
    if values.get("level") not in (1, 2, 3, 4):
        errors["level"] = _("Choose a level from 1 to 4.")
    if values.get("expected_end") and values.get("starts_at") and values["expected_end"] <= values["starts_at"]:
        errors["expected_end"] = _("The warning ends after it starts.")
    elif issuing and values.get("expected_end") and values["expected_end"] <= timezone.now():
        errors["expected_end"] = _("The expected end has passed: change it before issuing.")
    _check_area(values.get("polygon") or "", values.get("circle") or "", errors)
    if errors:
        raise ValidationFailed(_("Some fields are missing or invalid."), fields={k: [v] for k, v in errors.items()})


def _check_recipients(unit: OrgUnit, **chosen: Iterable[OrgUnit]) -> None:
    """Units in the area and neighbours are of the issuing unit's organisation; another
    organisation is informed only when it is one of its linked organisations (联动单位)."""
    organisation = top_id(unit.pk)
    linked = set(OrganisationLink.objects.filter(organisation_id=organisation).values_list("linked_id", flat=True))
    errors = {}
    for name, units in chosen.items():
        if name == "linked_organisations":
            if any(u.pk not in linked for u in units):
                errors[name] = _("Inform another organisation only when it is linked to yours.")
        elif any(top_id(u.pk) != organisation for u in units):
            errors[name] = _("Choose units of your own organisation; inform others through a linked organisation.")
    if errors:
        raise _invalid(**errors)


def require_authority(actor: User, warning: EarlyWarning, level: int) -> str:
    rule = WarningAuthority.objects.filter(organisation_id=top_id(warning.unit_id), level=level).first()
    roles = rule.roles if rule else [Role.PRINCIPAL, Role.COMMANDER]
    for role in roles:
        if unit_scope(actor).has_role(role, warning.unit_id):
            return str(Role(role).label)
    raise NotPermitted(_("A %(colour)s warning of %(unit)s is issued, adjusted and lifted by the %(roles)s.") % {
        "colour": _colour_name(level), "unit": warning.unit.name, "roles": " / ".join(str(Role(r).label) for r in roles)})


def _in(language: str, text, **params) -> str:
    with translation.override(language):
        return str(text) % params if params else str(text)


def _colour_name(level: int) -> str:
    return str({1: _("red"), 2: _("orange"), 3: _("yellow"), 4: _("blue")}[level])


@transaction.atomic
def warning_draft(*, actor: User, unit: OrgUnit, type_code: str, level: int, title: str, signs: str, points: str,
                  area_desc: str, starts_at: datetime, assessment: str = "", measures_text: str = "",
                  expected_end: datetime | None = None, polygon: str = "", circle: str = "",
                  area_units: Iterable[OrgUnit] = (), neighbours: Iterable[OrgUnit] = (),
                  linked_organisations: Iterable[OrgUnit] = ()) -> EarlyWarning:
    """Record the signs and their assessment as a draft warning (anyone on duty in the unit)."""
    if not unit_scope(actor).can_see(unit.pk):
        raise NotFound(_("Not found."))
    if not any(unit_scope(actor).has_role(r, unit.pk) for r in
               (Role.DUTY_OFFICER, Role.LEAD_OFFICER, Role.COMMANDER, Role.PRINCIPAL, Role.DEPARTMENT_PRINCIPAL)):
        raise NotPermitted(_("You do not have permission to perform this action."))
    incident_type = IncidentType.objects.filter(code=type_code).first()
    values = {"title": title, "signs": signs, "points": points, "area_desc": area_desc, "level": level,
              "starts_at": starts_at, "expected_end": expected_end, "polygon": polygon, "circle": circle}
    if incident_type is None:
        raise _invalid(type=_("Unknown incident type."))
    _validate(values)
    area_units, neighbours, linked_organisations = list(area_units), list(neighbours), list(linked_organisations)
    _check_recipients(unit, area_units=area_units, neighbours=neighbours, linked_organisations=linked_organisations)
    warning = EarlyWarning.objects.create(
        unit=unit, incident_type=incident_type, level=level, title=title.strip(), signs=signs.strip(),
        assessment=assessment.strip(), points=points.strip(), measures_text=measures_text.strip(),
        starts_at=starts_at, expected_end=expected_end, area_desc=area_desc.strip(), polygon=polygon.strip(),
        circle=circle.strip(), created_by=actor)
    warning.area_units.set(area_units)
    warning.neighbours.set(neighbours)
    warning.linked_organisations.set(linked_organisations)
    audit_record(actor=actor, unit_id=unit.pk, action="warning.draft", target=warning,
                 after={"level": level, "title": warning.title})
    return warning


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
    measures = [dict(MEASURES)[m.key] for m in warning.measures.all()]
    meaning = MEANINGS[warning.level]
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
            content[key] = {
                "event": f"{type_name}{_colour_name(warning.level)}预警" if key == "zh"
                else cap.event_en(warning.incident_type.code, warning.level),
                "headline": warning.title, "sender_name": warning.unit.display_name,
                "description": f"{warning.points}\n{meaning}" if key == "zh" else f"{warning.points}",
                "instruction": "\n".join(filter(None, [warning.measures_text, *measures])),
                "area_desc": warning.area_desc,
            }
    return content


def _message(warning: EarlyWarning, actor: User, msg_type: str, reported_to: OrgUnit | None = None,
             note: str = "") -> WarningMessage:
    """The next issued version; an Alert or Update also sets until when the warning is in force."""
    sequence = (warning.messages.aggregate(n=Max("sequence"))["n"] or 0) + 1
    sent_at = timezone.now().replace(microsecond=0)
    content = _content(warning, sequence=sequence, sent_at=sent_at, note=note)
    if msg_type != WarningMessage.Type.CANCEL:
        warning.expires_at = datetime.fromisoformat(content["expires"])
        warning.save(update_fields=["expires_at"])
    return WarningMessage.objects.create(warning=warning, sequence=sequence, msg_type=msg_type, content=content,
                                         sent_at=sent_at, sent_by=actor, reported_to=reported_to)


def _duty_officers(unit_ids: Iterable[int]) -> set[int]:
    return set(RoleAssignment.objects.filter(unit_id__in=list(unit_ids), role=Role.DUTY_OFFICER)
               .values_list("user_id", flat=True))


def _announce(warning: EarlyWarning, message: WarningMessage, title: str) -> None:
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
    live.publish(event=f"warning.{message.msg_type.lower()}", unit_id=warning.unit_id,
                 data={"warning": warning.pk, "level": warning.level, "colour": warning.colour,
                       "state": warning.state, "title": warning.title}, about=("warning", warning.pk))


def _linked_body(warning: EarlyWarning, message: WarningMessage) -> str:
    """The whole message for a linked organisation's duty room, which cannot open the warning's page."""
    zh = message.content["zh"]
    return "\n".join(filter(None, [f"{zh['sender_name']}：{zh['event']}", zh["headline"], zh["area_desc"],
                                    zh["description"], zh["instruction"]]))


def _locked(warning: EarlyWarning) -> EarlyWarning:
    return EarlyWarning.objects.select_for_update(of=("self",)).select_related(
        "unit", "incident_type", "incident_type__category").get(pk=warning.pk)


def _report_to(warning: EarlyWarning, report_to: OrgUnit | None) -> OrgUnit | None:
    """The superior by default; any higher unit when skipping levels (必要时越级上报)."""
    ancestors = [pk for pk, _c in unit_path(warning.unit_id)][:-1]
    if report_to is None:
        return warning.unit.parent
    if report_to.pk not in ancestors:
        raise _invalid(report_to=_("Report to a superior unit."))
    return report_to


@transaction.atomic
def warning_issue(*, actor: User, warning: EarlyWarning, report_to: OrgUnit | None = None) -> WarningMessage:
    warning = _locked(warning)
    lifecycles.WARNING.require("issue", warning)
    acting = require_authority(actor, warning, warning.level)
    _validate({n: getattr(warning, n) for n in EDITABLE}, issuing=True)
    warning.state = EarlyWarning.State.ISSUED
    warning.save(update_fields=["state"])
    message = _message(warning, actor, WarningMessage.Type.ALERT, _report_to(warning, report_to))
    audit_record(actor=actor, unit_id=warning.unit_id, action="warning.issue", target=message,
                 after={"level": warning.level, "as": acting, "reported_to": message.reported_to_id})
    _announce(warning, message, f"{_colour_name(warning.level)}预警：{warning.title}")
    return message


@transaction.atomic
def warning_adjust(*, actor: User, warning: EarlyWarning, report_to: OrgUnit | None = None,
                   **changes: Any) -> WarningMessage:
    """Change the level, area or content of an issued warning: a new version, reported and re-sent.
    The authority of both the old and the new level is needed."""
    warning = _locked(warning)
    lifecycles.WARNING.require("adjust", warning)
    if not warning.in_force():
        raise Conflict(_("The warning has expired: issue a new one."))
    unknown = set(changes) - set(EDITABLE) - {"area_units", "neighbours", "linked_organisations"}
    if unknown:
        raise _invalid(**{name: _("This field cannot be changed here.") for name in unknown})
    require_authority(actor, warning, warning.level)
    recipients = {name: list(changes.pop(name)) for name in ("area_units", "neighbours", "linked_organisations")
                  if name in changes}
    _check_recipients(warning.unit, **recipients)
    before = {"level": warning.level, "area_desc": warning.area_desc}
    for name, value in changes.items():
        setattr(warning, name, value.strip() if isinstance(value, str) else value)
    _validate({n: getattr(warning, n) for n in EDITABLE}, issuing=True)
    acting = require_authority(actor, warning, warning.level)
    warning.save()
    for name, units in recipients.items():
        getattr(warning, name).set(units)
    message = _message(warning, actor, WarningMessage.Type.UPDATE, _report_to(warning, report_to))
    audit_record(actor=actor, unit_id=warning.unit_id, action="warning.adjust", target=message, before=before,
                 after={"level": warning.level, "area_desc": warning.area_desc, "as": acting})
    _announce(warning, message, f"{_colour_name(warning.level)}预警调整：{warning.title}")
    return message


@transaction.atomic
def warning_lift(*, actor: User, warning: EarlyWarning, reason: str) -> WarningMessage:
    warning = _locked(warning)
    lifecycles.WARNING.require("lift", warning)
    if not reason.strip():
        raise _invalid(reason=_("This field is required."))
    acting = require_authority(actor, warning, warning.level)
    warning.state = EarlyWarning.State.LIFTED
    warning.save(update_fields=["state"])
    WarningMeasure.objects.filter(warning=warning).exclude(status=WarningMeasure.Status.DONE).update(
        status=WarningMeasure.Status.DONE, note=reason.strip())
    message = _message(warning, actor, WarningMessage.Type.CANCEL, warning.unit.parent)
    audit_record(actor=actor, unit_id=warning.unit_id, action="warning.lift", target=message,
                 after={"reason": reason.strip(), "as": acting})
    _announce(warning, message, f"解除预警：{warning.title}")
    return message


@transaction.atomic
def warning_escalate(*, actor: User, warning: EarlyWarning, body: str, lead_department: Department | None = None):
    """The event happened or is about to: log the incident with the warning's data, propose a
    response at the warning's level when the actor may, and mark the warning escalated. The public is
    told with an Update that references the response (never a Cancel: the danger has not passed);
    the warning stays in force until it is lifted or expires."""
    from incidents import services as incident_services
    from incidents.response import services as response_services

    warning = _locked(warning)
    lifecycles.WARNING.require("escalate", warning)
    if not body.strip():
        raise _invalid(body=_("This field is required."))
    require_authority(actor, warning, warning.level)
    now = timezone.now()
    incident = incident_services.incident_log(
        actor=actor, unit=warning.unit, type_code=warning.incident_type.code, title=warning.title,
        address=warning.area_desc, occurred_at=now, received_at=now, lead_department=lead_department,
        body=f"{body.strip()}\n（由预警“{warning.title}”转入：{warning.points}）")
    proposal = None
    if lead_department is not None:
        try:
            with transaction.atomic():
                proposal = response_services.proposal_create(
                    actor=actor, incident=incident, level=warning.level,
                    reasons=f"{_colour_name(warning.level)}预警转入应急响应：{warning.signs}")
        except (NotPermitted, ValidationFailed):
            proposal = None  # the lead department proposes it from the incident page
    warning.state, warning.incident = EarlyWarning.State.ESCALATED, incident
    warning.save(update_fields=["state", "incident"])
    note = " / ".join(_in(language, _("Escalated into an emergency response (incident %(number)s)."),
                          number=incident.pk) for language in ("zh-hans", "en"))
    message = _message(warning, actor, WarningMessage.Type.UPDATE, warning.unit.parent, note=note)
    audit_record(actor=actor, unit_id=warning.unit_id, action="warning.escalate", target=message,
                 after={"incident": incident.pk, "proposal": proposal.pk if proposal else None})
    _announce(warning, message, f"预警转入应急响应：{warning.title}")
    return incident, proposal


@transaction.atomic
def measure_assign(*, actor: User, warning: EarlyWarning, key: str, department: Department) -> WarningMeasure:
    warning = _locked(warning)
    if warning.state not in (EarlyWarning.State.DRAFT, EarlyWarning.State.ISSUED):
        raise Conflict(_("The warning period is over."))
    require_authority(actor, warning, warning.level)
    if key not in dict(MEASURES):
        raise _invalid(key=_("Unknown warning measure."))
    if department.unit_id not in reach_ids(warning.unit):
        raise _invalid(department=_("The department must be within reach of the issuing unit."))
    measure, _created = WarningMeasure.objects.update_or_create(warning=warning, key=key,
                                                                defaults={"department": department})
    notification_send(recipient_ids=set(RoleAssignment.objects.filter(department=department)
                                         .values_list("user_id", flat=True)),
                      kind="warning.measure", unit_id=warning.unit_id, link=f"/warnings/{warning.pk}/",
                      title=f"预警措施：{measure.wording}", source_key=f"warning.measure:{measure.pk}:{department.pk}")
    audit_record(actor=actor, unit_id=warning.unit_id, action="warning.measure.assign", target=measure,
                 after={"key": key, "department": department.pk})
    return measure


@transaction.atomic
def measure_update(*, actor: User, measure: WarningMeasure, status: str, note: str = "") -> WarningMeasure:
    measure = (WarningMeasure.objects.select_for_update(of=("self", "warning")).select_related("warning")
               .get(pk=measure.pk))
    if status not in WarningMeasure.Status.values:
        raise _invalid(status=_("Unknown state."))
    serves = RoleAssignment.objects.filter(user=actor, department_id=measure.department_id).exists()
    if not serves:
        require_authority(actor, measure.warning, measure.warning.level)
    before = measure.status
    measure.status, measure.note = status, note.strip() or measure.note
    measure.save()
    audit_record(actor=actor, unit_id=measure.warning.unit_id, action="warning.measure.update", target=measure,
                 before={"status": before}, after={"status": status})
    return measure
