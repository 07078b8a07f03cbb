"""The roles a user may hold in an organisational unit (and, through it, its descendants)."""
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    DUTY_OFFICER = "duty_officer", _("Duty officer")
    LEAD_OFFICER = "lead_officer", _("Lead-department officer")
    COMMANDER = "commander", _("Commander")
    PRINCIPAL = "principal", _("Unit principal")
    PARTY_COMMITTEE = "party_committee", _("Party committee")
    LEADER_IN_CHARGE = "leader_in_charge", _("Leader in charge")
    DEPARTMENT_PRINCIPAL = "department_principal", _("Department principal")
    PLAN_ADMIN = "plan_admin", _("Plan administrator")
    SYSTEM_ADMIN = "system_admin", _("System administrator")


# Roles that act for one department of the unit: their assignment names the department.
DEPARTMENT_ROLES = frozenset({Role.LEAD_OFFICER, Role.DEPARTMENT_PRINCIPAL})
