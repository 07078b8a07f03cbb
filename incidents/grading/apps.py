from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GradingConfig(AppConfig):
    """Incident taxonomy and the data-driven grading engine (appendix 7.3 as versioned rows)."""

    name = "incidents.grading"
    label = "grading"
    verbose_name = _("Incident grading")

    def ready(self) -> None:
        from . import rules  # noqa: F401  (registers permissions)
