"""Every write to the organisation: units, departments, expert pools and experts, role assignments.

Each service checks the actor's permission on the unit concerned, validates, writes, and
appends its audit entry in the same transaction.
"""
from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from emergency import live
from emergency.audit.services import audit_record, snapshot
from emergency.api.fields import NOT_FOUND
from emergency.errors import Conflict, NotFound, NotPermitted, ValidationFailed

from .models import Department, Expert, ExpertPool, OrgUnit, RoleAssignment, User
from .roles import DEPARTMENT_ROLES, Role
from .scope import forget_scope, unit_scope
from .selectors import grantable_people
from .tree import top_id

UNIT_FIELDS = ("code", "name", "name_en", "kind", "division_code", "parent", "position", "superior_name")
DEPARTMENT_FIELDS = ("unit", "code", "name", "name_en", "duties", "duties_en", "position")
EXPERT_FIELDS = ("pool", "name", "field", "field_en", "contact")


def require(actor: User, perm: str, obj: Any) -> None:
    """Refuse unless `actor` may `perm` on `obj`; an object outside their units does not exist for them."""
    if obj is not None and not unit_scope(actor).can_see(obj.scope_unit_id):
        raise NotFound(_("Not found."))
    if not actor.has_perm(perm, obj):
        raise NotPermitted(_("You do not have permission to perform this action."))


def _require_text(fields: dict[str, Any], *names: str) -> None:
    missing = {name: [_("This field is required.")] for name in names if not str(fields.get(name) or "").strip()}
    if missing:
        raise ValidationFailed(_("Some fields are missing or invalid."), fields=missing)


