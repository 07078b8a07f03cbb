"""Every change to a response: propose a level, decide it (approve, reject, approve another
level), start directly, raise or lower through the same path, transfer command, end it.

Authority comes from the organisation's rules (authority.py). Each service locks what it
changes, appends its audit entry, and leaves live events and reminders to after commit.
"""
from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from emergency import live
from emergency.audit.services import audit_record, snapshot
from emergency.errors import Conflict, NotFound
from emergency.org.models import OrgUnit, User
from emergency.org.scope import unit_scope
from emergency.org.tree import ancestor_ids
from emergency.timers.services import duties_cancel, duty_schedule
from incidents.models import Incident

from . import authority, command, lifecycles, rights
from .models import AuthorityRule, Decision, Proposal, Response, Transfer
from .notices import proposal_notify
from .rights import command_unit_for as _command_unit
from .rights import invalid as _invalid
from .suggest import CONTEXT_FLAGS, suggest_level

REMIND = "response.proposal.remind"
PROPOSAL_FIELDS = ("incident", "kind", "level", "command_unit", "reasons", "suggested_level", "direct")


def _level(level: Any) -> int:
    try:
        value = int(level)
    except (TypeError, ValueError):
        value = 0
    if value not in (1, 2, 3, 4):
        raise _invalid(level=_("Choose a level from 1 to 4."))
    return value


def _locked_incident(incident: Incident) -> Incident:
    return (Incident.objects.select_for_update(of=("self",)).select_related("unit", "lead_department")
            .get(pk=incident.pk))


def _active_response(incident: Incident, command_unit: OrgUnit | None = None) -> Response | None:
    """The incident's active response commanded by `command_unit` (any, lowest unit first, without one)."""
    active = Response.objects.select_for_update().filter(incident=incident, state=Response.State.ACTIVE)
    if command_unit is not None:
        return active.filter(command_unit=command_unit).first()
    return active.order_by("-level", "id").first()


def _draw_in(response: Response) -> None:
    """The lower responses of the incident are drawn into the higher (纳入): the new one into an active
    response of a superior unit, the active ones of its subordinate units into the new one."""
    others = list(Response.objects.select_for_update().filter(incident_id=response.incident_id,
                                                              state=Response.State.ACTIVE).exclude(pk=response.pk))
    above = set(ancestor_ids(response.command_unit_id)) - {response.command_unit_id}
    higher = [r for r in others if r.command_unit_id in above]
    if higher and response.drawn_into_id is None:
        response.drawn_into = max(higher, key=lambda r: len(ancestor_ids(r.command_unit_id)))
        response.save(update_fields=["drawn_into"])
    for lower in others:
        if response.command_unit_id in set(ancestor_ids(lower.command_unit_id)) - {lower.command_unit_id}:
            lower.drawn_into = response
            lower.save(update_fields=["drawn_into"])


def _summary(proposal: Proposal) -> dict[str, Any]:
    return {"proposal": proposal.pk, "incident": proposal.incident_id, "kind": proposal.kind, "level": proposal.level,
            "state": proposal.state}


