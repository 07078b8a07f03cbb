from django.utils.translation import gettext_lazy as _

from emergency.ui import workbench
from emergency.ui.navigation import NavItem, register

register(NavItem("warnings", _("Warnings"), "warning-list", order=8))


def _issued(user) -> int:
    from emergency.org.scope import unit_scope

    from .models import EarlyWarning

    return EarlyWarning.objects.filter(unit_id__in=unit_scope(user).visible, state="issued").count()


workbench.register(workbench.Figure("warnings-issued", _("Warnings in force"), _issued, "warning-list", order=8))
