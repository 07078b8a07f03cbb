"""What the dashboard shows of the resources app: what its feed calls the app's events, and the teams,
equipment and supplies each warning put on standby, with where they wait (for the map). The
dashboard (above every app) reads them from here."""
from __future__ import annotations

from typing import Any, Iterable

from django.utils.translation import get_language, gettext_lazy

FEED_LABELS = {
    "resources.request": gettext_lazy("Resource request"),
    "resources.dispatched": gettext_lazy("Resources dispatched"),
    "resources.arrived": gettext_lazy("Resources arrived"),
    "resources.low_stock": gettext_lazy("Stock below minimum"),
    "resources.standby.set": gettext_lazy("Resources put on standby"),
    "resources.standby.in_place": gettext_lazy("Standby resources in position"),
    "resources.standby.release": gettext_lazy("Standby resources released"),
}

_FIELDS = ("id", "warning_id", "state", "quantity", "team__name", "team__unit__name", "team__unit__name_en",
           "team__latitude", "team__longitude", "equipment__name", "equipment__unit__name",
           "equipment__unit__name_en", "equipment__latitude", "equipment__longitude",
           "stock__store__name", "stock__store__unit__name", "stock__store__unit__name_en", "stock__item__name",
           "stock__item__unit_of_measure", "stock__store__latitude", "stock__store__longitude")


def standby_rows(warnings: Iterable[int] | Any) -> list[dict[str, Any]]:
    """The teams and supplies put on standby for `warnings` (a list of ids, or a queryset of warnings:
    then a subquery, the same one query when none is in force), in the order they were set: one
    query however many warnings and standbys. `standby_shown` renders them in a language."""
    from .models import Standby

    return list(Standby.objects.filter(warning__in=warnings).order_by("set_at", "id").values(*_FIELDS))


def standby_shown(rows: list[dict[str, Any]]) -> dict[int, list[dict[str, Any]]]:
    """Each warning's standby (on standby, in position or released) in the active language, by
    warning id, from `standby_rows`: no query."""
    from .models import Standby

    english = (get_language() or "").startswith("en")
    labels = dict(Standby.State.choices)
    entries: dict[int, list[dict[str, Any]]] = {}
    for row in rows:
        kind = "team" if row["team__name"] is not None else "equipment" if row["equipment__name"] else "supply"
        where = {"team": "team__", "equipment": "equipment__", "supply": "stock__store__"}[kind]
        holder = (row[where + "unit__name_en"] if english and row[where + "unit__name_en"]
                  else row[where + "unit__name"])
        entries.setdefault(row["warning_id"], []).append({
            "id": row["id"], "kind": kind,
            "name": f"{row['stock__store__name']} · {row['stock__item__name']}" if kind == "supply" else row[where + "name"],
            "quantity": row["quantity"], "measure": row["stock__item__unit_of_measure"] if kind == "supply" else "",
            "holder": holder, "state": row["state"], "status": str(labels[row["state"]]),
            "lat": row[where + "latitude"], "lon": row[where + "longitude"]})  # where it waits: the map's mark
    return entries


def standby_entries(warnings: Iterable[int] | Any) -> dict[int, list[dict[str, Any]]]:
    """`standby_shown(standby_rows(warnings))`: for the state document, built in one language."""
    return standby_shown(standby_rows(warnings))


OUT = ("dispatched", "en_route", "arrived", "in_use")  # on the move or at the scene: marked on the map


def resources_out(unit_ids: Iterable[int], limit: int = 200) -> list[dict[str, Any]]:
    """What is dispatched to the incidents of `unit_ids` (or from their stores and teams) and not yet
    back: one mark each where it goes (the delivery point, else the incident), as the requests'
    live events place them (resources.services.requests._where). One query, the newest first."""
    from django.db.models import Q

    from .models import ResourceRequest

    rows = (ResourceRequest.objects.filter(Q(incident__unit_id__in=unit_ids) | Q(holding_unit_id__in=unit_ids),
                                           state__in=OUT)
            .order_by("-updated_at", "-id")
            .values("id", "state", "kind", "quantity", "dispatched_quantity", "incident__title", "team__name",
                    "equipment__name", "item__name", "item__unit_of_measure", "destination__latitude",
                    "destination__longitude", "incident__latitude", "incident__longitude")[:limit])
    marks, labels = [], dict(ResourceRequest.State.choices)
    for row in rows:
        lat, lon = row["destination__latitude"], row["destination__longitude"]
        if lat is None and row["incident__latitude"] is not None:
            lat, lon = float(row["incident__latitude"]), float(row["incident__longitude"])
        if lat is None or lon is None:
            continue
        what = (f"{row['item__name']} × {row['dispatched_quantity'] or row['quantity']}{row['item__unit_of_measure']}"
                if row["kind"] == "supply" else row["team__name"] or row["equipment__name"])
        marks.append({"request": row["id"], "state": row["state"], "status": str(labels[row["state"]]),
                      "title": f"{row['incident__title']} · {what}",
                      "lat": lat, "lon": lon})
    return marks
