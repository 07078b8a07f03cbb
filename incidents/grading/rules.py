"""Who may maintain the grading tables: plan or system administrators of a top-level unit
(the tables are the platform's standard, shared by every organisation on it)."""
import rules

from emergency.org.models import OrgUnit
from emergency.org.roles import Role
from emergency.org.scope import unit_scope


@rules.predicate
def is_top_level_admin(user) -> bool:
    if not user.is_authenticated:
        return False
    units = unit_scope(user).units_with(Role.PLAN_ADMIN, Role.SYSTEM_ADMIN)
    return bool(units) and OrgUnit.objects.filter(pk__in=units, parent__isnull=True).exists()


rules.add_perm("grading.change_thresholdtable", is_top_level_admin)
