"""The navigation, per role. Domain apps add their items with `register()` in `AppConfig.ready()`."""
from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from emergency.org.roles import Role
from emergency.org.scope import unit_scope

from . import workbench


@dataclass(frozen=True)
class NavItem:
    key: str
    label: str | Promise
    url_name: str
    roles: frozenset[str] | None = None  # None: every signed-in user
    order: int = 100

    def visible_to(self, roles: frozenset[str], is_superuser: bool) -> bool:
        return self.roles is None or is_superuser or bool(self.roles & roles)


_ITEMS: dict[str, NavItem] = {}


def register(item: NavItem) -> None:
    _ITEMS[item.key] = item


def items_for(user) -> list[NavItem]:
    if not user.is_authenticated:
        return []
    roles = unit_scope(user).roles()
    return sorted((i for i in _ITEMS.values() if i.visible_to(roles, user.is_superuser)), key=lambda i: i.order)


def navigation(request) -> dict:
    """Context processor: the current user's navigation and which item is active."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    current = getattr(request.resolver_match, "url_name", None)
    entries = [
        {"key": i.key, "label": i.label, "url": reverse(i.url_name), "active": i.url_name == current}
        for i in items_for(user)
    ]
    params = request.GET.copy()
    params.pop("page", None)
    return {"nav_items": entries, "user_roles": sorted(unit_scope(user).roles()), "query": params.urlencode()}


ADMINS = frozenset({Role.PLAN_ADMIN, Role.SYSTEM_ADMIN})
register(NavItem("home", _("Workbench"), "home", order=0))
register(NavItem("org", _("Organisation"), "org-tree", order=80))
register(NavItem("experts", _("Experts"), "expert-list", order=85))
register(NavItem("departments", _("Department duties"), "department-list", roles=ADMINS, order=90))
register(NavItem("people", _("Users and roles"), "people", roles=frozenset({Role.SYSTEM_ADMIN}), order=95))
register(NavItem("audit", _("Audit trail"), "audit-log",
                 roles=frozenset({Role.SYSTEM_ADMIN, Role.PRINCIPAL}), order=96))
register(NavItem("api", _("API"), "api-docs", roles=frozenset({Role.SYSTEM_ADMIN}), order=99))
workbench.register_action(workbench.Action("add-user", _("Add a user"), "org.manage_roles", "people", order=90,
                                           operation="user.add"))
