"""What the dashboard shows of the resources app: what its feed calls the app's events, and the teams
and supplies each warning put on standby. The dashboard (above every app) reads them from here."""
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
           "stock__store__name", "stock__store__unit__name", "stock__store__unit__name_en", "stock__item__name",
           "stock__item__unit_of_measure")


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
        team = row["team__name"] is not None
        prefix = "team__unit__" if team else "stock__store__unit__"
        holder = (row[prefix + "name_en"] if english and row[prefix + "name_en"] else row[prefix + "name"])
        entries.setdefault(row["warning_id"], []).append({
            "id": row["id"], "kind": "team" if team else "supply",
            "name": row["team__name"] if team else f"{row['stock__store__name']} · {row['stock__item__name']}",
            "quantity": row["quantity"], "measure": "" if team else row["stock__item__unit_of_measure"],
            "holder": holder, "state": row["state"], "status": str(labels[row["state"]])})
    return entries


def standby_entries(warnings: Iterable[int] | Any) -> dict[int, list[dict[str, Any]]]:
    """`standby_shown(standby_rows(warnings))`: for the state document, built in one language."""
    return standby_shown(standby_rows(warnings))
