from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardConfig(AppConfig):
    """The live command dashboard: the event outbox, its WebSocket consumer and the page."""

    name = "emergency.dashboard"
    label = "dashboard"
    verbose_name = _("Command dashboard")

    def ready(self) -> None:
        from . import frames, navigation  # noqa: F401  (the frames' describers register themselves)
