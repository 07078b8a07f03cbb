"""Object permissions (django-rules). A role in a unit covers the unit's descendants.

Objects expose `scope_unit_id`; for creation the object checked is the unit it goes into.
"""
import rules

from .roles import Role
from .scope import unit_scope


def _holds(*roles: str):
    @rules.predicate(name=f"holds_{'_or_'.join(roles)}")
    def predicate(user, obj) -> bool:
        if obj is None:
            return bool(unit_scope(user).units_with(*roles))
        return any(unit_scope(user).has_role(role, obj.scope_unit_id) for role in roles)

    return predicate


is_system_admin = _holds(Role.SYSTEM_ADMIN)
is_plan_or_system_admin = _holds(Role.PLAN_ADMIN, Role.SYSTEM_ADMIN)
is_auditor = _holds(Role.SYSTEM_ADMIN, Role.PRINCIPAL)

rules.add_perm("org.add_orgunit", is_system_admin)
rules.add_perm("org.change_orgunit", is_system_admin)
rules.add_perm("org.add_department", is_plan_or_system_admin)
rules.add_perm("org.change_department", is_plan_or_system_admin)
rules.add_perm("org.add_expert", is_plan_or_system_admin)
rules.add_perm("org.change_expert", is_plan_or_system_admin)
rules.add_perm("org.delete_expert", is_plan_or_system_admin)
rules.add_perm("org.manage_roles", is_system_admin)
rules.add_perm("audit.view_auditentry", is_auditor)
