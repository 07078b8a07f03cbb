from django.utils.translation import gettext_lazy as _

from emergency.ui import workbench
from emergency.ui.navigation import NavItem, register

register(NavItem("resources", _("Emergency resources"), "resources-inventory", order=40))


def _waiting(user) -> int:
    from .selectors import request_list

    return request_list(user=user).filter(state="requested").count()


workbench.register(workbench.Figure("resource-requests", _("Resource requests waiting for a decision"), _waiting,
                                    "resources-requests", order=30))