@transaction.atomic
def proposal_create(*, actor: User, incident: Incident, level: Any, reasons: str,
                    command_unit: OrgUnit | None = None, context: dict[str, Any] | None = None,
                    attachments: list[dict[str, str]] | None = None) -> Proposal:
    """The lead department proposes starting, raising or lowering the response."""
    incident = _locked_incident(incident)
    if not unit_scope(actor).can_see(incident.unit_id):
        raise NotFound(_("Not found."))
    level = _level(level)
    if not str(reasons or "").strip():
        raise _invalid(reasons=_("Give the reasons for the proposed level."))
    if incident.status == Incident.Status.CLOSED:
        raise Conflict(_("The report was closed as no incident."))
    rights.may_propose(actor, incident)
    lowest = _active_response(incident)
    rule = authority.rule_for(incident=incident, level=level)
    if lowest is not None and command_unit is None and rule.command_at != AuthorityRule.CommandAt.TOP:
        command_unit = lowest.command_unit
    command_unit = _command_unit(incident, command_unit, rule)
    # A level commanded by a unit that has no response yet starts one there (the city's beside the
    # county's); otherwise it raises or lowers that unit's response.
    response = _active_response(incident, command_unit)
    if response is not None:
        if level == response.level and command_unit.pk == response.command_unit_id:
            raise Conflict(_("The response is already at level %(level)s.") % {"level": level})
        kind = Proposal.Kind.RAISE if level < response.level else Proposal.Kind.LOWER
    else:
        kind = Proposal.Kind.START
    authority.require_proposer(actor, rule, incident=incident, command_unit=command_unit)
    context = {key: bool((context or {}).get(key)) for key in CONTEXT_FLAGS}
    suggestion = suggest_level(incident=incident, context=context)
    proposal = Proposal.objects.create(
        incident=incident, response=response, kind=kind, level=level, command_unit=command_unit,
        reasons=reasons.strip(), attachments=_clean_attachments(attachments), context=context,
        suggested_level=suggestion.level, suggestion=suggestion.reasons, proposed_by=actor,
        proposed_at=timezone.now(),
    )
    duty_schedule(kind=REMIND, subject=proposal, unit_id=incident.unit_id,
                  due_at=proposal.proposed_at + timedelta(seconds=rule.remind_after_seconds))
    audit_record(actor=actor, unit_id=incident.unit_id, action="response.propose", target=proposal,
                 after=snapshot(proposal, PROPOSAL_FIELDS))
    proposal_notify(proposal)
    live.publish(event="response.proposed", unit_id=incident.unit_id, data=_summary(proposal),
                 about=("incident", incident.pk))
    return proposal


def _clean_attachments(attachments: list[dict[str, str]] | None) -> list[dict[str, str]]:
    cleaned = []
    for item in attachments or []:
        if not isinstance(item, dict) or not str(item.get("name", "")).strip():
            raise _invalid(attachments=_("Each attachment needs a name (and a link)."))
        cleaned.append({"name": str(item["name"])[:200], "url": str(item.get("url", ""))[:500]})
    return cleaned


@transaction.atomic
def proposal_decide(*, actor: User, proposal: Proposal, outcome: str, level: Any = None,
                    reason: str = "") -> Decision:
    """Approve, reject (with a reason), or approve another level. Two deciders at once: the
    second finds the proposal decided and gets a conflict."""
    proposal = (Proposal.objects.select_for_update(of=("self", "incident")).select_related("incident", "command_unit")
                .get(pk=proposal.pk))
    incident = _locked_incident(proposal.incident)
    if not unit_scope(actor).can_see(incident.unit_id):
        raise NotFound(_("Not found."))
    lifecycles.PROPOSAL.require("decide", proposal)
    if outcome not in Decision.Outcome.values:
        raise _invalid(outcome=_("Choose approve, reject or approve another level."))
    final_level = proposal.level
    if outcome == Decision.Outcome.REJECTED:
        if not reason.strip():
            raise _invalid(reason=_("Give the reason for rejecting."))
    elif outcome == Decision.Outcome.APPROVED_OTHER:
        final_level = _level(level)
        if final_level == proposal.level:
            raise _invalid(level=_("Choose a level other than the proposed one."))
    holding = rights.may_decide(actor, proposal)
    if final_level != proposal.level:
        other = authority.rule_for(incident=incident, level=final_level)
        holding = authority.require_decider(actor, other, incident=incident, command_unit=proposal.command_unit,
                                            proposer_id=proposal.proposed_by_id, delegation=True)
    return _record_decision(actor=actor, proposal=proposal, incident=incident, outcome=outcome, level=final_level,
                            reason=reason, holding=str(holding), delegation_id=holding.grant_id,
                            delegated_by=holding.delegated_by)


