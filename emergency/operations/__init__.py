"""Operations: every write the platform offers, declared once.

An operation names its input (one DRF serializer), the states its target may be in (a lifecycle's
transition table), the authority it needs (a guard that raises the real reason), and the service that
carries it out. The pages (`emergency.operations.pages`) bind the serializer to a form post, the API
(`emergency.operations.api`) to JSON; templates and the API ask `available(user, target)` which
operations a user may take on an object now instead of comparing state strings.

Each app declares its operations in its own `operations.py` and registers them at import; the app's
`urls.py` imports that module, so the registry is complete once the URLconf is loaded.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, NamedTuple

from django.db import models
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from emergency.closing import closing
from emergency.errors import Conflict, DomainError

Guard = Callable[[Any, Any], None]


class Transition(NamedTuple):
    sources: frozenset[str]          # the states the operation may start from
    target: str | None = None        # the state it leaves behind (None: unchanged)
    refusal: Any = None              # what to say in any other state (default: names the state)


@dataclass(frozen=True)
class Lifecycle:
    """The states of one record and, for each operation (verb), the transition it may make."""

    states: type[models.TextChoices]
    transitions: dict[str, Transition]

    def sources(self, verb: str) -> frozenset[str]:
        return self.transitions[verb].sources

    def target(self, verb: str) -> str | None:
        return self.transitions[verb].target

    def label(self, state: str) -> str:
        return dict(self.states.choices).get(state, state)

    def require(self, verb: str, record, *, state_attr: str = "state") -> None:
        """Raise Conflict unless `record` is in a state `verb` may start from. Services call it on the
        locked row; the pages and the API call it (through the operation) before offering `verb`."""
        state = getattr(record, state_attr)
        transition = self.transitions[verb]
        if state not in transition.sources:
            raise Conflict(transition.refusal or _("This cannot be done while it is %(state)s.")
                           % {"state": self.label(state)})  # code "conflict", as every refused transition


class EmptyInput(serializers.Serializer):
    """An operation that takes nothing but its target."""


@dataclass(frozen=True)
class Operation:
    name: str                              # "<model key>.<verb>", e.g. "warning.lift"
    label: Any                             # the button, lazily translated
    run: Callable[..., Any]                # run(actor=, target=, **validated input) -> the result
    model: type[models.Model] | None = None  # the target's model; None for one on a collection ("draft")
    input: type[serializers.Serializer] = EmptyInput
    output: type[serializers.Serializer] | None = None  # the API's answer (the result, serialised)
    lifecycle: Lifecycle | None = None
    state_attr: str = "state"
    guard: Guard | None = None             # guard(user, target): raises DomainError with the real reason
    success: Any = ""                      # the page's message once it is done
    created: bool = False                  # the API answers 201 (a record was made)
    danger: bool = False                   # the page asks for confirmation
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def verb(self) -> str:
        return self.name.rsplit(".", 1)[1]

    @property
    def detail(self) -> bool:
        return self.model is not None

    def check(self, *, user, target) -> None:
        """Raise the reason this user may not take this operation on `target` now (state first:
        nobody can lift a lifted warning; then authority)."""
        if self.lifecycle is not None and target is not None:
            self.lifecycle.require(self.verb, target, state_attr=self.state_attr)
        if self.guard is not None:
            self.guard(user, target)

    def allowed(self, *, user, target) -> bool:
        try:
            self.check(user=user, target=target)
        except DomainError:
            return False
        return True

    def bind(self, *, data, request, target) -> serializers.Serializer:
        return self.input(data=data, context={"request": request, "target": target, "operation": self})

    def execute(self, *, user, target, validated: dict[str, Any]) -> Any:
        """Run the service in a closing: its audit entries and live events are written at the end
        of its transaction, the frames described before commit (emergency.closing)."""
        self.check(user=user, target=target)
        with closing():
            return self.run(actor=user, target=target, **validated)


_registry: dict[str, Operation] = {}


def register(*operations: Operation) -> None:
    for operation in operations:
        if operation.name in _registry and _registry[operation.name] is not operation:
            raise ValueError(f"operation {operation.name} declared twice")
        _registry[operation.name] = operation


def get(name: str) -> Operation:
    return _registry[name]


def registered() -> list[Operation]:
    return list(_registry.values())


def for_model(model: type[models.Model] | None) -> list[Operation]:
    return [operation for operation in _registry.values() if operation.model is model]


def available(*, user, target, names: list[str] | None = None) -> list[Operation]:
    """The operations `user` may take on `target` now, in declaration order."""
    candidates = [get(name) for name in names] if names else for_model(type(target))
    return [operation for operation in candidates if operation.allowed(user=user, target=target)]
