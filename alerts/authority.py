"""Who may do what with a warning: one place knows the rule, the services enforce it and the
operations' guards ask it (so a refusal names the real reason).

Who issues, adjusts and lifts a warning of each level is data per organisation (WarningAuthority):
the city plan 3.2.2 2) names "各级政府或有关部门" (governments and the departments concerned); the
customs plan 3.2 leaves the warning levels and their issuers to the special and departmental plans,
so customs' rule is the district's own setting. Without a rule, the unit's principal or commander."""
from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from emergency.errors import NotPermitted
from emergency.org.models import User
from emergency.org.roles import Role
from emergency.org.scope import unit_scope
from emergency.org.tree import top_id

from .models import EarlyWarning, WarningAuthority

DEFAULT_ROLES = [Role.PRINCIPAL, Role.COMMANDER]
# Anyone on duty in the unit records the signs as a draft.
DRAFT_ROLES = (Role.DUTY_OFFICER, Role.LEAD_OFFICER, Role.COMMANDER, Role.PRINCIPAL, Role.DEPARTMENT_PRINCIPAL)


def colour_name(level: int) -> str:
    return str({1: _("red"), 2: _("orange"), 3: _("yellow"), 4: _("blue")}[level])


def issuer_roles(unit_id: int, level: int) -> list[str]:
    rule = WarningAuthority.objects.filter(organisation_id=top_id(unit_id), level=level).first()
    return rule.roles if rule else list(DEFAULT_ROLES)


def require_authority(actor: User, warning: EarlyWarning, level: int) -> str:
    """The role the actor issues, adjusts or lifts a warning of `level` as; else NotPermitted naming who may."""
    roles = issuer_roles(warning.unit_id, level)
    for role in roles:
        if unit_scope(actor).has_role(role, warning.unit_id):
            return str(Role(role).label)
    raise NotPermitted(_("A %(colour)s warning of %(unit)s is issued, adjusted and lifted by the %(roles)s.") % {
        "colour": colour_name(level), "unit": warning.unit.display_name,
        "roles": " / ".join(str(Role(r).label) for r in roles)})


def require_drafter(actor: User, unit_id: int | None = None) -> None:
    """Anyone on duty may draft: in `unit_id`, or (None) in some unit."""
    scope = unit_scope(actor)
    allowed = (any(scope.has_role(r, unit_id) for r in DRAFT_ROLES) if unit_id is not None
               else bool(scope.units_with(*DRAFT_ROLES)))
    if not allowed:
        raise NotPermitted(_("Warnings are drafted by the duty officers, lead officers, commanders and "
                             "principals of the unit."))


ESCALATING_ROLES = (Role.LEAD_OFFICER, Role.DEPARTMENT_PRINCIPAL)


def require_escalator(actor: User, warning: EarlyWarning) -> None:
    """Escalating logs the incident and proposes the response (customs 3.2 (4), city 3.2.2: "突发事件已经
    发生…立即启动应急响应"): the authority of the warning's level, or the lead department's officers,
    who propose the level. Whether this actor may propose for the chosen lead department is the
    response's own rule, checked when the proposal is made."""
    scope = unit_scope(actor)
    if any(scope.has_role(role, warning.unit_id) for role in ESCALATING_ROLES):
        return
    try:
        require_authority(actor, warning, warning.level)
    except NotPermitted:
        raise NotPermitted(_("A warning is escalated by the authority of its level or by the lead department's "
                             "officers.")) from None
