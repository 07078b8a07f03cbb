from django.utils.translation import gettext_lazy as _

from emergency.ui.navigation import NavItem, register

register(NavItem("plans", _("Emergency plans"), "plan-tree", order=60))
