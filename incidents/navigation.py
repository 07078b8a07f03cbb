from django.utils.translation import gettext_lazy as _

from emergency.ui.navigation import NavItem, register

register(NavItem("incidents", _("Incidents"), "incident-list", order=10))
register(NavItem("late", _("Late reports"), "late-deadlines", order=15))
register(NavItem("review", _("Annual review"), "annual-review", order=16))
register(NavItem("grading", _("Grading standard"), "grading-tables", order=70))
