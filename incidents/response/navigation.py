from django.utils.translation import gettext_lazy as _

from emergency.org.roles import Role
from emergency.ui import workbench
from emergency.ui.navigation import NavItem, register

DECIDERS = frozenset({Role.COMMANDER, Role.PRINCIPAL, Role.PARTY_COMMITTEE, Role.LEADER_IN_CHARGE,
                      Role.DEPARTMENT_PRINCIPAL, Role.LEAD_OFFICER})

register(NavItem("response-list", _("Emergency responses"), "response-list", roles=DECIDERS | {Role.DUTY_OFFICER}, order=11))
register(NavItem("response-inbox", _("Decisions"), "response-inbox", roles=DECIDERS, order=12))
register(NavItem("key-periods", _("Key periods"), "key-periods", roles=frozenset({Role.PLAN_ADMIN, Role.SYSTEM_ADMIN}), order=75))


def _waiting(user) -> int:
    from .selectors import inbox

    return len(inbox(user=user))


workbench.register(workbench.Figure("decisions", _("Waiting for my decision"), _waiting, "response-inbox", order=5,
                                    alert=True, roles=DECIDERS))
