"""The roles a user may hold in an organisational unit (and, through it, its descendants)."""
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    DUTY_OFFICER = "duty_officer", _("Duty officer")
    LEAD_OFFICER = "lead_officer", _("Lead-department officer")
    COMMANDER = "commander", _("Commander")
    PRINCIPAL = "principal", _("Unit principal")
    PLAN_ADMIN = "plan_admin", _("Plan administrator")
    SYSTEM_ADMIN = "system_admin", _("System administrator")
