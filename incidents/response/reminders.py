"""A proposal not decided in time reminds everyone who could decide it (Celery, via timed duties)."""
from django.urls import reverse
from django.utils.translation import gettext as _

from emergency import live
from emergency.notify.services import notification_send
from emergency.timers.models import TimedDuty
from emergency.timers.registry import handler

from . import authority
from .models import Proposal
from .services import REMIND


@handler(REMIND)
def remind_deciders(duty: TimedDuty) -> None:
    proposal = (Proposal.objects.select_for_update(of=("self",)).select_related("incident", "command_unit",
                                                                                 "incident__lead_department")
                .filter(pk=duty.subject_id).first())
    if proposal is None or proposal.state != Proposal.State.PENDING:
        return
    incident = proposal.incident
    rule = authority.rule_for(incident=incident, level=proposal.level)
    users = authority.decider_ids(rule, incident=incident, command_unit=proposal.command_unit)
    users.discard(proposal.proposed_by_id if rule.scope != rule.Scope.LEAD_DEPARTMENT else None)
    notification_send(
        recipient_ids=users, kind=REMIND, unit_id=incident.unit_id, source_key=f"timers.timedduty:{duty.pk}",
        title=_("Waiting for your decision: level %(level)s response for %(title)s") % {
            "level": proposal.level, "title": incident.title},
        link=reverse("response-inbox"),
    )
    live.publish(event="response.proposal.waiting", unit_id=incident.unit_id, about=("incident", incident.pk),
                 data={"proposal": proposal.pk, "incident": incident.pk, "level": proposal.level})
