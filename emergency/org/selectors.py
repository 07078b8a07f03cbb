"""Reads of the organisation, already limited to what the user may see."""
from __future__ import annotations

from django.db.models import Count, IntegerField, OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.functions import Coalesce

from .models import Department, Expert, ExpertPool, OrgUnit, RoleAssignment, User
from .roles import Role
from .scope import unit_scope
from .tree import top_id

_department_count = (
    Department.objects.filter(unit=OuterRef("pk")).order_by().values("unit").annotate(n=Count("*")).values("n")
)


def unit_list(*, user: User) -> QuerySet[OrgUnit]:
    """Visible units in tree order, with depth and their department count."""
    return (
        OrgUnit.objects.with_tree_fields()
        .filter(pk__in=unit_scope(user).visible)
        .annotate(department_count=Coalesce(Subquery(_department_count, output_field=IntegerField()), 0))
    )


def units_administered(*, user: User) -> QuerySet[OrgUnit]:
    """The units where the user is system administrator (and their descendants), in tree order:
    where they may place people and grant roles."""
    return OrgUnit.objects.with_tree_fields().filter(pk__in=unit_scope(user).units_with(Role.SYSTEM_ADMIN))


def departments_administered(*, user: User) -> QuerySet[Department]:
    return Department.objects.filter(unit_id__in=unit_scope(user).units_with(Role.SYSTEM_ADMIN)).select_related("unit")


def units_visible(*, user: User) -> QuerySet[OrgUnit]:
    """Visible units without tree fields: for resolving an id cheaply."""
    return OrgUnit.objects.filter(pk__in=unit_scope(user).visible)


def unit_get(*, user: User, pk: int) -> OrgUnit | None:
    if not unit_scope(user).can_see(pk):
        return None
    return OrgUnit.objects.filter(pk=pk).select_related("parent").first()


def unit_ancestors(*, user: User, unit: OrgUnit) -> list[OrgUnit]:
    """The unit's visible ancestors, root first (for breadcrumbs)."""
    visible = unit_scope(user).visible
    return [u for u in unit.ancestors() if u.pk in visible]


def organisation_ids(*, user: User) -> set[int]:
    """The top units of the organisations the user works in (platform operators: every one)."""
    if user.is_superuser and user.is_active:
        return set(OrgUnit.objects.filter(parent__isnull=True).values_list("pk", flat=True))
    if not unit_scope(user).visible:
        return set()
    return {top_id(unit_id) for unit_id in user.role_assignments.values_list("unit_id", flat=True)}


def department_list(*, user: User) -> QuerySet[Department]:
    return Department.objects.filter(unit_id__in=unit_scope(user).visible).select_related("unit")


def expert_pool_list(*, user: User) -> QuerySet[ExpertPool]:
    return ExpertPool.objects.filter(unit_id__in=unit_scope(user).visible).select_related("unit")


def expert_list(*, user: User) -> QuerySet[Expert]:
    return Expert.objects.filter(pool__unit_id__in=unit_scope(user).visible).select_related("pool", "pool__unit")


def role_assignment_list(*, user: User) -> QuerySet[RoleAssignment]:
    """Role assignments in the units where the user administers the system."""
    return RoleAssignment.objects.filter(unit_id__in=unit_scope(user).units_with(Role.SYSTEM_ADMIN)).select_related(
        "user", "unit", "department"
    )


def people_addressable(*, user: User) -> QuerySet[User]:
    """Active people the user may name: those of the user's organisations, and accounts not yet
    placed in any unit. Another organisation's people are not among them."""
    from django.db.models import Q

    from .scope import scoped

    return User.objects.filter(Q(pk__in=scoped(User.objects.all(), user).values("pk"))
                               | Q(role_assignments__isnull=True), is_active=True).distinct()


def people_list(*, user: User) -> QuerySet[User]:
    """Users holding any role in the units the caller administers (platform operators: everyone)."""
    if user.is_superuser and user.is_active:
        return User.objects.order_by("username")
    units = unit_scope(user).units_with(Role.SYSTEM_ADMIN)
    return User.objects.filter(role_assignments__unit_id__in=units).distinct().order_by("username")


def people_with_roles(*, user: User) -> QuerySet[User]:
    """`people_list` with each person's roles in the units the caller sees (for the people pages and
    the API: a constant number of queries)."""
    seen = RoleAssignment.objects.select_related("user", "unit", "department").order_by("unit_id", "role")
    if not (user.is_superuser and user.is_active):
        seen = seen.filter(unit_id__in=unit_scope(user).visible)
    return people_list(user=user).prefetch_related(Prefetch("role_assignments", queryset=seen))


def grantable_people(*, user: User) -> QuerySet[User]:
    """Whom the caller may give a role: active people of the units they administer. Anyone else
    (of another organisation, or of a unit they do not administer) is as unknown as a wrong name."""
    return people_list(user=user).filter(is_active=True)
