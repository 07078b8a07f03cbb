"""Every change to a warning: draft, issue (declares the warning period and reports it up and to
the neighbours), adjust (a new issued version), lift, or escalate into an incident and a response
proposal, both or neither. Each issued version is an immutable message (CAP Alert, Update, Cancel,
alerts.messaging); who may issue, adjust and lift is configured per organisation and level
(alerts.authority). Field checks live in the operations' input serializers (alerts.operations);
the services keep the domain rules: authority, the lifecycle, the area's geometry, the recipients."""
from __future__ import annotations

import re
from datetime import datetime
from decimal import Decimal
from typing import Any, Iterable

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from emergency.audit.services import audit_record
from emergency.errors import Conflict, NotFound, NotPermitted, ValidationFailed
from emergency.org.models import Department, OrganisationLink, OrgUnit, User
from emergency.org.scope import unit_scope
from emergency.org.tree import top_id, unit_path
from incidents import services as incident_services
from incidents.grading.models import IncidentType
from incidents.response import services as response_services

from . import lifecycles
from .authority import colour_name, require_authority, require_drafter, require_escalator
from .expiry import expiry_cancel, on_lift, warning_ended  # noqa: F401  (on_lift: the apps above register)
from .messaging import announce, message_new
from .models import EarlyWarning, WarningMeasure, WarningMessage

EDITABLE = ("incident_type", "level", "title", "signs", "assessment", "points", "measures_text", "starts_at",
            "expected_end", "area_desc", "polygon", "circle")
ADJUSTABLE = ("level", "title", "signs", "assessment", "points", "measures_text", "expected_end", "area_desc",
              "polygon", "circle")


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



def _in(language: str, text, **params) -> str:
    with translation.override(language):
        return str(text) % params if params else str(text)


@transaction.atomic
def warning_draft(*, actor: User, unit: OrgUnit, type_code: str, level: int, title: str, signs: str, points: str,
                  area_desc: str, starts_at: datetime, assessment: str = "", measures_text: str = "",
                  expected_end: datetime | None = None, polygon: str = "", circle: str = "",
                  area_units: Iterable[OrgUnit] = (), neighbours: Iterable[OrgUnit] = (),
                  linked_organisations: Iterable[OrgUnit] = ()) -> EarlyWarning:
    """Record the signs and their assessment as a draft warning (anyone on duty in the unit)."""
    if not unit_scope(actor).can_see(unit.pk):
        raise NotFound(_("Not found."))
    require_drafter(actor, unit.pk)
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
    message = message_new(warning, actor, WarningMessage.Type.ALERT, _report_to(warning, report_to))
    audit_record(actor=actor, unit_id=warning.unit_id, action="warning.issue", target=message,
                 after={"level": warning.level, "as": acting, "reported_to": message.reported_to_id})
    announce(warning, message, f"{colour_name(warning.level)}预警：{warning.title}")
    return message


@transaction.atomic
def warning_adjust(*, actor: User, warning: EarlyWarning, report_to: OrgUnit | None = None,
                   **changes: Any) -> WarningMessage:
    """Change the level, title, area or content of an issued warning: a new version, reported and
    re-sent. The authority of both the old and the new level is needed; the CAP event and headline
    of the new version are both taken from the warning as adjusted."""
    warning = _locked(warning)
    lifecycles.WARNING.require("adjust", warning)
    if not warning.in_force():
        raise Conflict(_("The warning has expired: issue a new one."))
    unknown = set(changes) - set(ADJUSTABLE) - {"area_units", "neighbours", "linked_organisations"}
    if unknown:
        raise _invalid(**{name: _("This field cannot be changed here.") for name in unknown})
    require_authority(actor, warning, warning.level)
    recipients = {name: list(changes.pop(name)) for name in ("area_units", "neighbours", "linked_organisations")
                  if name in changes}
    _check_recipients(warning.unit, **recipients)
    changes = {name: value.strip() if isinstance(value, str) else value for name, value in changes.items()}
    changed = {name: value for name, value in changes.items() if getattr(warning, name) != value}
    if not changed and not any({u.pk for u in units} != {u.pk for u in getattr(warning, name).all()}
                               for name, units in recipients.items()):
        raise ValidationFailed(_("Change the level, the title, the area or the warning points."))
    before = {"level": warning.level, "title": warning.title, "area_desc": warning.area_desc}
    for name, value in changed.items():
        setattr(warning, name, value)
    _validate({n: getattr(warning, n) for n in EDITABLE}, issuing=True)
    acting = require_authority(actor, warning, warning.level)
    warning.save()
    for name, units in recipients.items():
        getattr(warning, name).set(units)
    message = message_new(warning, actor, WarningMessage.Type.UPDATE, _report_to(warning, report_to))
    audit_record(actor=actor, unit_id=warning.unit_id, action="warning.adjust", target=message, before=before,
                 after={"level": warning.level, "title": warning.title, "area_desc": warning.area_desc,
                        "as": acting})
    announce(warning, message, f"{colour_name(warning.level)}预警调整：{warning.title}")
    return message


