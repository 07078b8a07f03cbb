"""The public page of a warning in force, the `<web>` of its CAP messages: what was issued (the
latest message, as frozen), the area on a map drawn on the server, the measures, the issuing unit
and its public contact. No login; no personal data (who issued it is the unit, never the officer);
drafts, lifted and expired warnings are not found."""
from __future__ import annotations

import math

from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import get_language

from .models import EarlyWarning
from .selectors import in_force_q

WIDTH, HEIGHT, PAD = 480, 320, 24
KM_PER_DEGREE = 111.32


def _shapes(content: dict) -> tuple[list[tuple[float, float]], tuple[float, float, float] | None]:
    polygon = [tuple(float(x) for x in pair.split(",")) for pair in (content.get("polygon") or "").split()]
    circle = None
    if content.get("circle"):
        centre, radius = content["circle"].split()
        lat, lon = (float(x) for x in centre.split(","))
        circle = (lat, lon, float(radius))
    return polygon, circle


def area_map(content: dict) -> dict | None:
    """The polygon and circle projected (equirectangular, north up) into an SVG box, or None."""
    polygon, circle = _shapes(content)
    points = list(polygon)
    if circle:
        lat, lon, radius = circle
        dlat = radius / KM_PER_DEGREE
        dlon = radius / (KM_PER_DEGREE * max(math.cos(math.radians(lat)), 0.01))
        points += [(lat - dlat, lon - dlon), (lat + dlat, lon + dlon)]
    if not points:
        return None
    lats, lons = [p[0] for p in points], [p[1] for p in points]
    mid = math.cos(math.radians((min(lats) + max(lats)) / 2))
    span_x = max((max(lons) - min(lons)) * mid, 1e-6)
    span_y = max(max(lats) - min(lats), 1e-6)
    scale = min((WIDTH - 2 * PAD) / span_x, (HEIGHT - 2 * PAD) / span_y)

    def xy(lat: float, lon: float) -> tuple[float, float]:
        return (round(PAD + (lon - min(lons)) * mid * scale, 1), round(HEIGHT - PAD - (lat - min(lats)) * scale, 1))

    shape = {"width": WIDTH, "height": HEIGHT,
             "polygon": " ".join(f"{x},{y}" for x, y in (xy(*p) for p in polygon))}
    if circle:
        lat, lon, radius = circle
        cx, cy = xy(lat, lon)
        shape.update(cx=cx, cy=cy, rx=round(radius / KM_PER_DEGREE / max(math.cos(math.radians(lat)), 0.01)
                                           * mid * scale, 1), ry=round(radius / KM_PER_DEGREE * scale, 1))
    return shape


def public_warning(request, pk: int):
    warning = (EarlyWarning.objects.filter(in_force_q(timezone.now()), pk=pk).select_related("unit")
               .prefetch_related("messages").first())
    if warning is None:
        raise Http404
    message = max(warning.messages.all(), key=lambda m: m.sequence)
    content = message.content
    text = content["en"] if (get_language() or "").startswith("en") else content["zh"]
    return render(request, "alerts/public.html", {
        "content": content, "text": text, "message": message, "warning_id": warning.pk,
        "measures": [line for line in (text.get("instruction") or "").split("\n") if line.strip()],
        "map": area_map(content), "expires": content.get("expires"),
    })