def _apply(instance, changes: dict[str, Any], allowed: tuple[str, ...]) -> None:
    unknown = set(changes) - set(allowed)
    if unknown:
        raise ValidationFailed(_("Unknown fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    for name, value in changes.items():
        setattr(instance, name, value)


def _save_unique(instance, message) -> None:
    try:
        with transaction.atomic():
            instance.save()
    except IntegrityError as exc:
        raise ValidationFailed(message) from exc


# --- Units --------------------------------------------------------------------------------

@transaction.atomic
def unit_create(*, actor: User, parent: OrgUnit, code: str, name: str, kind: str, name_en: str = "",
                division_code: str = "", position: int = 0) -> OrgUnit:
    require(actor, "org.add_orgunit", parent)
    _require_text({"code": code, "name": name, "kind": kind}, "code", "name", "kind")
    if kind not in OrgUnit.Kind.values:
        raise ValidationFailed(_("Unknown unit kind."), fields={"kind": [_("Unknown unit kind.")]})
    unit = OrgUnit(parent=parent, code=code, name=name, name_en=name_en, kind=kind,
                   division_code=division_code, position=position)
    _save_unique(unit, _("A unit with this code already exists."))
    audit_record(actor=actor, unit_id=unit.pk, action="unit.create", target=unit, after=snapshot(unit, UNIT_FIELDS))
    forget_scope(actor)
    return unit


@transaction.atomic
def unit_update(*, actor: User, unit: OrgUnit, **changes: Any) -> OrgUnit:
    unit = OrgUnit.objects.select_for_update().get(pk=unit.pk)
    require(actor, "org.change_orgunit", unit)
    if "parent" in changes:
        raise ValidationFailed(_("Moving a unit to another parent is not supported here."))
    before = snapshot(unit, UNIT_FIELDS)
    _apply(unit, changes, UNIT_FIELDS)
    _require_text({"code": unit.code, "name": unit.name}, "code", "name")
    _save_unique(unit, _("A unit with this code already exists."))
    audit_record(actor=actor, unit_id=unit.pk, action="unit.update", target=unit,
                 before=before, after=snapshot(unit, UNIT_FIELDS))
    return unit


# --- Departments --------------------------------------------------------------------------

@transaction.atomic
def department_create(*, actor: User, unit: OrgUnit, code: str, name: str, duties: str = "",
                      name_en: str = "", duties_en: str = "", position: int = 0) -> Department:
    require(actor, "org.add_department", unit)
    _require_text({"code": code, "name": name}, "code", "name")
    department = Department(unit=unit, code=code, name=name, name_en=name_en, duties=duties,
                            duties_en=duties_en, position=position)
    _save_unique(department, _("A department with this code or name already exists in the unit."))
    audit_record(actor=actor, unit_id=unit.pk, action="department.create", target=department,
                 after=snapshot(department, DEPARTMENT_FIELDS))
    return department


@transaction.atomic
def department_update(*, actor: User, department: Department, **changes: Any) -> Department:
    department = Department.objects.select_for_update().get(pk=department.pk)
    require(actor, "org.change_department", department)
    if "unit" in changes:
        raise ValidationFailed(_("A department cannot move to another unit."))
    before = snapshot(department, DEPARTMENT_FIELDS)
    _apply(department, changes, DEPARTMENT_FIELDS)
    _require_text({"code": department.code, "name": department.name}, "code", "name")
    _save_unique(department, _("A department with this code or name already exists in the unit."))
    audit_record(actor=actor, unit_id=department.unit_id, action="department.update", target=department,
                 before=before, after=snapshot(department, DEPARTMENT_FIELDS))
    return department


# --- Expert pools and experts -------------------------------------------------------------

@transaction.atomic
def expert_pool_create(*, actor: User, unit: OrgUnit, name: str, name_en: str = "") -> ExpertPool:
    require(actor, "org.add_expert", unit)
    _require_text({"name": name}, "name")
    pool = ExpertPool(unit=unit, name=name, name_en=name_en)
    _save_unique(pool, _("An expert pool with this name already exists in the unit."))
    audit_record(actor=actor, unit_id=unit.pk, action="expert_pool.create", target=pool,
                 after=snapshot(pool, ("unit", "name", "name_en")))
    return pool


@transaction.atomic
def expert_create(*, actor: User, pool: ExpertPool, name: str, field: str, contact: str,
                  field_en: str = "") -> Expert:
    require(actor, "org.add_expert", pool)
    _require_text({"name": name, "field": field, "contact": contact}, "name", "field", "contact")
    expert = Expert.objects.create(pool=pool, name=name, field=field, field_en=field_en, contact=contact)
    audit_record(actor=actor, unit_id=pool.unit_id, action="expert.create", target=expert,
                 after=snapshot(expert, EXPERT_FIELDS))
    return expert


@transaction.atomic
def expert_update(*, actor: User, expert: Expert, **changes: Any) -> Expert:
    expert = Expert.objects.select_for_update(of=("self",)).select_related("pool").get(pk=expert.pk)
    require(actor, "org.change_expert", expert)
    if "pool" in changes:
        pool = changes["pool"]
        require(actor, "org.add_expert", pool)
    before = snapshot(expert, EXPERT_FIELDS)
    _apply(expert, changes, EXPERT_FIELDS)
    _require_text({"name": expert.name, "field": expert.field, "contact": expert.contact},
                  "name", "field", "contact")
    expert.save()
    audit_record(actor=actor, unit_id=expert.pool.unit_id, action="expert.update", target=expert,
                 before=before, after=snapshot(expert, EXPERT_FIELDS))
    return expert


@transaction.atomic
def expert_remove(*, actor: User, expert: Expert) -> None:
    expert = Expert.objects.select_for_update(of=("self",)).select_related("pool").get(pk=expert.pk)
    require(actor, "org.delete_expert", expert)
    before = snapshot(expert, EXPERT_FIELDS)
    audit_record(actor=actor, unit_id=expert.pool.unit_id, action="expert.remove", target=expert, before=before)
    expert.delete()


# --- People and roles ---------------------------------------------------------------------

def check_grant(*, actor: User, unit: OrgUnit, role: str, department: Department | None) -> None:
    """The rules of a grant, whoever receives it: the actor administers the unit, the role exists,
    a department role names a department of that unit."""
    require(actor, "org.manage_roles", unit)
    if role not in Role.values:
        raise ValidationFailed(_("Unknown role."), fields={"role": [_("Unknown role.")]})
    if department is not None and department.unit_id != unit.pk:
        raise ValidationFailed(_("The department must belong to the unit."),
                               fields={"department": [_("The department must belong to the unit.")]})
    if role in DEPARTMENT_ROLES and department is None:
        raise ValidationFailed(_("A lead-department officer needs a department."),
                               fields={"department": [_("This field is required.")]})


def grant(*, actor: User, user: User, unit: OrgUnit, role: str, department: Department | None) -> RoleAssignment:
    """Write one checked grant (inside the caller's transaction) and move the user's screens."""
    assignment = RoleAssignment(user=user, unit=unit, role=role, department=department)
    _save_unique(assignment, _("The user already holds this role in this unit."))
    audit_record(actor=actor, unit_id=unit.pk, action="role.assign", target=assignment,
                 after=snapshot(assignment, ("user", "unit", "role", "department")))
    forget_scope(user)
    live.send_to_user(user.pk, {"type": "scope.changed"})
    return assignment


@transaction.atomic
def role_assign(*, actor: User, user: User, unit: OrgUnit, role: str,
                department: Department | None = None) -> RoleAssignment:
    require(actor, "org.manage_roles", unit)
    if not actor.is_superuser and not grantable_people(user=actor).filter(pk=user.pk).exists():
        # Worded and shaped as the API's answer to a name it cannot resolve: nobody learns who exists.
        raise ValidationFailed(_("Some fields are missing or invalid."), fields={"user": [NOT_FOUND]})
    check_grant(actor=actor, unit=unit, role=role, department=department)
    return grant(actor=actor, user=user, unit=unit, role=role, department=department)


def keep_an_administrator(*, unit_id: int, leaving) -> None:
    """Refuse to leave the organisation of `unit_id` without an active system administrator once the
    assignments in `leaving` (a queryset) are gone (one's own role too). The top unit's row is locked
    first, so two administrators revoking each other take turns."""
    top = top_id(unit_id)
    OrgUnit.objects.select_for_update().filter(pk=top).first()
    organisation = OrgUnit.objects.descendants(OrgUnit.objects.get(pk=top), include_self=True)
    others = RoleAssignment.objects.filter(role=Role.SYSTEM_ADMIN, unit__in=organisation, user__is_active=True)
    if not others.exclude(pk__in=leaving.values("pk")).exists():
        raise Conflict(_("This is the organisation's last system administrator: give the role to someone else "
                         "first."))


@transaction.atomic
def role_revoke(*, actor: User, assignment: RoleAssignment) -> None:
    assignment = RoleAssignment.objects.select_for_update().get(pk=assignment.pk)
    require(actor, "org.manage_roles", assignment)
    if assignment.role == Role.SYSTEM_ADMIN:
        keep_an_administrator(unit_id=assignment.unit_id, leaving=RoleAssignment.objects.filter(pk=assignment.pk))
    audit_record(actor=actor, unit_id=assignment.unit_id, action="role.revoke", target=assignment,
                 before=snapshot(assignment, ("user", "unit", "role", "department")))
    assignment.delete()
    forget_scope(assignment.user)
    live.send_to_user(assignment.user_id, {"type": "scope.changed"})
