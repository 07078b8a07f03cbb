"""Reads of responses and proposals, limited to the user's units; the inbox holds the pending
proposals this user may decide, found with a fixed number of queries."""
from __future__ import annotations

from django.db.models import Prefetch, Q, QuerySet

from emergency.org.models import OrgUnit, RoleAssignment, User
from emergency.org.roles import DEPARTMENT_ROLES, Role
from emergency.org.scope import unit_scope
from emergency.org.selectors import organisation_ids
from emergency.org.tree import top_id

from .help_models import HelpRequest
from .models import (AuthorityRule, CommandPost, Decision, KeyPeriod, Order, Proposal, Response, ResponseMeasure,
                     Transfer, WorkingGroup)


def response_list(*, user: User) -> QuerySet[Response]:
    return (Response.objects.filter(incident__unit_id__in=unit_scope(user).visible)
            .select_related("incident", "incident__unit", "command_unit", "started_by"))


def proposal_list(*, user: User) -> QuerySet[Proposal]:
    return (Proposal.objects.filter(incident__unit_id__in=unit_scope(user).visible)
            .select_related("incident", "incident__unit", "incident__lead_department", "command_unit",
                            "proposed_by", "decision", "decision__decided_by"))


def response_detail(*, user: User, pk: int) -> Response | None:
    proposals = Proposal.objects.select_related("proposed_by", "command_unit", "decision", "decision__decided_by")
    return (response_list(user=user).filter(pk=pk)
            .prefetch_related(Prefetch("proposals", queryset=proposals),
                              Prefetch("transfers", queryset=Transfer.objects.select_related(
                                  "from_unit", "to_unit", "requested_by", "decided_by")),
                              Prefetch("help_requests", queryset=HelpRequest.objects.select_related(
                                  "from_unit", "to_unit", "requested_by").prefetch_related("answers__recorded_by")))
            .select_related("ended_by", "incident__lead_department", "incident__incident_type__category",
                            "drawn_into__command_unit").first())


def help_request_list(*, user: User) -> QuerySet[HelpRequest]:
    """The requests for help and guidance of the responses in the user's units, with their answers."""
    return (HelpRequest.objects.filter(response__incident__unit_id__in=unit_scope(user).visible)
            .select_related("from_unit", "to_unit", "requested_by").prefetch_related("answers")
            .order_by("-requested_at", "-id"))


def _roots(unit_ids: set[int]) -> dict[int, int]:
    return {unit.pk: unit.tree_path[0] for unit in OrgUnit.objects.with_tree_fields().filter(pk__in=unit_ids)}


def inbox(*, user: User) -> list[Proposal]:
    """Pending proposals in the user's units that the user's roles let them decide."""
    pending = list(proposal_list(user=user).filter(state=Proposal.State.PENDING).order_by("proposed_at")
                   .prefetch_related("incident__deadlines"))
    if not pending:
        return []
    roots = _roots({p.incident.unit_id for p in pending})
    rules = {(r.organisation_id, r.level): r for r in AuthorityRule.objects.filter(organisation_id__in=set(roots.values()))}
    scope = unit_scope(user)
    departments = {(a.role, a.department_id) for a in RoleAssignment.objects.filter(user=user, role__in=DEPARTMENT_ROLES)}
    granted = delegated_levels(user=user)
    mine = []
    for proposal in pending:
        rule = rules.get((roots[proposal.incident.unit_id], proposal.level))
        if rule is None:
            continue
        if rule.scope == AuthorityRule.Scope.LEAD_DEPARTMENT:
            may = any((role, proposal.incident.lead_department_id) in departments for role in rule.decider_roles)
        else:
            may = proposal.proposed_by_id != user.pk and (any(
                scope.has_role(role, proposal.command_unit_id) for role in rule.decider_roles
                if role not in DEPARTMENT_ROLES) or (proposal.command_unit_id, proposal.level) in granted)
        if may:
            proposal.rule = rule
            mine.append(proposal)
    return mine


def delegated_levels(*, user: User) -> set[tuple[int, int]]:
    """(unit, level) pairs the user decides by a grant in force (city 1.4.2 "或其授权的领导同志")."""
    from django.utils import timezone

    from .delegation_models import DelegationGrant

    now = timezone.now()
    return set(DelegationGrant.objects.filter(grantee=user, withdrawn_at__isnull=True, granted_at__lte=now,
                                              ends_at__gt=now).values_list("unit_id", "level"))


def decisions_of(response: Response) -> list[Decision]:
    return [p.decision for p in response.proposals.all() if hasattr(p, "decision")]


def groups_of(*, user: User) -> QuerySet[WorkingGroup]:
    """The working groups of the responses in the user's units."""
    return (WorkingGroup.objects.filter(post__response__incident__unit_id__in=unit_scope(user).visible)
            .select_related("lead_department"))


def key_period_organisations(*, user: User) -> QuerySet[OrgUnit]:
    """The organisations whose calendar of key periods the user keeps (their plan or system administrator)."""
    return OrgUnit.objects.filter(parent__isnull=True, pk__in=unit_scope(user).units_with(
        Role.PLAN_ADMIN, Role.SYSTEM_ADMIN))


def key_period_list(*, user: User) -> QuerySet[KeyPeriod]:
    """The key periods of the user's organisations (and of any unit they see)."""
    return KeyPeriod.objects.filter(Q(organisation_id__in=organisation_ids(user=user))
                                    | Q(organisation_id__in=unit_scope(user).visible)).select_related("organisation")


def transfer_list(*, user: User) -> QuerySet[Transfer]:
    return Transfer.objects.filter(response__incident__unit_id__in=unit_scope(user).visible).select_related(
        "response", "response__incident", "to_unit", "from_unit")


def order_list(*, user: User) -> QuerySet[Order]:
    """Orders of the responses in the user's units, and those given to the user's departments."""
    departments = RoleAssignment.objects.filter(user=user, department__isnull=False).values("department_id")
    return (Order.objects.filter(Q(response__incident__unit_id__in=unit_scope(user).visible)
                                 | Q(department_id__in=departments))
            .select_related("response", "response__incident", "response__command_unit", "department", "group"))


def measure_list(*, user: User) -> QuerySet[ResponseMeasure]:
    """Response measures of the responses in the user's units, and those assigned to the user's departments."""
    departments = RoleAssignment.objects.filter(user=user, department__isnull=False).values("department_id")
    return (ResponseMeasure.objects.filter(Q(response__incident__unit_id__in=unit_scope(user).visible)
                                           | Q(department_id__in=departments))
            .select_related("response", "response__incident", "response__command_unit", "department"))


def command_post_list(*, user: User) -> QuerySet[CommandPost]:
    return CommandPost.objects.filter(response__incident__unit_id__in=unit_scope(user).visible)


def order_acknowledge_default(response: Response) -> int:
    """Minutes: the organisation's setting for orders of a response of this level (10 where the
    organisation has no rule for the level, as the field's default)."""
    if not hasattr(response, "_order_acknowledge_minutes"):  # once per page (the form and the order list)
        rule = AuthorityRule.objects.filter(organisation_id=top_id(response.command_unit_id),
                                            level=response.level).first()
        response._order_acknowledge_minutes = rule.order_acknowledge_minutes if rule else 10
    return response._order_acknowledge_minutes