def _record_decision(*, actor: User, proposal: Proposal, incident: Incident, outcome: str, level: int,
                     reason: str, holding: str, delegation_id: int | None = None,
                     delegated_by: str = "") -> Decision:
    now = timezone.now()
    response = _active_response(incident, proposal.command_unit)
    if outcome == Decision.Outcome.REJECTED:
        proposal.state = Proposal.State.REJECTED
    else:
        proposal.state = Proposal.State.APPROVED
        if response is None:
            response = Response.objects.create(incident=incident, command_unit=proposal.command_unit, level=level,
                                               started_at=now, started_by=actor)
            _draw_in(response)
            if incident.status == Incident.Status.REPORTED:
                incident.status = Incident.Status.RESPONDING
                incident.save(update_fields=["status", "updated_at"])
        else:
            before = {"level": response.level, "command_unit": response.command_unit_id}
            response.level = level
            response.save(update_fields=["level"])
            audit_record(actor=actor, unit_id=incident.unit_id, action="response.adjust", target=response,
                         before=before, after={"level": level, "command_unit": proposal.command_unit_id})
    if response is not None and proposal.response_id is None and outcome != Decision.Outcome.REJECTED:
        proposal.response = response
    proposal.save(update_fields=["state", "response"])
    decision = Decision.objects.create(
        proposal=proposal, response=response if outcome != Decision.Outcome.REJECTED else None, outcome=outcome,
        level=None if outcome == Decision.Outcome.REJECTED else level, reason=reason.strip(), authority=holding,
        decided_by=actor, decided_at=now, delegation_id=delegation_id)
    duties_cancel(subject=proposal)
    audit_record(actor=actor, unit_id=incident.unit_id, action="response.decide", target=decision,
                 after={"proposal": proposal.pk, "outcome": outcome, "level": decision.level, "as": holding,
                        **({"by_delegation_of": delegated_by, "delegation": delegation_id} if delegation_id else {})})
    live.publish(event="response.decided", unit_id=incident.unit_id,
                 data={**_summary(proposal), "outcome": outcome, "response": response.pk if response else None,
                       "response_level": response.level if response else None}, about=("incident", incident.pk))
    return decision


@transaction.atomic
def response_start_direct(*, actor: User, incident: Incident, level: Any, reason: str,
                          command_unit: OrgUnit | None = None) -> Response:
    """Start a response without a proposal, where the rules allow it (the customs Party
    committee may start level 1 directly). Recorded as a proposal decided by the starter."""
    incident = _locked_incident(incident)
    if not unit_scope(actor).can_see(incident.unit_id):
        raise NotFound(_("Not found."))
    level = _level(level)
    if not reason.strip():
        raise _invalid(reason=_("Give the reason for starting the response."))
    rights.may_start_directly(actor, incident)
    rule = authority.rule_for(incident=incident, level=level)
    command_unit = _command_unit(incident, command_unit, rule)
    holding = authority.direct_starter(actor, rule, incident=incident, command_unit=command_unit)
    Proposal.objects.filter(incident=incident, state=Proposal.State.PENDING).update(state=Proposal.State.WITHDRAWN)
    suggestion = suggest_level(incident=incident)
    proposal = Proposal.objects.create(
        incident=incident, kind=Proposal.Kind.START, level=level, command_unit=command_unit, reasons=reason.strip(),
        suggested_level=suggestion.level, suggestion=suggestion.reasons, direct=True, proposed_by=actor,
        proposed_at=timezone.now())
    decision = _record_decision(actor=actor, proposal=proposal, incident=incident, outcome=Decision.Outcome.APPROVED,
                                level=level, reason=reason, holding=str(holding))
    return decision.response


