"""A warning ends when it is lifted or when it reaches the end of its validity (CAP <expires>) without
being lifted. Either way the measures taken end with it (city plan 3.2.2 4) "解除已經採取的有關措施"):
the apps above alerts register here what they release (resources frees the teams, supplies and
equipment put on standby), and it runs once, inside the ending's transaction.

Expiry is a timed duty (emergency.timers): each issued version schedules or moves the warning's
duty to its new `expires_at`, lifting cancels it. The duty fires once, even across a worker's restart
(the sweeper fires what a lost message missed), and firing checks the warning is still in force and
due, so a duty left behind by a moved end time changes nothing."""
from __future__ import annotations

from typing import Callable

from django.utils import timezone
from django.utils.translation import gettext as _

from emergency import live
from emergency.timers.models import TimedDuty
from emergency.timers.registry import handler
from emergency.timers.services import duties_cancel, duty_reschedule, duty_schedule

from .models import EarlyWarning, WarningMeasure

EXPIRE = "alerts.warning.expire"
IN_FORCE_STATES = (EarlyWarning.State.ISSUED, EarlyWarning.State.ESCALATED)

# Each function is called as f(actor=, warning=, ended=) with ended "lift" (actor: who lifted) or
# "expire" (actor None: nobody acted, the warning ran out). alerts imports none of them.
_end_hooks: list[Callable[..., None]] = []


def on_lift(function: Callable[..., None]) -> Callable[..., None]:
    """Register what to release when a warning ends, lifted or expired."""
    if function not in _end_hooks:
        _end_hooks.append(function)
    return function


def warning_ended(*, actor, warning: EarlyWarning, ended: str) -> None:
    for hook in _end_hooks:
        hook(actor=actor, warning=warning, ended=ended)


def expiry_schedule(warning: EarlyWarning) -> None:
    """The warning's expiry duty at its current `expires_at` (one scheduled duty per warning)."""
    if warning.expires_at is None:
        return
    pending = (TimedDuty.objects.filter(kind=EXPIRE, subject_type=EarlyWarning._meta.label_lower,
                                        subject_id=warning.pk, state=TimedDuty.State.SCHEDULED).first())
    if pending is None:
        duty_schedule(kind=EXPIRE, subject=warning, due_at=warning.expires_at, unit_id=warning.unit_id)
    elif pending.due_at != warning.expires_at:
        duty_reschedule(duty=pending, due_at=warning.expires_at)


def expiry_cancel(warning: EarlyWarning) -> None:
    duties_cancel(subject=warning, kinds=[EXPIRE])


@handler(EXPIRE)
def expire(duty: TimedDuty) -> None:
    """The warning ran out without being lifted: release what it put in place, and take it off the
    screens (its frame is empty now that it is no longer in force)."""
    warning = EarlyWarning.objects.select_for_update().filter(pk=duty.subject_id).first()
    if warning is None or warning.state not in IN_FORCE_STATES or warning.expires_at is None:
        return
    if warning.expires_at > timezone.now():  # moved later without its duty following: follow it now
        duty_schedule(kind=EXPIRE, subject=warning, due_at=warning.expires_at, unit_id=warning.unit_id)
        return
    WarningMeasure.objects.filter(warning=warning).exclude(status=WarningMeasure.Status.DONE).update(
        status=WarningMeasure.Status.LIFTED, note=_("The warning expired."))
    warning_ended(actor=None, warning=warning, ended="expire")
    live.publish(event="warning.expire", unit_id=warning.unit_id, about=("warning", warning.pk),
                 data={"warning": warning.pk, "level": warning.level, "colour": warning.colour,
                       "state": warning.state, "title": warning.title})
