from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IncidentsConfig(AppConfig):
    """Incidents, their reports, reporting deadlines and responses (issues: incidents, response levels)."""

    name = "incidents"
    verbose_name = _("Incidents")

    def ready(self) -> None:
        from . import attachments, deadlines, demo, inbox, navigation, rules  # noqa: F401  (hooks: timers, menus, rules, inbox, demo)
