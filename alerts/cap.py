"""CAP 1.2 (OASIS Common Alerting Protocol) for issued warning messages, validated against the
official schema shipped in `alerts/schemas/cap-v1.2.xsd`, and written the way third-party consumers
read it (Google's CAP profile: `<expires>` always, `<event>` under 35 characters, `<web>` and
`<contact>`; GB/T 35965.1-2018 identifiers where the issuing unit has its codes).

What a message says is frozen in its `content` when it is issued (services._content); messages
frozen before a key existed fall back to the values computed here."""
from __future__ import annotations

import re
from datetime import datetime, timedelta
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from lxml import etree

from .models import WarningMessage

NS = "urn:oasis:names:tc:emergency:cap:1.2"
SCHEMA = Path(__file__).resolve().parent / "schemas" / "cap-v1.2.xsd"
SEVERITY = {1: "Extreme", 2: "Severe", 3: "Moderate", 4: "Minor"}
URGENCY = {1: "Immediate", 2: "Expected", 3: "Expected", 4: "Future"}
CATEGORY = {"natural": "Geo", "accident": "Safety", "public_health": "Health", "social_security": "Security"}
TYPE_CATEGORY = {"meteorological": "Met", "forest_fire": "Fire", "grassland_fire": "Fire", "fire": "Fire",
                 "environmental": "Env", "transport": "Transport", "facility": "Infra", "cyber": "Infra",
                 "terrorism": "Security", "animal_epidemic": "Health", "plant_epidemic": "Env",
                 "nuclear_radiation": "CBRNE", "oil_gas_supply": "Infra", "drug_safety": "Health"}


# What XML 1.0 cannot carry: control characters other than tab, newline and return, and U+FFFE/U+FFFF.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_text(value: str) -> str:
    """Text as XML can carry it. Pasted text may hold a control character (a word processor's vertical tab)."""
    return NOT_XML.sub("", value)


@lru_cache(maxsize=1)
def schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(SCHEMA)))


def cap_time(value: datetime) -> str:
    """CAP's dateTime: local time with a numeric offset and no fractions, e.g. 2026-11-25T14:03:00+08:00."""
    return timezone.localtime(value).replace(microsecond=0).isoformat()


# A short English <event> per incident type (Google: under 35 characters), e.g. "Orange flood warning".
EVENT_EN = {
    "flood_drought": "flood or drought", "meteorological": "severe weather", "earthquake": "earthquake",
    "geological": "geological hazard", "marine": "marine hazard", "biological": "crop pest",
    "forest_fire": "forest fire", "grassland_fire": "grassland fire", "work_safety": "industrial accident",
    "environmental": "pollution", "transport": "transport accident", "facility": "utility failure",
    "fire": "fire", "cyber": "cyber security", "data_security": "data security", "public_health": "public health",
    "animal_epidemic": "animal epidemic", "food_safety": "food safety", "plant_epidemic": "plant epidemic",
    "mass_incident": "public order", "financial": "financial", "foreign_related": "foreign-related",
    "market": "market stability", "terrorism": "terrorism", "criminal": "public security",
    "port_disruption": "border crossing", "nuclear_radiation": "nuclear/radiation", "drug_safety": "drug safety",
    "oil_gas_supply": "oil or gas supply", "ethnic_religious": "ethnic or religious", "public_opinion": "public opinion",
    "economic_security": "economic security",
}
COLOUR_EN = {1: "Red", 2: "Orange", 3: "Yellow", 4: "Blue"}


def event_en(type_code: str, level: int) -> str:
    return f"{COLOUR_EN[level]} {EVENT_EN.get(type_code, 'emergency')} warning"


def sender() -> str:
    """The default CAP sender (an organisation's AlertingProfile names its own)."""
    return settings.CAP_SENDER


def legacy_identifier(message: WarningMessage) -> str:
    return f"{settings.CAP_IDENTIFIER_PREFIX}.warning.{message.warning_id}.{message.sequence}"


def identifier(message: WarningMessage) -> str:
    return message.content.get("identifier") or legacy_identifier(message)


