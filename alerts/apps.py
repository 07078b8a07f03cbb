from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AlertsConfig(AppConfig):
    """Warnings: signs, issue, adjust, lift or escalate; CAP 1.2 and Atom (issue: warnings)."""

    name = "alerts"
    verbose_name = _("Warnings")

    def ready(self) -> None:
        from . import demo, dutylog, expiry, inbox, navigation  # noqa: F401  (hooks: timers, menus, rules, inbox, demo, duty log)
