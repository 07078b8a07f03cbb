"""Who may take each response operation now, and why not: the one place that knows it. The services
call these on the locked rows; the operations call them (as guards) before a page offers a form or
the API takes a request, so a refusal names the real reason wherever it comes from."""
from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from emergency.errors import Conflict, DomainError, NotPermitted, ValidationFailed
from emergency.org.models import OrgUnit, RoleAssignment, User
from emergency.org.roles import Role
from emergency.org.scope import unit_scope
from emergency.org.tree import unit_path
from incidents.models import Incident

from . import authority
from .authority import Holding
from .models import AuthorityRule, Proposal, Response, Transfer

CLOSED = (Incident.Status.ENDED, Incident.Status.REVIEWED)


def invalid(**fields) -> ValidationFailed:
    return ValidationFailed(_("Some fields are missing or invalid."), fields={k: [v] for k, v in fields.items()})


def command_unit_for(incident: Incident, command_unit: OrgUnit | None, rule: AuthorityRule) -> OrgUnit:
    """The commanding unit the level's rule fixes: the organisation itself (customs 3.3.2 "报西安海关党委…
    决定"; city 1.4.2, the city level's response), which a proposer cannot replace by a lower unit; or,
    where the rule allows, the incident's unit or a superior (by default the incident's unit)."""
    path = [pk for pk, _code in unit_path(incident.unit_id)]
    if rule.command_at == AuthorityRule.CommandAt.TOP:
        top = OrgUnit.objects.get(pk=path[0])
        if command_unit is not None and command_unit.pk != top.pk:
            raise invalid(command_unit=_("A %(level)s response is commanded and decided by %(unit)s, not by a "
                                         "lower unit.") % {"level": authority.level_name(rule.level),
                                                           "unit": top.name})
        return top
    if command_unit is None:
        return OrgUnit.objects.get(pk=incident.unit_id)
    if command_unit.pk not in path:
        raise invalid(command_unit=_("The commanding unit must be the incident's unit or one of its superiors."))
    return command_unit


def _rules(incident: Incident) -> list[AuthorityRule]:
    return list(AuthorityRule.objects.filter(organisation_id=authority.organisation_id(incident.unit_id)))


def may_propose(user: User, incident: Incident) -> Holding:
    """The lead department proposes a level (start, raise or lower), one proposal at a time."""
    if incident.status in CLOSED:
        raise Conflict(_("The incident's response has ended."))
    if Proposal.objects.filter(incident=incident, state=Proposal.State.PENDING).exists():
        raise Conflict(_("A proposal for this incident is already waiting for a decision."))
    refusal: DomainError | None = None
    for rule in _rules(incident):
        try:
            return authority.require_proposer(user, rule, incident=incident, command_unit=incident.unit)
        except ValidationFailed:
            raise
        except NotPermitted as refused:
            refusal = refusal or refused
    raise refusal or NotPermitted(_("No authority is configured for this level."))


def may_start_directly(user: User, incident: Incident) -> Holding:
    """Where the rules let a role start a level without a proposal (the customs Party committee, level 1)."""
    if incident.status in CLOSED:
        raise Conflict(_("The incident's response has ended."))
    responding = set(Response.objects.filter(incident=incident, state=Response.State.ACTIVE)
                     .values_list("command_unit_id", flat=True))
    refusal: DomainError | None = None
    for rule in _rules(incident):
        unit = command_unit_for(incident, None, rule)
        if unit.pk in responding:
            refusal = refusal or Conflict(_("A response is already active for this incident."))
            continue
        try:
            return authority.direct_starter(user, rule, incident=incident, command_unit=unit)
        except NotPermitted as refused:
            refusal = refused if rule.direct_start_roles or refusal is None else refusal
    raise refusal or NotPermitted(_("No authority is configured for this level."))


