"""What a live frame tells a screen to change in its local model, built with the same functions
as the state document (emergency.dashboard.selectors), so a frame's entry and the state's entry
for the same object are the same: an incident's row, the clocks of one subject (replaced as a
group), a warning. `None` for an entry means it leaves the dashboard."""
from __future__ import annotations

from typing import Any

from django.utils import timezone

from emergency import live

from . import selectors


@live.describer("incident")
def incident_apply(incident_id: int) -> dict[str, Any]:
    """The incident's row (or None once it leaves the dashboard) and all its clocks."""
    from incidents.models import Incident
    from incidents.response.models import Order, Proposal, Response

    incident = (Incident.objects.filter(selectors.on_dashboard(), pk=incident_id)
                .select_related("unit", "incident_type").first())
    entry, rows = None, []
    if incident is not None:
        response = (Response.objects.filter(incident_id=incident_id, state="active").order_by("level")
                    .select_related("started_by", "command_unit").first())
        entry = selectors._incident(incident, response)
        # Orders wait for acknowledgement only in an active response: none to look for without one.
        orders = Order.objects.filter(response=response) if response is not None else Order.objects.none()
        rows = selectors.incident_clocks({incident.pk: incident}, Proposal.objects.filter(incident_id=incident_id),
                                         orders)
        rows.sort(key=lambda row: row["due_at"])
    return {"incidents": {str(incident_id): entry}, "clocks": {f"incident:{incident_id}": rows}}


@live.describer("warning")
def warning_apply(warning_id: int) -> dict[str, Any]:
    """The warning while it is in force, else None."""
    from alerts.models import EarlyWarning

    warning = EarlyWarning.objects.filter(pk=warning_id, state="issued").select_related("unit").first()
    return {"warnings": {str(warning_id): None if warning is None else selectors._warning(warning)}}


@live.describer("plan")
def plan_apply(plan_id: int) -> dict[str, Any]:
    """The plan's drill and evaluation clocks as they stand now."""
    from plans.models import Plan

    rows = selectors.plan_clocks(Plan.objects.filter(pk=plan_id), timezone.now())
    rows.sort(key=lambda row: row["due_at"])
    return {"clocks": {f"plan:{plan_id}": rows}}
