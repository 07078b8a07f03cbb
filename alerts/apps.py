from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AlertsConfig(AppConfig):
    """Warnings (预警): issue, adjust, lift, escalate; CAP 1.2 and Atom (issue: warnings)."""

    name = "alerts"
    verbose_name = _("Warnings")
