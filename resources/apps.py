from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResourcesConfig(AppConfig):
    """Emergency resources (应急保障): teams, supply stores and stock, equipment, shelters; requests
    for them from an incident, dispatched and returned (issue 17)."""

    name = "resources"
    verbose_name = _("Emergency resources")

    def ready(self) -> None:
        from alerts.services import on_lift

        from . import demo, navigation  # noqa: F401  (demo hook, menu items)
        from .services.records import standby_lift

        on_lift(standby_lift)  # lifting a warning releases what it put on standby