def message_sender(message: WarningMessage) -> str:
    return message.content.get("sender") or sender()


def gbt_issuer_code(division_code: str, agency_code: str) -> str | None:
    """GB/T 35965.1-2018 A.1.2: ZZZZZZ (GB/T 2260 division) DDD (GB/T 4657 agency) UUU (000) XX (00)."""
    if re.fullmatch(r"[0-9]{6}", division_code or "") and re.fullmatch(r"[0-9]{3}", agency_code or ""):
        return f"{division_code}{agency_code}00000"
    return None


def gbt_identifier(issuer_code: str, sent_at: datetime, n: int) -> str:
    """GB/T 35965.1-2018 A.1.1: issuer code, entry time YYYYMMDDhhmmss in Beijing time, then N (0-9)."""
    beijing = sent_at.astimezone(timezone.get_fixed_timezone(8 * 60))
    return f"{issuer_code}_{beijing:%Y%m%d%H%M%S}_{n}"


def _el(parent, name: str, text: str | None = None):
    node = etree.SubElement(parent, f"{{{NS}}}{name}")
    if text is not None:
        node.text = xml_text(text)
    return node


def build(message: WarningMessage, earlier: list[WarningMessage]) -> bytes:
    content = message.content
    alert = etree.Element(f"{{{NS}}}alert", nsmap={None: NS})
    _el(alert, "identifier", identifier(message))
    _el(alert, "sender", message_sender(message))
    _el(alert, "sent", cap_time(message.sent_at))
    _el(alert, "status", "Actual")
    _el(alert, "msgType", message.msg_type)
    _el(alert, "scope", "Public")
    if content.get("note"):
        _el(alert, "note", content["note"])
    if earlier:
        _el(alert, "references", " ".join(
            f"{message_sender(m)},{identifier(m)},{cap_time(m.sent_at)}" for m in earlier))
    level = content["level"]
    for language, text in (("zh-CN", content["zh"]), ("en-US", content["en"])):
        info = _el(alert, "info")
        _el(info, "language", language)
        _el(info, "category", TYPE_CATEGORY.get(content["type"], CATEGORY.get(content["category"], "Other")))
        _el(info, "event", event_en(content["type"], level) if language == "en-US" else text["event"])
        if message.msg_type == WarningMessage.Type.CANCEL:
            _el(info, "responseType", "AllClear")
        elif text.get("instruction"):
            _el(info, "responseType", "Prepare")
        _el(info, "urgency", "Past" if message.msg_type == WarningMessage.Type.CANCEL else URGENCY[level])
        _el(info, "severity", SEVERITY[level])
        _el(info, "certainty", "Likely")
        _el(info, "effective", cap_time(message.sent_at))
        _el(info, "onset", content["starts_at"])
        _el(info, "expires", content.get("expires") or content.get("expected_end") or cap_time(
            message.sent_at + timedelta(hours=settings.CAP_DEFAULT_VALIDITY_HOURS)))
        _el(info, "senderName", text["sender_name"])
        _el(info, "headline", text["headline"][:160])
        _el(info, "description", text["description"])
        if text.get("instruction"):
            _el(info, "instruction", text["instruction"])
        _el(info, "web", content["web"])
        if content.get("contact"):
            _el(info, "contact", content["contact"])
        parameter = _el(info, "parameter")
        _el(parameter, "valueName", "warningLevelColour")
        _el(parameter, "value", content["colour"])
        area = _el(info, "area")
        _el(area, "areaDesc", text["area_desc"])
        if content.get("polygon"):
            _el(area, "polygon", content["polygon"])
        if content.get("circle"):
            _el(area, "circle", content["circle"])
        for code in content.get("geocodes", []):
            geocode = _el(area, "geocode")
            _el(geocode, "valueName", "GB/T 2260")
            _el(geocode, "value", code)
    return etree.tostring(alert, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def validate(document: bytes) -> None:
    """Raise lxml.etree.DocumentInvalid when the document is not CAP 1.2."""
    schema().assertValid(etree.fromstring(document))
