"""Figures on the workbench. Domain apps add theirs with `register()` in `AppConfig.ready()`;
each figure is one query over the user's units."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from django.urls import reverse
from django.utils.functional import Promise

from emergency import operations
from emergency.org.scope import unit_scope


@dataclass(frozen=True)
class Figure:
    key: str
    label: str | Promise
    count: Callable  # (user) -> int
    url_name: str
    order: int = 100
    alert: bool = False  # shown in red when not zero
    roles: frozenset[str] | None = None  # shown to holders of one of these roles (None: every signed-in user)


@dataclass(frozen=True)
class Action:
    """A button on the workbench for what the user's roles let them start (e.g. log an incident):
    offered when the user holds `permission`, or, when it names an `operation`, when that operation
    is the user's to take now (the one place that knows the rule)."""

    key: str
    label: str | Promise
    permission: str
    url_name: str
    order: int = 100
    operation: str = ""

    def offered_to(self, user) -> bool:
        if self.operation:
            return operations.get(self.operation).allowed(user=user, target=None)
        return user.has_perm(self.permission)


_FIGURES: dict[str, Figure] = {}
_ACTIONS: dict[str, Action] = {}


def register(figure: Figure) -> None:
    _FIGURES[figure.key] = figure


def register_action(action: Action) -> None:
    _ACTIONS[action.key] = action


def actions_for(user) -> list[dict]:
    return [{"key": a.key, "label": a.label, "url": reverse(a.url_name)}
            for a in sorted(_ACTIONS.values(), key=lambda a: a.order) if a.offered_to(user)]


def figures_for(user) -> list[dict]:
    """The figures of the user's job: a duty officer is not shown "waiting for my decision"."""
    roles = unit_scope(user).roles()
    return [{"key": f.key, "label": f.label, "value": f.count(user), "url": reverse(f.url_name), "alert": f.alert}
            for f in sorted(_FIGURES.values(), key=lambda f: f.order)
            if f.roles is None or user.is_superuser or f.roles & roles]
