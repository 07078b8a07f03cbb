"""Every write to a person's account: create it with its first role, reset its password, deactivate
and reactivate it. Roles themselves are granted and withdrawn by `emergency.org.services`.

A system administrator manages an account only when they administer every unit where its holder has
a role: a county's administrator never takes over the account of an officer of the city above it.
"""
from __future__ import annotations

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from rest_framework.authtoken.models import Token

from emergency import live
from emergency.audit.services import audit_record, snapshot
from emergency.errors import NotFound, NotPermitted, ValidationFailed

from .lifecycles import ACCOUNT
from .models import Department, OrgUnit, RoleAssignment, User
from .roles import Role
from .scope import forget_scope, unit_scope
from .selectors import people_list
from .services import check_grant, grant, keep_an_administrator

ACCOUNT_FIELDS = ("username", "full_name", "phone", "email", "is_active")


def require_people_admin(actor: User) -> None:
    """Refuse unless the actor is a system administrator somewhere (or a platform operator)."""
    if not (actor.is_superuser and actor.is_active) and not unit_scope(actor).units_with(Role.SYSTEM_ADMIN):
        raise NotPermitted(_("Only a system administrator manages people."))


def require_account_admin(actor: User, person: User) -> None:
    """Refuse unless the actor administers every unit where `person` holds a role; a person they
    cannot see at all is not found."""
    if actor.is_superuser and actor.is_active:
        return
    if not people_list(user=actor).filter(pk=person.pk).exists():
        raise NotFound(_("Not found."))
    administered = unit_scope(actor).units_with(Role.SYSTEM_ADMIN)
    elsewhere = RoleAssignment.objects.filter(user=person).exclude(unit_id__in=administered).select_related("unit")
    outside = sorted({str(a.unit) for a in elsewhere})
    if outside:
        raise NotPermitted(_("%(person)s also holds roles in %(units)s, which you do not administer: ask the "
                             "system administrator there.") % {"person": person, "units": "、".join(outside)})


def _check_password(password: str, user: User) -> None:
    try:
        validate_password(password, user)
    except ValidationError as error:
        raise ValidationFailed(_("Some fields are missing or invalid."),
                               fields={"password": list(error.messages)}) from error


def _lock(person: User) -> User:
    return User.objects.select_for_update().get(pk=person.pk)


@transaction.atomic
def user_create(*, actor: User, username: str, password: str, unit: OrgUnit, role: str,
                department: Department | None = None, full_name: str = "", phone: str = "",
                email: str = "") -> User:
    """A new account of the actor's organisation, placed at once: it holds `role` in `unit`."""
    check_grant(actor=actor, unit=unit, role=role, department=department)
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationFailed(_("Some fields are missing or invalid."),
                               fields={"username": [_("This username is taken: choose another.")]})
    person = User(username=username, full_name=full_name, phone=phone, email=email)
    _check_password(password, person)
    person.set_password(password)
    person.save()
    audit_record(actor=actor, unit_id=unit.pk, action="user.create", target=person,
                 after=snapshot(person, ACCOUNT_FIELDS))
    grant(actor=actor, user=person, unit=unit, role=role, department=department)
    return person


def _home_unit(person: User, actor: User) -> int:
    """The unit an account's audit entries are filed under: its first role's unit (an account with
    none: the actor's)."""
    first = RoleAssignment.objects.filter(user=person).order_by("id").values_list("unit_id", flat=True).first()
    return first or RoleAssignment.objects.filter(user=actor).order_by("id").values_list("unit_id", flat=True).first()


def _sign_out_everywhere(person: User) -> None:
    """API tokens go; sessions end by themselves, signed with the old password's hash."""
    Token.objects.filter(user=person).delete()


@transaction.atomic
def user_password_reset(*, actor: User, person: User, password: str) -> User:
    person = _lock(person)
    require_account_admin(actor, person)
    ACCOUNT.require("reset-password", person, state_attr="account_state")
    _check_password(password, person)
    person.set_password(password)
    person.save(update_fields=["password"])
    _sign_out_everywhere(person)
    audit_record(actor=actor, unit_id=_home_unit(person, actor), action="user.password_reset", target=person)
    return person


@transaction.atomic
def user_deactivate(*, actor: User, person: User, reason: str) -> User:
    """The account can no longer sign in; its roles and history stay. The organisation keeps an
    active system administrator, and nobody deactivates their own account."""
    person = _lock(person)
    deactivate_guard(actor, person)
    ACCOUNT.require("deactivate", person, state_attr="account_state")
    admin_roles = RoleAssignment.objects.filter(user=person, role=Role.SYSTEM_ADMIN)
    for unit_id in set(admin_roles.values_list("unit_id", flat=True)):
        keep_an_administrator(unit_id=unit_id, leaving=admin_roles)
    before = snapshot(person, ACCOUNT_FIELDS)
    person.is_active = False
    person.save(update_fields=["is_active"])
    _sign_out_everywhere(person)
    audit_record(actor=actor, unit_id=_home_unit(person, actor), action="user.deactivate", target=person,
                 before=before, after={**snapshot(person, ACCOUNT_FIELDS), "reason": reason})
    forget_scope(person)
    live.send_to_user(person.pk, {"type": "scope.changed"})
    return person


@transaction.atomic
def user_reactivate(*, actor: User, person: User) -> User:
    person = _lock(person)
    require_account_admin(actor, person)
    ACCOUNT.require("reactivate", person, state_attr="account_state")
    before = snapshot(person, ACCOUNT_FIELDS)
    person.is_active = True
    person.save(update_fields=["is_active"])
    audit_record(actor=actor, unit_id=_home_unit(person, actor), action="user.reactivate", target=person,
                 before=before, after=snapshot(person, ACCOUNT_FIELDS))
    return person


def account_guard(actor: User, person: User) -> None:
    """The operations' guard on an account: the same check the services make."""
    require_account_admin(actor, person)


def deactivate_guard(actor: User, person: User) -> None:
    """Deactivating needs the account's administrator, and someone else's account."""
    require_account_admin(actor, person)
    if person.pk == actor.pk:
        raise NotPermitted(_("You cannot deactivate your own account."))


def people_guard(actor: User, _target=None) -> None:
    """Adding a person or granting a role needs a unit the actor administers (the service checks the
    unit chosen and the person)."""
    require_people_admin(actor)
