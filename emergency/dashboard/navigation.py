from django.utils.translation import gettext_lazy as _

from emergency.ui.navigation import NavItem, register

register(NavItem("dashboard", _("Command dashboard"), "dashboard", order=2))
