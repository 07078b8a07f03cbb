"""Who may maintain a grading table: plan or system administrators of the organisation's top unit
that owns it. The table shipped with the platform (no organisation) is nobody's to change."""
import rules

from emergency.org.models import OrgUnit
from emergency.org.roles import Role
from emergency.org.scope import unit_scope


def grading_organisations(user) -> set[int]:
    """The top units whose grading tables the user maintains."""
    if not user.is_authenticated or not user.is_active:
        return set()
    if user.is_superuser:
        return set(OrgUnit.objects.filter(parent__isnull=True).values_list("pk", flat=True))
    units = unit_scope(user).units_with(Role.PLAN_ADMIN, Role.SYSTEM_ADMIN)
    if not units:
        return set()
    return set(OrgUnit.objects.filter(pk__in=units, parent__isnull=True).values_list("pk", flat=True))


@rules.predicate
def maintains_grading(user, table=None) -> bool:
    organisations = grading_organisations(user)
    if table is None:
        return bool(organisations)
    return table.organisation_id is not None and table.organisation_id in organisations


rules.add_perm("grading.change_thresholdtable", maintains_grading)