@transaction.atomic
def response_end(*, actor: User, response: Response, reason: str) -> Response:
    """谁启动、谁终止: only the authority of the response's current level, in its commanding
    unit, may end it. Ending stops the response's timers and ends the incident's response phase."""
    response = (Response.objects.select_for_update(of=("self", "incident")).select_related("incident", "command_unit")
                .get(pk=response.pk))
    incident = _locked_incident(response.incident)
    if not unit_scope(actor).can_see(incident.unit_id):
        raise NotFound(_("Not found."))
    lifecycles.RESPONSE.require("end", response)
    if not reason.strip():
        raise _invalid(reason=_("Give the reason for ending the response."))
    holding = rights.may_end(actor, response)
    response.state, response.ended_at, response.ended_by = Response.State.ENDED, timezone.now(), actor
    response.end_reason = reason.strip()
    response.save(update_fields=["state", "ended_at", "ended_by", "end_reason"])
    for proposal in Proposal.objects.filter(response=response, state=Proposal.State.PENDING):
        proposal.state = Proposal.State.WITHDRAWN
        proposal.save(update_fields=["state"])
        duties_cancel(subject=proposal)
    for transfer in response.transfers.filter(state=Transfer.State.PENDING):
        transfer.state = Transfer.State.DECLINED
        transfer.save(update_fields=["state"])
    duties_cancel(subject=response)
    command.close_for(response)
    if not Response.objects.filter(incident=incident, state=Response.State.ACTIVE).exists():
        incident.status = Incident.Status.ENDED  # the last of its responses (a county's may outlast the city's)
        incident.save(update_fields=["status", "updated_at"])
    audit_record(actor=actor, unit_id=incident.unit_id, action="response.end", target=response,
                 after={"level": response.level, "as": str(holding), "reason": response.end_reason})
    live.publish(event="response.ended", unit_id=incident.unit_id,
                 data={"response": response.pk, "incident": incident.pk, "level": response.level},
                 about=("incident", incident.pk))
    return response


@transaction.atomic
def transfer_request(*, actor: User, response: Response, reason: str) -> Transfer:
    """The event exceeds the commanding unit's capacity: ask its superior to take command."""
    response = (Response.objects.select_for_update(of=("self", "incident")).select_related("incident", "command_unit")
                .get(pk=response.pk))
    incident = response.incident
    if not unit_scope(actor).can_see(incident.unit_id):
        raise NotFound(_("Not found."))
    lifecycles.RESPONSE.require("transfer", response)
    rights.may_transfer(actor, response)
    superior = response.command_unit.parent  # None above the top unit: the body the organisation names
    if not reason.strip():
        raise _invalid(reason=_("Say why command should pass to the superior."))
    transfer = Transfer.objects.create(response=response, from_unit=response.command_unit, to_unit=superior,
                                       to_body="" if superior else response.command_unit.superior_name,
                                       reason=reason.strip(), requested_by=actor, requested_at=timezone.now())
    audit_record(actor=actor, unit_id=incident.unit_id, action="response.transfer.request", target=transfer,
                 after={"from": transfer.from_unit_id, "to": superior.pk if superior else None,
                        "to_body": transfer.to_body, "reason": transfer.reason})
    live.publish(event="response.transfer", unit_id=incident.unit_id,
                 data={"response": response.pk, "transfer": transfer.pk, "state": transfer.state},
                 about=("incident", incident.pk))
    return transfer


def pass_command(response: Response, to_unit: OrgUnit) -> None:
    """Command passes to the superior unit; where it already responds, this response is drawn into its own."""
    higher = _active_response(response.incident, to_unit)
    if higher is None:
        response.command_unit = to_unit
        response.save(update_fields=["command_unit"])
    else:
        response.drawn_into = higher
        response.save(update_fields=["drawn_into"])


