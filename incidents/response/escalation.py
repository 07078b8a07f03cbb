"""Command raised by the superior on its own initiative, and help asked of the superior (city 1.4.1, 3.3.3
"上一級黨委、政府根據事發地黨委、政府的請求或根據應對工作需要,指揮權可逐級提升至市級組織指揮機構。必要時,市委、
市人民政府可請求自治區黨委、自治區人民政府或其部門幫助和指導"). Which of these an organisation allows is its
`AuthorityRule` data (`superior_may_take_command`, `above_top`); the requests themselves are `services`."""
from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from emergency import live
from emergency.audit.services import audit_record
from emergency.errors import NotFound
from emergency.org.models import User
from emergency.org.scope import unit_scope
from incidents import recipients

from . import lifecycles, rights
from .help_models import HelpAnswer, HelpRequest
from .models import Response, Transfer
from .rights import invalid
from .services import pass_command


def _locked(response: Response, actor: User) -> Response:
    response = (Response.objects.select_for_update(of=("self", "incident"))
                .select_related("incident", "command_unit", "command_unit__parent").get(pk=response.pk))
    if not unit_scope(actor).can_see(response.incident.unit_id):
        raise NotFound(_("Not found."))
    return response


@transaction.atomic
def transfer_take(*, actor: User, response: Response, reason: str) -> Transfer:
    """The immediate superior's authority takes command of the response as the response requires (根據應對工作
    需要), without a request: recorded as a transfer taken on the superior's initiative, accepted at once."""
    response = _locked(response, actor)
    lifecycles.RESPONSE.require("take-command", response)
    rights.may_take_command(actor, response)
    if not reason.strip():
        raise invalid(reason=_("Say why the response requires the superior to take command."))
    superior, now = response.command_unit.parent, timezone.now()
    transfer = Transfer.objects.create(
        response=response, from_unit=response.command_unit, to_unit=superior, reason=reason.strip(),
        initiative=Transfer.Initiative.SUPERIOR, requested_by=actor, requested_at=now,
        state=Transfer.State.ACCEPTED, decided_by=actor, decided_at=now)
    pass_command(response, superior)
    incident = response.incident
    audit_record(actor=actor, unit_id=incident.unit_id, action="response.transfer.take", target=transfer,
                 after={"from": transfer.from_unit_id, "to": superior.pk, "initiative": transfer.initiative,
                        "reason": transfer.reason, "command_unit": response.command_unit_id})
    live.publish(event="response.transfer", unit_id=incident.unit_id,
                 data={"response": response.pk, "transfer": transfer.pk, "state": transfer.state},
                 about=("incident", incident.pk))
    return transfer


@transaction.atomic
def help_request(*, actor: User, response: Response, asked: str) -> HelpRequest:
    """The top unit asks the body outside the platform for help and guidance; command stays with it."""
    response = _locked(response, actor)
    lifecycles.RESPONSE.require("request-help", response)
    rights.may_request_help(actor, response)
    if not asked.strip():
        raise invalid(asked=_("Say what help and guidance is asked."))
    unit, superior = response.command_unit, response.command_unit.parent
    request = HelpRequest.objects.create(response=response, from_unit=unit, to_unit=superior,
                                         to_body=superior.name if superior else unit.superior_name,
                                         asked=asked.strip(), requested_by=actor, requested_at=timezone.now())
    incident = response.incident
    if superior is not None:  # its duty room is told; the answer is entered there
        recipients.notify_duty_officers(unit_id=superior.pk, incident=incident, source=f"help-request:{request.pk}",
                                        title=_("%(unit)s asks for help: %(title)s") % {"unit": unit.name,
                                                                                       "title": incident.title})
    audit_record(actor=actor, unit_id=incident.unit_id, action="response.help.request", target=request,
                 after={"from": unit.pk, "to_unit": request.to_unit_id, "to_body": request.to_body, "asked": request.asked,
                        "command_unit": response.command_unit_id})
    live.publish(event="response.help", unit_id=incident.unit_id,
                 data={"response": response.pk, "help_request": request.pk},
                 about=("incident", incident.pk))
    return request


@transaction.atomic
def help_answer(*, actor: User, help_request: HelpRequest, outcome: str, content: str, answered_by: str,
                answered_at: datetime | None = None) -> HelpAnswer:
    """Record what the body asked answered: guidance given, help sent, or declined with the reason. Append-only;
    a later answer (help after guidance, a correction) is another row. Allowed after the response has ended."""
    help_request = (HelpRequest.objects.select_for_update(of=("self",))
                    .select_related("from_unit", "to_unit", "response__incident").get(pk=help_request.pk))
    if not unit_scope(actor).can_see(help_request.response.incident.unit_id):
        raise NotFound(_("Not found."))
    rights.may_answer_help(actor, help_request)
    now = timezone.now()
    answered_at = answered_at or now
    if outcome not in HelpAnswer.Outcome.values:
        raise invalid(outcome=_("Choose what %(body)s answered.") % {"body": help_request.to_body})
    if not content.strip():
        raise invalid(content=_("Give the reason it was declined.") if outcome == HelpAnswer.Outcome.DECLINED
                      else _("Say what guidance was given or what help was sent."))
    if not answered_by.strip() and help_request.to_unit_id is not None:  # entered by a person of the unit asked
        answered_by = f"{actor.get_full_name() or actor.username}（{help_request.to_unit.name}）"
    if not answered_by.strip():
        raise invalid(answered_by=_("Name who answered at %(body)s.") % {"body": help_request.to_body})
    if answered_at > now:
        raise invalid(answered_at=_("The answer cannot come later than now."))
    if answered_at < help_request.requested_at:
        raise invalid(answered_at=_("The answer cannot come before the request."))
    answer = HelpAnswer.objects.create(help_request=help_request, outcome=outcome, content=content.strip(),
                                       answered_by=answered_by.strip(), answered_at=answered_at, recorded_by=actor,
                                       recorded_at=now)
    incident = help_request.response.incident
    audit_record(actor=actor, unit_id=incident.unit_id, action="response.help.answer", target=answer,
                 after={"help_request": help_request.pk, "outcome": outcome, "content": answer.content,
                        "answered_by": answer.answered_by, "answered_at": answered_at.isoformat()})
    live.publish(event="response.help", unit_id=incident.unit_id,
                 data={"response": help_request.response_id, "help_request": help_request.pk, "answer": answer.pk},
                 about=("incident", incident.pk))
    return answer
