"""Figures on the workbench. Domain apps add theirs with `register()` in `AppConfig.ready()`;
each figure is one query over the user's units."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from django.utils.functional import Promise


@dataclass(frozen=True)
class Figure:
    key: str
    label: str | Promise
    count: Callable  # (user) -> int
    url_name: str
    order: int = 100
    alert: bool = False  # shown in red when not zero


_FIGURES: dict[str, Figure] = {}


def register(figure: Figure) -> None:
    _FIGURES[figure.key] = figure


def figures_for(user) -> list[dict]:
    from django.urls import reverse

    return [{"key": f.key, "label": f.label, "value": f.count(user), "url": reverse(f.url_name), "alert": f.alert}
            for f in sorted(_FIGURES.values(), key=lambda f: f.order)]
