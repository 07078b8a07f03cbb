"""The CAP consumers the tests read our messages with.

- `google_problems(document)`: the rules of Google Public Alerts' CAP profile (CAP-Google v1.0) that a
  document can be checked against by itself, as documented on developers.google.com/public-alerts
  (reference/cap-google and guides/cap-requirements): elements optional in CAP that Google requires
  (`<expires>`, `<description>`, `<area>`), `<event>` under 35 characters, no `Unknown` urgency,
  severity or certainty, times with a numeric offset, `<references>` on every Update and Cancel,
  closed polygons of at least four WGS 84 pairs, circles with a positive radius, an absolute `<web>`.
- `capparselib_reads(document)`: the third-party parser capparselib (PyPI), which validates against
  its own stricter schema (patterns on identifier, sender, references, times and circle) and
  objectifies the message.
"""
from __future__ import annotations

import math
import re
from datetime import datetime
from urllib.parse import urlsplit

from capparselib.parsers import CAPParser
from lxml import etree

NS = {"cap": "urn:oasis:names:tc:emergency:cap:1.2"}
TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d")
NO_SPACE = re.compile(r"[^\s,<&]+")
DECIMAL = r"-?\d{1,3}(?:\.\d+)?"
PAIR = re.compile(rf"({DECIMAL}),({DECIMAL})")


def _text(node, name: str) -> str | None:
    return node.findtext(f"cap:{name}", namespaces=NS)


def _pairs(value: str) -> list[tuple[float, float]] | None:
    matches = [PAIR.fullmatch(pair) for pair in value.split(" ")]
    if not all(matches):
        return None
    points = [(float(m[1]), float(m[2])) for m in matches]
    return points if all(-90 <= lat <= 90 and -180 <= lon <= 180 for lat, lon in points) else None


def _area_problems(area) -> list[str]:
    problems = []
    if not (_text(area, "areaDesc") or "").strip():
        problems.append("area without areaDesc")
    for polygon in area.findall("cap:polygon", NS):
        points = _pairs(polygon.text or "")
        if points is None:
            problems.append(f"polygon not WGS 84 decimal pairs separated by spaces: {polygon.text!r}")
        elif len(points) < 4 or points[0] != points[-1]:
            problems.append(f"polygon not closed or under four pairs: {polygon.text!r}")
    for circle in area.findall("cap:circle", NS):
        centre, _, radius = (circle.text or "").partition(" ")
        try:
            ok = _pairs(centre) is not None and math.isfinite(float(radius)) and float(radius) > 0
        except ValueError:
            ok = False
        if not ok or not re.fullmatch(r"\d+(?:\.\d+)?", radius):
            problems.append(f"circle not 'lat,lon radius' with a positive decimal radius: {circle.text!r}")
    return problems


def _info_problems(info, sent: datetime | None) -> list[str]:
    problems = []
    for name in ("category", "event", "urgency", "severity", "certainty", "expires", "description"):
        if not (_text(info, name) or "").strip():
            problems.append(f"info without {name}")
    event = _text(info, "event") or ""
    if len(event) >= 35:
        problems.append(f"event of {len(event)} characters (Google: under 35): {event!r}")
    for name in ("urgency", "severity", "certainty"):
        if _text(info, name) == "Unknown":
            problems.append(f"{name} Unknown")
    for name in ("effective", "onset", "expires"):
        value = _text(info, name)
        if value is not None and not TIME.fullmatch(value):
            problems.append(f"{name} without a numeric offset: {value!r}")
    expires = _text(info, "expires")
    if sent and expires and TIME.fullmatch(expires) and datetime.fromisoformat(expires) <= sent:
        problems.append("expires not after sent")
    headline = _text(info, "headline") or ""
    if len(headline) > 140:
        problems.append("headline over 140 characters")
    web = _text(info, "web")
    if web is not None and (urlsplit(web).scheme not in ("http", "https") or not urlsplit(web).hostname):
        problems.append(f"web not an absolute URL: {web!r}")
    areas = info.findall("cap:area", NS)
    if not areas:
        problems.append("info without area")
    for area in areas:
        problems += _area_problems(area)
    return problems


def google_problems(document: bytes) -> list[str]:
    alert = etree.fromstring(document)
    problems = [f"alert without {name}" for name in ("identifier", "sender", "sent", "status", "msgType", "scope")
                if not (_text(alert, name) or "").strip()]
    for name in ("identifier", "sender"):
        if _text(alert, name) and not NO_SPACE.fullmatch(_text(alert, name)):
            problems.append(f"{name} with a space, comma, < or &")
    sent = _text(alert, "sent")
    sent_at = datetime.fromisoformat(sent) if sent and TIME.fullmatch(sent) else None
    if sent and sent_at is None:
        problems.append(f"sent without a numeric offset: {sent!r}")
    references = _text(alert, "references")
    if _text(alert, "msgType") in ("Update", "Cancel"):
        triples = (references or "").split()
        if not triples or not all(re.fullmatch(r"[^\s,<&]+,[^\s,<&]+," + TIME.pattern, t) for t in triples):
            problems.append(f"{_text(alert, 'msgType')} without well-formed references: {references!r}")
    infos = alert.findall("cap:info", NS)
    if not infos:
        problems.append("alert without info")
    for info in infos:
        problems += _info_problems(info, sent_at)
    return problems


def capparselib_reads(document: bytes) -> dict:
    """The message as capparselib parses it; raises when its schema refuses the document."""
    (alert,) = CAPParser(document.decode("utf-8")).as_dict()
    return alert
