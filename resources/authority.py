"""Who may do what with a unit's resources: the organisation's approval rules (rows of
ApprovalRule) applied to one user and the unit that holds the resource."""
from __future__ import annotations

from django.utils.translation import gettext as _

from emergency.errors import NotFound, NotPermitted, ValidationFailed
from emergency.org.models import User
from emergency.org.roles import Role
from emergency.org.scope import unit_scope
from emergency.org.tree import top_id

from .models import ApprovalRule

# Those who manage a unit's inventory and send its resources out: held in the unit or above it.
KEEPERS = (Role.DUTY_OFFICER, Role.COMMANDER, Role.PRINCIPAL, Role.LEADER_IN_CHARGE, Role.SYSTEM_ADMIN)
# Those who ask for resources for an incident, and receive them: the same, in the incident's unit.
REQUESTERS = KEEPERS + (Role.LEAD_OFFICER,)


def role_names(roles) -> str:
    return " / ".join(str(Role(role).label) for role in roles)


def require_visible(user: User, unit_id: int) -> None:
    if not unit_scope(user).can_see(unit_id):
        raise NotFound(_("Not found."))


def keeps(user: User, unit_id: int) -> bool:
    return user.is_superuser or unit_id in unit_scope(user).units_with(*KEEPERS)


def require_keeper(user: User, unit_id: int, *, seen: bool = False) -> None:
    """The user manages the unit's inventory (a keeping role held in it or above it). `seen`: the
    caller has already shown the user may see what is asked about (a request seen from its incident)."""
    if not seen:
        require_visible(user, unit_id)
    if not keeps(user, unit_id):
        raise NotPermitted(_("Only the %(roles)s of the unit that holds the resource may do this.")
                           % {"roles": role_names(KEEPERS)})


def require_requester(user: User, unit_id: int, *, seen: bool = False) -> None:
    """The user acts for the incident's unit (asks for and receives resources)."""
    if not seen:
        require_visible(user, unit_id)
    if not (user.is_superuser or unit_id in unit_scope(user).units_with(*REQUESTERS)):
        raise NotPermitted(_("Only the %(roles)s of the incident's unit may do this.")
                           % {"roles": role_names(REQUESTERS)})


def rule_for(*, holding_unit_id: int, kind: str) -> ApprovalRule:
    rule = ApprovalRule.objects.filter(organisation_id=top_id(holding_unit_id), kind=kind).first()
    if rule is None:
        raise ValidationFailed(_("No approval rule is configured for this kind of resource in this organisation."))
    return rule


def require_approver(user: User, *, holding_unit_id: int, kind: str, requested_by_id: int) -> str:
    """The role with which the user approves a request to `holding_unit_id`, or NotPermitted
    saying who approves it. The caller has shown that the user may see the request."""
    rule = rule_for(holding_unit_id=holding_unit_id, kind=kind)
    scope = unit_scope(user)
    role = next((r for r in rule.approver_roles if scope.has_role(r, holding_unit_id)), None)
    if role is None:
        raise NotPermitted(_("Requests for %(kind)s are approved by the %(roles)s of the unit asked.")
                           % {"kind": ApprovalRule.Kind(kind).label, "roles": role_names(rule.approver_roles)})
    if requested_by_id == user.pk:
        raise NotPermitted(_("Whoever requested a resource may not also approve the request."))
    return str(Role(role).label)
