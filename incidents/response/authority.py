"""Who may propose, decide, start directly and end each response level: the organisation's rules
(rows of AuthorityRule) applied to one user, incident and commanding unit."""
from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from emergency.errors import NotPermitted, ValidationFailed
from emergency.org.models import OrgUnit, RoleAssignment, User
from emergency.org.roles import DEPARTMENT_ROLES, Role
from emergency.org.scope import unit_scope
from emergency.org.tree import top_id, unit_path

from .models import AuthorityRule, Level


organisation_id = top_id  # the organisation whose rules apply to a unit


def rule_for(*, incident, level: int) -> AuthorityRule:
    rule = AuthorityRule.objects.filter(organisation_id=organisation_id(incident.unit_id), level=level).first()
    if rule is None:
        raise ValidationFailed(_("No authority is configured for a %(level)s response in this organisation.")
                               % {"level": level_name(level)}, fields={"level": [_("No authority is configured for this level.")]})
    return rule


def level_name(level: int) -> str:
    return str(Level(level).label)


def role_names(roles: list[str]) -> str:
    return " / ".join(str(Role(role).label) for role in roles)


@dataclass(frozen=True)
class Holding:
    """The authority a user acts with: which role, where."""

    role: str
    place: str
    delegated_by: str = ""  # the grantor, when the authority is held by delegation (city 1.4.2 "或其授权的")
    grant_id: int | None = None

    def __str__(self) -> str:
        held_as = f"{Role(self.role).label}（{self.place}）"
        if self.delegated_by:
            return _("%(role)s, by delegation of %(grantor)s") % {"role": held_as, "grantor": self.delegated_by}
        return held_as


def delegated(user: User, rule: AuthorityRule, *, command_unit: OrgUnit) -> Holding | None:
    """A grant in force to `user` for `rule`'s level in the commanding unit: the only place grants count."""
    from django.utils import timezone

    from .delegation_models import DelegationGrant

    if rule.scope != AuthorityRule.Scope.COMMAND_UNIT:
        return None
    now = timezone.now()
    grant = (DelegationGrant.objects.filter(grantee=user, unit=command_unit, level=rule.level, withdrawn_at__isnull=True,
                                            granted_at__lte=now, ends_at__gt=now)
             .select_related("grantor").order_by("-granted_at").first())
    if grant is None:
        return None
    return Holding(grant.grantor_role, command_unit.name, delegated_by=str(grant.grantor), grant_id=grant.pk)


def held(user: User, roles: list[str], *, scope: str, incident, command_unit: OrgUnit) -> Holding | None:
    if scope == AuthorityRule.Scope.LEAD_DEPARTMENT:
        if incident.lead_department_id is None:
            return None
        assignment = (RoleAssignment.objects.filter(user=user, role__in=roles, department_id=incident.lead_department_id)
                      .select_related("department").first())
        return Holding(assignment.role, assignment.department.name) if assignment else None
    scope_of_user = unit_scope(user)
    for role in roles:
        if role not in DEPARTMENT_ROLES and scope_of_user.has_role(role, command_unit.pk):
            return Holding(role, command_unit.name)
    return None


def where(rule: AuthorityRule, incident, command_unit: OrgUnit) -> str:
    if rule.scope == AuthorityRule.Scope.LEAD_DEPARTMENT:
        return incident.lead_department.name if incident.lead_department_id else _("the lead department")
    return command_unit.name


def require_decider(user: User, rule: AuthorityRule, *, incident, command_unit: OrgUnit,
                    proposer_id: int | None = None, delegation: bool = False) -> Holding:
    """The user's authority to decide `rule`'s level, or NotPermitted saying who decides it. With
    `delegation`, a grant in force counts too (deciding proposals only: not ending nor commanding)."""
    holding = (held(user, rule.decider_roles, scope=rule.scope, incident=incident, command_unit=command_unit)
               or (delegated(user, rule, command_unit=command_unit) if delegation else None))
    if holding is None:
        raise NotPermitted(_("A %(level)s response is decided by the %(roles)s of %(where)s.") % {
            "level": level_name(rule.level), "roles": role_names(rule.decider_roles),
            "where": where(rule, incident, command_unit)})
    if proposer_id == user.pk and rule.scope != AuthorityRule.Scope.LEAD_DEPARTMENT:
        raise NotPermitted(_("Whoever proposed a %(level)s response may not also approve it.")
                           % {"level": level_name(rule.level)})
    return holding


def require_proposer(user: User, rule: AuthorityRule, *, incident, command_unit: OrgUnit) -> Holding:
    if incident.lead_department_id is None:
        raise ValidationFailed(_("Assign the incident's lead department before proposing a response level."),
                               fields={"lead_department": [_("This field is required.")]})
    department_roles = [r for r in rule.proposer_roles if r in DEPARTMENT_ROLES]
    other_roles = [r for r in rule.proposer_roles if r not in DEPARTMENT_ROLES]
    holding = (held(user, department_roles, scope=AuthorityRule.Scope.LEAD_DEPARTMENT, incident=incident,
                    command_unit=command_unit) if department_roles else None)
    if holding is None and other_roles:
        holding = held(user, other_roles, scope=AuthorityRule.Scope.COMMAND_UNIT, incident=incident,
                       command_unit=incident.unit)
    if holding is None:
        raise NotPermitted(_("A %(level)s response is proposed by the %(roles)s of the lead department.")
                           % {"level": level_name(rule.level), "roles": role_names(rule.proposer_roles)})
    return holding


def direct_starter(user: User, rule: AuthorityRule, *, incident, command_unit: OrgUnit) -> Holding:
    holding = (held(user, rule.direct_start_roles, scope=AuthorityRule.Scope.COMMAND_UNIT, incident=incident,
                    command_unit=command_unit) if rule.direct_start_roles else None)
    if holding is None:
        raise NotPermitted(_("Only the %(roles)s may start a %(level)s response directly.")
                           % {"level": level_name(rule.level), "roles": role_names(rule.direct_start_roles)}
                           if rule.direct_start_roles else
                           _("A %(level)s response cannot be started directly; propose it.")
                           % {"level": level_name(rule.level)})
    return holding


def decider_ids(rule: AuthorityRule, *, incident, command_unit: OrgUnit) -> set[int]:
    """Everyone who could decide `rule`'s level: they are reminded of a waiting proposal."""
    assignments = RoleAssignment.objects.filter(role__in=rule.decider_roles)
    if rule.scope == AuthorityRule.Scope.LEAD_DEPARTMENT:
        assignments = assignments.filter(department_id=incident.lead_department_id)
    else:
        assignments = assignments.filter(unit_id__in=[pk for pk, _code in unit_path(command_unit.pk)])
    return set(assignments.values_list("user_id", flat=True))