def may_decide(user: User, proposal: Proposal) -> Holding:
    rule = authority.rule_for(incident=proposal.incident, level=proposal.level)
    return authority.require_decider(user, rule, incident=proposal.incident, command_unit=proposal.command_unit,
                                     proposer_id=proposal.proposed_by_id, delegation=True)


def may_end(user: User, response: Response) -> Holding:
    """谁启动、谁终止: only the authority of the response's current level, in its commanding unit."""
    rule = authority.rule_for(incident=response.incident, level=response.level)
    try:
        return authority.require_decider(user, rule, incident=response.incident, command_unit=response.command_unit)
    except NotPermitted as refused:
        raise NotPermitted(_("Whoever starts a response ends it: %(who)s") % {"who": refused.message}) from None


def may_transfer(user: User, response: Response) -> Holding:
    """The authority of the current level, in the commanding unit itself, asks the superior to take command
    (city 3.3.3 "根據事發地黨委、政府的請求"; the superior's own initiative is `may_take_command`). Above the top
    unit, command passes to the body outside the platform the organisation names where its rule says so
    (customs 3.3.3 "指挥权移交至海关总署应急指挥机构"); where it does not (city 3.3.3 "可請求自治區…幫助和指導"),
    the top unit asks for help and guidance instead (`may_request_help`) and keeps command."""
    rule = authority.rule_for(incident=response.incident, level=response.level)
    holding = authority.require_decider(user, rule, incident=response.incident, command_unit=response.command_unit)
    if rule.scope == AuthorityRule.Scope.COMMAND_UNIT and not RoleAssignment.objects.filter(
            user=user, unit=response.command_unit, role__in=rule.decider_roles).exists():
        raise NotPermitted(_("Command passes up at the request of %(unit)s itself; the superior takes it on its own "
                             "initiative only where the organisation's rule allows it.") % {
                                 "unit": response.command_unit.name})
    if response.command_unit.parent_id is None:
        if not response.command_unit.superior_name:
            raise Conflict(_("%(unit)s has no superior on this platform; report to %(superior)s.") % {
                "unit": response.command_unit.name, "superior": _("the superior authority")})
        if rule.above_top == AuthorityRule.AboveTop.HELP:
            raise Conflict(_("Command stays with %(unit)s: ask %(body)s for help and guidance instead.") % {
                "unit": response.command_unit.name, "body": response.command_unit.superior_name})
    _command_can_pass(response)
    return holding


def _command_can_pass(response: Response) -> None:
    if response.external_command:
        raise Conflict(_("Command has already passed to %(body)s.") % {"body": response.external_command})
    if response.transfers.filter(state=Transfer.State.PENDING).exists():
        raise Conflict(_("A transfer of command is already waiting for the superior."))


def may_take_command(user: User, response: Response) -> None:
    """City 3.3.3 "上一級黨委、政府…根據應對工作需要,指揮權可逐級提升至市級組織指揮機構": where the organisation's rule
    allows it, those its rule names (`transfer_acceptor_roles`) in the commanding unit's immediate superior
    (逐級: one level, never above the organisation's top unit) take command on their own initiative."""
    if response.command_unit.parent_id is None:
        raise Conflict(_("%(unit)s is the organisation's top unit: no superior on the platform takes its command.")
                       % {"unit": response.command_unit.name})
    rule = authority.rule_for(incident=response.incident, level=response.level)
    superior = response.command_unit.parent
    if not rule.superior_may_take_command:
        raise NotPermitted(_("In this organisation command passes up only at the request of %(unit)s.")
                           % {"unit": response.command_unit.name})
    roles = rule.transfer_acceptor_roles
    if not roles or not RoleAssignment.objects.filter(user=user, unit=superior, role__in=roles).exists():
        raise NotPermitted(_("Only the %(roles)s of %(unit)s may take command of it, one level at a time.")
                           % {"roles": authority.role_names(roles) if roles else _("(nobody configured)"),
                              "unit": superior.name})
    _command_can_pass(response)


