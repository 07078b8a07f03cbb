"""Who is told that a proposal waits for their decision: everyone who could decide it, in their
inbox, when it is made (`PROPOSED`, under "to act on" until it is decided or withdrawn) and again
when it is not decided in time (the reminder, reminders.py)."""
from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from emergency.notify.services import notification_send

from . import authority
from .models import Proposal
from .templatetags.responses import response_level

PROPOSED = "response.proposal"


def deciders_notify(*, proposal: Proposal, kind: str, source_key: str, title: str) -> int:
    """Notify the proposal's possible deciders (not its proposer, unless the lead department
    decides it itself) once per `source_key`."""
    incident = proposal.incident
    rule = authority.rule_for(incident=incident, level=proposal.level)
    users = authority.decider_ids(rule, incident=incident, command_unit=proposal.command_unit)
    users.discard(proposal.proposed_by_id if rule.scope != rule.Scope.LEAD_DEPARTMENT else None)
    return notification_send(recipient_ids=users, kind=kind, unit_id=incident.unit_id, source_key=source_key,
                             title=title, link=reverse("response-inbox"))


def proposal_notify(proposal: Proposal) -> int:
    return deciders_notify(
        proposal=proposal, kind=PROPOSED, source_key=f"{PROPOSED}:{proposal.pk}",
        title=_("For your decision: %(response)s proposed for %(title)s") % {
            "response": response_level(proposal.level), "title": proposal.incident.title})
