"""The writes on the organisation's pages, declared once: the pages and the API both dispatch
through these (department duties, people and their roles)."""
from __future__ import annotations

from django.contrib.auth.validators import UnicodeUsernameValidator
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from emergency.api.fields import ScopedPrimaryKeyField
from emergency.operations import Operation, register

from . import people, selectors, services
from .lifecycles import ACCOUNT
from .models import Department, RoleAssignment, User
from .roles import Role


def _textarea(**kwargs):
    return serializers.CharField(style={"base_template": "textarea.html"}, **kwargs)


class DepartmentEditInput(serializers.Serializer):
    """The department's names and duties; the form starts from what is recorded now."""

    name = serializers.CharField(label=_("name"), max_length=200)
    name_en = serializers.CharField(label=_("English name"), max_length=200, required=False, allow_blank=True)
    duties = _textarea(label=_("duties"), max_length=20000, required=False, allow_blank=True,
                       help_text=_("Word the duties as the plan words them."))
    duties_en = _textarea(label=_("duties (English)"), max_length=20000, required=False, allow_blank=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        target = self.context.get("target")
        if target is not None:
            for name, field in self.fields.items():
                field.initial = getattr(target, name)


class GrantInput(serializers.Serializer):
    unit = ScopedPrimaryKeyField(selectors.units_administered, label=_("Unit"))
    role = serializers.ChoiceField(choices=Role.choices, label=_("Role"))
    department = ScopedPrimaryKeyField(selectors.departments_administered, label=_("Department"), required=False,
                                       allow_null=True, help_text=_("For a lead-department officer or a "
                                                                    "department principal: the department they act for."))


def _password(**kwargs):
    return serializers.CharField(label=_("Password"), max_length=128, trim_whitespace=False,
                                 style={"input_type": "password"}, write_only=True, **kwargs)


class UserAddInput(GrantInput):
    username = serializers.CharField(label=_("Username"), max_length=150, validators=[UnicodeUsernameValidator()],
                                     help_text=_("Used to sign in: letters, digits and @/./+/-/_ only."))
    full_name = serializers.CharField(label=_("Full name"), max_length=100)
    phone = serializers.CharField(label=_("phone"), max_length=40, required=False, allow_blank=True)
    email = serializers.EmailField(label=_("E-mail"), max_length=254, required=False, allow_blank=True)
    password = _password(help_text=_("The first password; tell it to the person, who should change it."))

    class Meta:
        fields_order = ("username", "full_name", "phone", "email", "password", "unit", "role", "department")

    def get_fields(self):
        fields = super().get_fields()
        return {name: fields[name] for name in self.Meta.fields_order}


class PasswordResetInput(serializers.Serializer):
    password = _password(help_text=_("Their API tokens are withdrawn and their sessions end."))


class DeactivateInput(serializers.Serializer):
    reason = serializers.CharField(label=_("Reason"), max_length=500, help_text=_("E.g. left the unit, retired."))


class PersonOutput(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    full_name = serializers.CharField()
    is_active = serializers.BooleanField()


class AssignmentOutput(serializers.Serializer):
    id = serializers.IntegerField()
    user = serializers.IntegerField(source="user_id")
    unit = serializers.IntegerField(source="unit_id")
    role = serializers.CharField()
    department = serializers.IntegerField(source="department_id", allow_null=True)


class DepartmentOutput(serializers.Serializer):
    id = serializers.IntegerField()
    unit = serializers.IntegerField(source="unit_id")
    name = serializers.CharField()
    name_en = serializers.CharField()
    duties = serializers.CharField()
    duties_en = serializers.CharField()


def _department_guard(user, department: Department) -> None:
    services.require(user, "org.change_department", department)


def _withdraw_guard(user, assignment: RoleAssignment) -> None:
    services.require(user, "org.manage_roles", assignment)


DEPARTMENT_EDIT = Operation(
    name="department.edit", model=Department, label=_("Save"), input=DepartmentEditInput, output=DepartmentOutput,
    guard=_department_guard, success=_("Department duties saved."),
    run=lambda *, actor, target, **changes: services.department_update(actor=actor, department=target, **changes),
)
USER_ADD = Operation(
    name="user.add", label=_("Add the user"), input=UserAddInput, output=PersonOutput, guard=people.people_guard,
    created=True, success=_("User added."),
    run=lambda *, actor, target, **fields: people.user_create(actor=actor, **fields),
)
USER_GRANT = Operation(
    name="user.grant", model=User, label=_("Grant the role"), input=GrantInput, output=AssignmentOutput,
    lifecycle=ACCOUNT, state_attr="account_state", guard=people.people_guard, created=True,
    success=_("Role granted."),
    run=lambda *, actor, target, **grant: services.role_assign(actor=actor, user=target, **grant),
)
USER_RESET_PASSWORD = Operation(
    name="user.reset-password", model=User, label=_("Set a new password"), input=PasswordResetInput,
    output=PersonOutput, lifecycle=ACCOUNT, state_attr="account_state", guard=people.account_guard,
    success=_("Password set. Tell it to the person."),
    run=lambda *, actor, target, password: people.user_password_reset(actor=actor, person=target, password=password),
)
USER_DEACTIVATE = Operation(
    name="user.deactivate", model=User, label=_("Deactivate the account"), input=DeactivateInput,
    output=PersonOutput, lifecycle=ACCOUNT, state_attr="account_state", guard=people.deactivate_guard, danger=True,
    success=_("Account deactivated: it can no longer sign in."),
    run=lambda *, actor, target, reason: people.user_deactivate(actor=actor, person=target, reason=reason),
)
USER_REACTIVATE = Operation(
    name="user.reactivate", model=User, label=_("Reactivate the account"), output=PersonOutput,
    lifecycle=ACCOUNT, state_attr="account_state", guard=people.account_guard, success=_("Account reactivated."),
    run=lambda *, actor, target: people.user_reactivate(actor=actor, person=target),
)
ROLE_WITHDRAW = Operation(
    name="role_assignment.withdraw", model=RoleAssignment, label=_("Withdraw"), guard=_withdraw_guard, danger=True,
    success=_("Role withdrawn."),
    run=lambda *, actor, target: services.role_revoke(actor=actor, assignment=target),
)

register(DEPARTMENT_EDIT, USER_ADD, USER_GRANT, USER_RESET_PASSWORD, USER_DEACTIVATE, USER_REACTIVATE, ROLE_WITHDRAW)