@transaction.atomic
def warning_lift(*, actor: User, warning: EarlyWarning, reason: str) -> WarningMessage:
    """End the warning period and lift the measures taken (city plan 3.2.2 4) "解除已经采取的有关措施";
    customs plan 3.2 (4)): a measure still open is lifted, not done."""
    warning = _locked(warning)
    lifecycles.WARNING.require("lift", warning)
    acting = require_authority(actor, warning, warning.level)
    warning.state = EarlyWarning.State.LIFTED
    warning.save(update_fields=["state"])
    WarningMeasure.objects.filter(warning=warning).exclude(status=WarningMeasure.Status.DONE).update(
        status=WarningMeasure.Status.LIFTED, note=reason.strip())
    warning_ended(actor=actor, warning=warning, ended="lift")  # what the apps above put in place is released
    expiry_cancel(warning)
    message = message_new(warning, actor, WarningMessage.Type.CANCEL, warning.unit.parent)
    audit_record(actor=actor, unit_id=warning.unit_id, action="warning.lift", target=message,
                 after={"reason": reason.strip(), "as": acting})
    announce(warning, message, f"解除预警：{warning.title}")
    return message


def area_centre(warning: EarlyWarning) -> tuple[Decimal, Decimal] | None:
    """A point of the warning's area for the incident's map: the circle's centre, else the mean of the
    polygon's distinct vertices (the last repeats the first)."""
    if warning.circle:
        lat, lon = warning.circle.split(" ")[0].split(",")
        return Decimal(lat), Decimal(lon)
    if warning.polygon:
        pairs = [tuple(map(Decimal, p.split(","))) for p in warning.polygon.split(" ")][:-1]
        return (round(sum(p[0] for p in pairs) / len(pairs), 6), round(sum(p[1] for p in pairs) / len(pairs), 6))
    return None


def _proposer_refusal(warning: EarlyWarning, department: Department) -> NotPermitted:
    return NotPermitted(_("Escalation logs the incident and proposes the response level together, and the level "
                          "is proposed by the lead department: a lead officer of %(department)s (%(unit)s) must "
                          "escalate this warning. Nothing was logged.")
                        % {"department": department.display_name, "unit": department.unit.display_name})


@transaction.atomic
def warning_escalate(*, actor: User, warning: EarlyWarning, body: str, lead_department: Department):
    """The event happened or is about to: log the incident with the warning's data and area, propose
    a response at the warning's level, and mark the warning escalated, all in one transaction: both
    or neither. When the actor cannot propose for the lead department, nothing is logged and the
    refusal names who must. The public is told with an Update that references the response (never a
    Cancel: the danger has not passed); the warning stays in force until it is lifted or expires."""
    warning = _locked(warning)
    lifecycles.WARNING.require("escalate", warning)
    require_escalator(actor, warning)
    now = timezone.now()
    centre = area_centre(warning)
    incident = incident_services.incident_log(
        actor=actor, unit=warning.unit, type_code=warning.incident_type.code, title=warning.title,
        address=warning.area_desc, occurred_at=now, received_at=now, lead_department=lead_department,
        latitude=centre[0] if centre else None, longitude=centre[1] if centre else None,
        body=f"{body.strip()}\n（由预警“{warning.title}”转入：{warning.points}）")
    try:
        proposal = response_services.proposal_create(
            actor=actor, incident=incident, level=warning.level,
            reasons=f"{colour_name(warning.level)}预警转入应急响应：{warning.signs}")
    except NotPermitted:
        raise _proposer_refusal(warning, lead_department) from None  # rolls the incident back
    warning.state, warning.incident = EarlyWarning.State.ESCALATED, incident
    warning.save(update_fields=["state", "incident"])
    note = " / ".join(_in(language, _("Escalated into an emergency response (incident %(number)s)."),
                          number=incident.pk) for language in ("zh-hans", "en"))
    message = message_new(warning, actor, WarningMessage.Type.UPDATE, warning.unit.parent, note=note)
    audit_record(actor=actor, unit_id=warning.unit_id, action="warning.escalate", target=message,
                 after={"incident": incident.pk, "proposal": proposal.pk})
    announce(warning, message, f"预警转入应急响应：{warning.title}", event="warning.escalate")
    return incident, proposal
