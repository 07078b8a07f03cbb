from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AlertsConfig(AppConfig):
    """Warnings: signs, issue, adjust, lift or escalate; CAP 1.2 and Atom (issue: warnings)."""

    name = "alerts"
    verbose_name = _("Warnings")

    def ready(self) -> None:
        from . import inbox, navigation  # noqa: F401  (notification kinds, menu items, workbench figures)