def may_request_help(user: User, response: Response) -> Holding:
    """The authority of the current level in the commanding unit asks the superior for help, command staying: a
    unit with a superior on the platform asks it for support (city 1.4.1 "當突發事件超出屬地黨委、政府的應對能力時,
    由上一級黨委、政府提供支援或負責應對"; customs 3.3.1 (1) "必要时，提出支援需求"); the top unit asks the body outside
    for help and guidance where the organisation's rule says so (city 3.3.3 "必要時,市委、市人民政府可請求自治區黨委、
    自治區人民政府或其部門幫助和指導")."""
    unit = response.command_unit
    rule = authority.rule_for(incident=response.incident, level=response.level)
    if unit.parent_id is not None:  # support from the unit above (city 1.4.1 "提供支援"), command staying
        return authority.require_decider(user, rule, incident=response.incident, command_unit=unit)
    if not unit.superior_name:
        raise Conflict(_("%(unit)s has no superior on this platform; report to %(superior)s.") % {
            "unit": unit.name, "superior": _("the superior authority")})
    if rule.above_top != AuthorityRule.AboveTop.HELP:
        raise Conflict(_("Above %(unit)s, command passes to %(body)s: request the transfer.") % {
            "unit": unit.name, "body": unit.superior_name})
    return authority.require_decider(user, rule, incident=response.incident, command_unit=unit)


def may_accept_transfer(user: User, transfer: Transfer) -> None:
    """Those the organisation's rule names (`AuthorityRule.transfer_acceptor_roles`) in the superior unit take
    command (or decline) of a transfer someone requested; a transfer above the top unit is accepted outside."""
    if transfer.to_unit_id is None:
        raise Conflict(_("%(body)s is outside the platform: record who accepted there.") % {"body": transfer.to_body})
    rule = authority.rule_for(incident=transfer.response.incident, level=transfer.response.level)
    roles = rule.transfer_acceptor_roles
    if transfer.requested_by_id == user.pk or not any(
            unit_scope(user).has_role(role, transfer.to_unit_id) for role in roles):
        raise NotPermitted(_("Only the %(roles)s of %(unit)s may take over command.")
                           % {"roles": authority.role_names(roles) if roles else _("(nobody configured)"),
                              "unit": transfer.to_unit.name})


def may_record_outside(user: User, transfer: Transfer) -> None:
    """Command passed above the top unit: the requesting authority records who accepted outside."""
    if transfer.to_unit_id is not None:
        raise Conflict(_("The superior takes over command on the platform."))
    may_end(user, transfer.response)


def may_answer_help(user: User, request) -> None:
    """A person of the unit asked answers (city 1.4.1 "由上一級黨委、政府提供支援"); the answer of a body outside the
    platform (city 3.3.3 "請求自治區…幫助和指導") is recorded by the asking unit's duty room, or by whoever asked."""
    if request.to_unit_id is not None:
        if request.to_unit_id not in unit_scope(user).units_with(*Role.values):
            raise NotPermitted(_("Only the people of %(unit)s answer its request for help.")
                               % {"unit": request.to_unit.name})
        return
    if request.requested_by_id != user.pk and not unit_scope(user).has_role(Role.DUTY_OFFICER, request.from_unit_id):
        raise NotPermitted(_("Only the duty room of %(unit)s or who asked may record the answer of %(body)s.")
                           % {"unit": request.from_unit.name, "body": request.to_body})


def may_keep_key_periods(user: User, organisation: OrgUnit | None = None) -> None:
    scope = unit_scope(user)
    units = [organisation.pk] if organisation is not None else list(scope.units_with(Role.PLAN_ADMIN, Role.SYSTEM_ADMIN))
    if not any(scope.has_role(Role.PLAN_ADMIN, pk) or scope.has_role(Role.SYSTEM_ADMIN, pk) for pk in units):
        raise NotPermitted(_("You do not have permission to perform this action."))
