"""What the inbox asks of the domain apps, which register here in their `AppConfig.ready()` (the
core imports none of them):

- `pending(kind)`: the `source_key`s of notifications of that kind whose underlying record still
  waits for someone to act (an order not yet acknowledged, a decision not yet taken). The inbox
  keeps those under "to act on" until the record's own state changes; nothing is copied here.
- `subject(...)`: a thing notifications can be filtered by (an incident), with the choices a user
  may pick and the notifications that are about one of them.
- `kind_label(kind, label)`: how a kind is named on the page."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from django.db.models import Q, QuerySet
from django.utils.functional import Promise

_pending: dict[str, Callable[[], QuerySet]] = {}
_labels: dict[str, str | Promise] = {}


@dataclass(frozen=True)
class Subject:
    name: str                                        # the filter's parameter, e.g. "incident"
    label: str | Promise
    choices: Callable[..., list[tuple[int, str]]]    # (user) → the ones this user may pick, newest first
    about: Callable[..., Q | None]                   # (user, pk) → notifications about it; None: not visible


_subjects: dict[str, Subject] = {}


def pending(kind: str):
    """Register `function() -> QuerySet` of the source keys (strings) still waiting to be acted on."""
    def register(function: Callable[[], QuerySet]):
        _pending[kind] = function
        return function
    return register


def subject(item: Subject) -> None:
    _subjects[item.name] = item


def subjects() -> list[Subject]:
    return list(_subjects.values())


def kind_label(kind: str, label: str | Promise) -> None:
    _labels[kind] = label


def label_of(kind: str) -> str:
    return str(_labels.get(kind, kind))


def kinds() -> list[tuple[str, str]]:
    return sorted(((kind, str(label)) for kind, label in _labels.items()), key=lambda pair: pair[1])


def to_act_on() -> Q:
    """Notifications whose record still waits: one subquery per registered kind, in one SQL query."""
    condition = None
    for kind, keys in _pending.items():
        term = Q(kind=kind, source_key__in=keys())
        condition = term if condition is None else condition | term
    return condition if condition is not None else Q(pk__isnull=True)  # nothing registered: none waits


def keys_of(prefix: str, records: QuerySet) -> QuerySet:
    """The source keys `<prefix><id>` of `records` (a subquery, e.g. "response.order:" + order id)."""
    from django.db.models import CharField, Value
    from django.db.models.functions import Cast, Concat

    return records.annotate(_key=Concat(Value(prefix), Cast("pk", CharField()))).values("_key")


def timed_duty_keys(*, kind: str, subject_type: str, subject_ids: QuerySet) -> QuerySet:
    """The source keys of the notifications the timed duties of `kind` on those subjects sent."""
    from emergency.timers.models import TimedDuty

    return keys_of("timers.timedduty:", TimedDuty.objects.filter(kind=kind, subject_type=subject_type,
                                                                  subject_id__in=subject_ids))
