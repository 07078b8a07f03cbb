"""Scheduling, moving, cancelling and firing timed duties."""
from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone, translation

from emergency.audit.services import audit_record
from emergency.closing import closing

from .models import TimedDuty
from .registry import handler_for

logger = logging.getLogger(__name__)


def _subject(subject: models.Model) -> tuple[str, int]:
    return subject._meta.label_lower, subject.pk


def _horizon() -> datetime:
    return timezone.now() + timedelta(seconds=settings.TIMERS_ENQUEUE_HORIZON_SECONDS)


def _enqueue_after_commit(duties: list[TimedDuty]) -> None:
    """Queue one message per duty (eta=due_at) once the transaction commits."""
    from .tasks import fire_duty  # tasks import services; import late to keep one direction at load time

    messages = [(duty.pk, str(duty.token), duty.due_at) for duty in duties]
    if not messages:
        return

    def send() -> None:
        for n, (duty_id, token, due_at) in enumerate(messages):
            try:
                fire_duty.apply_async(args=[duty_id, token], eta=due_at)
            except Exception:  # broker down: stop trying (each try waits), the sweeper queues or fires them
                lost = [message[0] for message in messages[n:]]
                logger.warning("could not enqueue timed duties %s; the sweeper will take them", lost)
                TimedDuty.objects.filter(pk__in=lost).update(enqueued_at=None)
                return

    # robust: the change is committed; a failure here (broker, then database) must not fail the request
    transaction.on_commit(send, robust=True)


@dataclass
class DutySpec:
    kind: str
    subject: models.Model
    due_at: datetime
    unit_id: int | None = None
    payload: dict[str, Any] = field(default_factory=dict)


def duties_schedule(specs: list[DutySpec]) -> list[TimedDuty]:
    """Schedule several duties in one INSERT (atomic by itself; inside the caller's transaction
    when there is one); only those due soon get a message, after commit."""
    horizon, now = _horizon(), timezone.now()
    duties = []
    for spec in specs:
        handler_for(spec.kind)  # refuse a kind nobody handles now, not when it is due
        subject_type, subject_id = _subject(spec.subject)
        duties.append(TimedDuty(kind=spec.kind, subject_type=subject_type, subject_id=subject_id,
                                unit_id=spec.unit_id, due_at=spec.due_at, payload=spec.payload or {},
                                enqueued_at=now if spec.due_at <= horizon else None))
    TimedDuty.objects.bulk_create(duties)
    _enqueue_after_commit([d for d in duties if d.enqueued_at is not None])
    return duties


def duty_schedule(*, kind: str, subject: models.Model, due_at: datetime, unit_id: int | None = None,
                  payload: dict[str, Any] | None = None) -> TimedDuty:
    return duties_schedule([DutySpec(kind, subject, due_at, unit_id, payload or {})])[0]


@transaction.atomic
def duty_reschedule(*, duty: TimedDuty, due_at: datetime) -> TimedDuty:
    """Move a scheduled duty; the message already queued for the old time becomes void."""
    duty = TimedDuty.objects.select_for_update().get(pk=duty.pk)
    if duty.state != TimedDuty.State.SCHEDULED:
        return duty
    duty.due_at = due_at
    duty.token = uuid.uuid4()
    duty.enqueued_at = timezone.now() if due_at <= _horizon() else None
    duty.save(update_fields=["due_at", "token", "enqueued_at"])
    if duty.enqueued_at:
        _enqueue_after_commit([duty])
    return duty


@transaction.atomic
def duties_enqueue_upcoming(*, limit: int = 1000) -> int:
    """Queue messages for duties that came within the horizon since they were scheduled."""
    duties = list(TimedDuty.objects.select_for_update(skip_locked=True)
                  .filter(state=TimedDuty.State.SCHEDULED, enqueued_at__isnull=True, due_at__lte=_horizon())
                  .order_by("due_at")[:limit])
    if duties:
        TimedDuty.objects.filter(pk__in=[d.pk for d in duties]).update(enqueued_at=timezone.now())
        _enqueue_after_commit(duties)
    return len(duties)


@transaction.atomic
def duties_cancel(*, subject: models.Model, kinds: list[str] | None = None) -> int:
    """Cancel the subject's scheduled duties (all, or those of `kinds`)."""
    subject_type, subject_id = _subject(subject)
    pending = TimedDuty.objects.filter(subject_type=subject_type, subject_id=subject_id,
                                       state=TimedDuty.State.SCHEDULED)
    if kinds is not None:
        pending = pending.filter(kind__in=kinds)
    return pending.update(state=TimedDuty.State.CANCELLED, cancelled_at=timezone.now())


def duty_fire(*, duty_id: int, token: str | None = None) -> bool:
    """Fire one duty if it is due and still scheduled. True when this call fired it.

    `token` comes from a queued message: a duty moved since (new token) ignores the old message.
    The sweeper passes no token. Rows another executor is firing right now are skipped. The
    handler's audit entries and live events are written at the end, as an operation's are
    (emergency.closing).
    """
    with closing():
        duty = TimedDuty.objects.select_for_update(skip_locked=True).filter(pk=duty_id).first()
        if duty is None or duty.state != TimedDuty.State.SCHEDULED:
            return False
        if token is not None and str(duty.token) != token:
            return False
        now = timezone.now()
        if duty.due_at > now:
            return False
        with translation.override(settings.LANGUAGE_CODE):  # what a duty writes is in the platform's language
            handler_for(duty.kind)(duty)
        duty.state = TimedDuty.State.FIRED
        duty.fired_at = now
        duty.save(update_fields=["state", "fired_at"])
        audit_record(actor=None, unit_id=duty.unit_id, action="duty.fired", target=duty,
                     after={"kind": duty.kind, "due_at": duty.due_at.isoformat(), "fired_at": now.isoformat()})
    logger.info("timed duty %s (%s) fired %.3fs after due", duty.pk, duty.kind, (now - duty.due_at).total_seconds())
    return True


def duties_sweep(*, limit: int = 500) -> int:
    """Fire every overdue duty that a lost message missed, then queue the ones coming near.
    Returns how many fired."""
    overdue = list(
        TimedDuty.objects.filter(state=TimedDuty.State.SCHEDULED, due_at__lte=timezone.now())
        .order_by("due_at").values_list("pk", flat=True)[:limit]
    )
    fired = 0
    for pk in overdue:
        try:
            fired += duty_fire(duty_id=pk)
        except Exception:  # one broken handler must not stop the others; it is retried next sweep
            logger.exception("timed duty %s failed to fire", pk)
    duties_enqueue_upcoming()
    return fired
