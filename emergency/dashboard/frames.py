"""What a live frame tells a screen to change in its local model, built with the same functions
as the state document (emergency.dashboard.selectors), so a frame's entry and the state's entry
for the same object are the same: an incident's row, the clocks of one subject (replaced as a
group), a warning with its resources on standby. `None` for an entry means it leaves the dashboard.

Each describer takes every id of one kind the relay's batch names and reads them in a fixed
number of queries: a relay that fell behind catches up in a few batches, not one subject at a time."""
from __future__ import annotations

from typing import Any

from django.utils import timezone

from emergency import live

from . import selectors


def _grouped(rows: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    groups: dict[str, list[dict[str, Any]]] = {}
    for row in sorted(rows, key=lambda row: row["due_at"]):
        groups.setdefault(row["group"], []).append(row)
    return groups


@live.describer("incident")
def incident_apply(ids: list[int]) -> live.Render:
    """Each incident's row (or None once it leaves the dashboard) and all its clocks."""
    from incidents.models import Incident
    from incidents.response.models import Order, Proposal

    incidents = selectors.incident_rows(Incident.objects.filter(selectors.on_dashboard(), pk__in=ids))
    # several units may respond at once: the highest response (the lowest level number) is shown
    responses = selectors.active_responses(incidents) if incidents else {}
    # Orders wait for acknowledgement only in an active response: none to look for without one.
    orders = (Order.objects.filter(response_id__in=[r["id"] for r in responses.values()]) if responses
              else Order.objects.none())
    proposals = Proposal.objects.filter(incident_id__in=incidents) if incidents else Proposal.objects.none()
    raw = selectors.incident_clock_rows(incidents, proposals, orders) if incidents else None

    def render() -> dict[int, dict[str, Any]]:
        clocks = _grouped(selectors.incident_clocks_shown(raw, incidents)) if raw else {}
        english = selectors._english()
        return {pk: {"incidents": {str(pk): selectors._incident(incidents[pk], responses.get(pk), english)
                                   if pk in incidents else None},
                     "clocks": {f"incident:{pk}": clocks.get(f"incident:{pk}", []) if pk in incidents else []}}
                for pk in ids}
    return render


@live.describer("warning")
def warning_apply(ids: list[int]) -> live.Render:
    """Each warning while it is in force, with its resources on standby, else None."""
    from alerts.models import EarlyWarning
    from alerts.selectors import in_force_q
    from resources.frames import standby_rows, standby_shown

    # escalated into a response, a warning stays in force (and on the dashboard) until lifted or expired
    warnings = {w.pk: w for w in EarlyWarning.objects.filter(in_force_q(), pk__in=ids).select_related("unit")}
    rows = standby_rows(ids)

    def render() -> dict[int, dict[str, Any]]:
        standby = standby_shown(rows)
        return {pk: {"warnings": {str(pk): selectors._warning(warnings[pk], standby.get(pk, []))
                                  if pk in warnings else None}} for pk in ids}
    return render


@live.describer("plan")
def plan_apply(ids: list[int]) -> live.Render:
    """Each plan's drill and evaluation clocks as they stand now."""
    from plans.models import Plan

    raw = selectors.plan_clock_rows(Plan.objects.filter(pk__in=ids), timezone.now())

    def render() -> dict[int, dict[str, Any]]:
        clocks = _grouped(selectors.plan_clocks_shown(raw))
        return {pk: {"clocks": {f"plan:{pk}": clocks.get(f"plan:{pk}", [])}} for pk in ids}
    return render
