from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    """The plan hierarchy: general → special → departmental → grassroots plans (issue: plan hierarchy)."""

    name = "plans"
    verbose_name = _("Emergency plans")

    def ready(self) -> None:
        from . import annual, attachments, demo, duties, inbox, navigation, rules  # noqa: F401  (hooks: timers, menus, rules, inbox, demo)