@transaction.atomic
def transfer_decide(*, actor: User, transfer: Transfer, accept: bool) -> Transfer:
    """The superior's commander or principal accepts (command is theirs from now on) or declines."""
    transfer = (Transfer.objects.select_for_update(of=("self", "response")).select_related(
        "response", "response__incident", "to_unit").get(pk=transfer.pk))
    response = (Response.objects.select_for_update(of=("self", "incident")).select_related("incident")
                .get(pk=transfer.response_id))
    if not unit_scope(actor).can_see(response.incident.unit_id):
        raise NotFound(_("Not found."))
    lifecycles.TRANSFER.require("decide", transfer)
    rights.may_accept_transfer(actor, transfer)
    transfer.state = Transfer.State.ACCEPTED if accept else Transfer.State.DECLINED
    transfer.decided_by, transfer.decided_at = actor, timezone.now()
    transfer.save(update_fields=["state", "decided_by", "decided_at"])
    if accept:
        pass_command(response, transfer.to_unit)
    audit_record(actor=actor, unit_id=response.incident.unit_id, action="response.transfer.decide", target=transfer,
                 after={"state": transfer.state, "command_unit": response.command_unit_id})
    live.publish(event="response.transfer", unit_id=response.incident.unit_id,
                 data={"response": response.pk, "transfer": transfer.pk, "state": transfer.state},
                 about=("incident", response.incident.pk))
    return transfer


@transaction.atomic
def transfer_record_outside(*, actor: User, transfer: Transfer, accepted_by: str) -> Transfer:
    """Command passed above the top unit (customs 3.3.3 "指挥权移交至海关总署应急指挥机构"): the body outside
    accepted it. The response stays on the platform, drawn into that external command."""
    transfer = Transfer.objects.select_for_update(of=("self",)).select_related("response").get(pk=transfer.pk)
    response = (Response.objects.select_for_update(of=("self", "incident")).select_related("incident", "command_unit")
                .get(pk=transfer.response_id))
    if not unit_scope(actor).can_see(response.incident.unit_id):
        raise NotFound(_("Not found."))
    lifecycles.TRANSFER.require("record-outside", transfer)
    rights.may_record_outside(actor, transfer)
    if not accepted_by.strip():
        raise _invalid(accepted_by=_("Name who accepted command at %(body)s.") % {"body": transfer.to_body})
    transfer.state, transfer.accepted_outside_by = Transfer.State.ACCEPTED, accepted_by.strip()
    transfer.decided_by, transfer.decided_at = actor, timezone.now()
    transfer.save(update_fields=["state", "accepted_outside_by", "decided_by", "decided_at"])
    response.external_command = transfer.to_body
    response.save(update_fields=["external_command"])
    audit_record(actor=actor, unit_id=response.incident.unit_id, action="response.transfer.outside", target=transfer,
                 after={"state": transfer.state, "to_body": transfer.to_body, "accepted_by": transfer.accepted_outside_by})
    live.publish(event="response.transfer", unit_id=response.incident.unit_id,
                 data={"response": response.pk, "transfer": transfer.pk, "state": transfer.state},
                 about=("incident", response.incident.pk))
    return transfer


@transaction.atomic
def key_period_add(*, actor: User, organisation: OrgUnit, name: str, starts_at, ends_at):
    """Admins keep the calendar of key periods (major events, important meetings)."""
    from .models import KeyPeriod

    if organisation.parent_id is not None:
        raise _invalid(organisation=_("Key periods belong to a top-level organisation."))
    rights.may_keep_key_periods(actor, organisation)
    if not name.strip():
        raise _invalid(name=_("This field is required."))
    if ends_at <= starts_at:
        raise _invalid(ends_at=_("A key period ends after it starts."))
    period = KeyPeriod.objects.create(organisation=organisation, name=name.strip(), starts_at=starts_at,
                                      ends_at=ends_at)
    audit_record(actor=actor, unit_id=organisation.pk, action="response.key_period.add", target=period,
                 after={"name": period.name, "starts_at": starts_at.isoformat(), "ends_at": ends_at.isoformat()})
    return period
