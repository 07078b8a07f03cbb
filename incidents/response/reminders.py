"""A proposal not decided in time reminds everyone who could decide it (Celery, via timed duties)."""
from django.utils.translation import gettext as _

from emergency import live
from emergency.timers.models import TimedDuty
from emergency.timers.registry import handler

from . import authority
from .models import Proposal
from .notices import deciders_notify
from .templatetags.responses import response_level
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
    deciders_notify(proposal=proposal, kind=REMIND, source_key=f"timers.timedduty:{duty.pk}",
                    title=_("Waiting for your decision: %(response)s for %(title)s (reminder after %(minutes)s "
                            "minutes, the organisation's setting)") % {
                        "response": response_level(proposal.level), "title": incident.title,
                        "minutes": rule.remind_after_minutes})
    live.publish(event="response.proposal.waiting", unit_id=incident.unit_id, about=("incident", incident.pk),
                 data={"proposal": proposal.pk, "incident": incident.pk, "level": proposal.level})
