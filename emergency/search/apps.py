from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    """One search box over incidents, reports, warnings, plans, people and units, in Chinese
    (issue 16). It sits on top of the domain apps, like the dashboard, and owns no table."""

    name = "emergency.search"
    label = "search"
    verbose_name = _("Search")
