from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResponseConfig(AppConfig):
    """Response levels: proposals, decisions by the authority each level requires, raise and lower,
    command transfer, and the end by whoever started (issue: response levels)."""

    name = "incidents.response"
    label = "response"
    verbose_name = _("Emergency response")

    def ready(self) -> None:
        from . import attachments, command, demo, inbox, navigation, reminders, review  # noqa: F401  (hooks: timers, menus, rules, inbox, demo)
