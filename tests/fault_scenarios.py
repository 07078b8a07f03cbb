"""Fault scenarios shared by tests/test_faults.py (short, in CI) and bench/faults/ (full length).

Each runs against the current (test) database with real worker processes and returns its figures;
the caller asserts on them (a test) or prints them (a bench script).
"""
from __future__ import annotations

import os
import signal
import time
from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Count
from django.test.utils import override_settings
from django.utils import timezone

from emergency.audit.models import AuditEntry
from emergency.notify.duties import REMINDER
from emergency.notify.models import Delivery, Notification
from emergency.notify.services import notification_send
from emergency.org.models import OrgUnit, User
from emergency.timers.models import TimedDuty
from emergency.timers.services import DutySpec, duties_schedule

from .gateway import Gateway
from .processes import celery_worker, wait_for


def sleep_until(moment) -> None:
    time.sleep(max(0.0, (moment - timezone.now()).total_seconds()))


def fired_once(ids: list[int], recipients: int) -> int:
    """How many of these duties fired with exactly one audit entry and one notification per recipient."""
    audits = dict(AuditEntry.objects.filter(action="duty.fired", object_id__in=[str(pk) for pk in ids])
                  .values_list("object_id").annotate(n=Count("id")))
    notes = dict(Notification.objects.filter(source_key__in=[f"timers.timedduty:{pk}" for pk in ids])
                 .values_list("source_key").annotate(n=Count("id")))
    fired = TimedDuty.objects.filter(pk__in=ids, state=TimedDuty.State.FIRED).values_list("pk", flat=True)
    return sum(audits.get(str(pk)) == 1 and notes.get(f"timers.timedduty:{pk}") == recipients for pk in fired)


@dataclass
class WorkerKilled:
    duties: int
    fired_before_kill: int
    fired_once: int  # fired, one audit entry, one notification per recipient
    max_lateness: float  # seconds from due to fired, over all duties
    sweep_seconds: float

    def summary(self) -> str:
        return (f"worker killed: {self.fired_once}/{self.duties} fired exactly once "
                f"({self.fired_before_kill} before the kill), max lateness {self.max_lateness:.1f} s "
                f"(sweeper every {self.sweep_seconds:g} s)")


def worker_killed(*, duties: int = 200, lead: float = 4.0, window: float = 10.0, sweep: float = 1.0,
                  recipients: int = 2) -> WorkerKilled:
    """`duties` reminders due evenly over `window` seconds (starting `lead` seconds from now);
    the worker (with beat) is SIGKILLed half-way through and restarted at once."""
    unit = OrgUnit.objects.create(code=f"kill-{time.monotonic_ns()}", name="演练单位", name_en="Drill unit",
                                  kind=OrgUnit.Kind.CITY)
    users = User.objects.bulk_create(User(username=f"kill-{unit.pk}-{n}") for n in range(recipients))
    env = {"TIMERS_SWEEP_SECONDS": str(sweep)}
    with celery_worker(concurrency=2, beat=True, env=env) as worker:
        start = timezone.now() + timedelta(seconds=lead)
        step = timedelta(seconds=window / duties)
        recipients_ids = [u.pk for u in users]
        scheduled = duties_schedule([
            DutySpec(REMINDER, unit, start + n * step, unit.pk, {"user_ids": recipients_ids, "title": f"提醒{n}"})
            for n in range(duties)])
        sleep_until(start + timedelta(seconds=window / 2))
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait()
    ids = [d.pk for d in scheduled]
    fired_before = TimedDuty.objects.filter(pk__in=ids, state=TimedDuty.State.FIRED).count()
    with celery_worker(concurrency=2, beat=True, env=env):
        wait_for(lambda: not TimedDuty.objects.filter(pk__in=ids, state=TimedDuty.State.SCHEDULED).exists(),
                 timeout=window + lead + 60)
    once = fired_once(ids, recipients)
    rows = TimedDuty.objects.filter(pk__in=ids, state=TimedDuty.State.FIRED).values_list("due_at", "fired_at")
    lateness = max((fired - due).total_seconds() for due, fired in rows)
    return WorkerKilled(duties=duties, fired_before_kill=fired_before, fired_once=once, max_lateness=lateness,
                        sweep_seconds=sweep)


@dataclass
class GatewayOutage:
    outage: float
    deliveries: int
    sent: int
    failed: int
    delivered_keys: int  # distinct idempotency keys the gateway accepted
    repeats: int  # requests for a key it had already accepted (a second copy, had it not deduplicated)
    refused: int  # requests answered 503 during the outage
    max_attempts: int
    drained_after: float  # seconds from the gateway's recovery to the last delivery sent

    def summary(self) -> str:
        return (f"gateway down {self.outage:g} s: {self.delivered_keys}/{self.deliveries} webhooks delivered, "
                f"{self.repeats} sent twice, {self.failed} failed; {self.refused} refused requests, "
                f"up to {self.max_attempts} attempts each, all out {self.drained_after:.1f} s after recovery")


def gateway_outage(*, outage: float = 20.0, batches: int = 10, recipients: int = 20, backoff: float = 0.25,
                   sweep: float = 1.0) -> GatewayOutage:
    """The webhook gateway answers 503 for `outage` seconds while `batches` warnings (each to
    `recipients` people) are sent at even intervals; then it recovers and everything drains."""
    gateway = Gateway()
    people = User.objects.bulk_create(
        User(username=f"gw-{time.monotonic_ns()}-{n}", phone=f"139{n:08d}") for n in range(recipients))
    env = {"NOTIFY_WEBHOOK_URL": gateway.url, "NOTIFY_WEBHOOK_SECRET": "test-secret",
           "NOTIFY_BACKOFF_SECONDS": str(backoff), "TIMERS_SWEEP_SECONDS": str(sweep)}
    keys = [f"outage:{time.monotonic_ns()}:{n}" for n in range(batches)]
    try:
        with override_settings(NOTIFY_WEBHOOK_URL=gateway.url), celery_worker(concurrency=2, beat=True, env=env):
            gateway.failing = True
            began = time.monotonic()
            for n, key in enumerate(keys):
                time.sleep(max(0.0, began + n * outage / batches - time.monotonic()))
                notification_send(recipient_ids=[p.pk for p in people], kind="warning", title=f"暴雨预警{n}",
                                  source_key=key)
            time.sleep(max(0.0, began + outage - time.monotonic()))
            with gateway.lock:
                gateway.failing = False
                refused = gateway.requests
            recovered = timezone.now()
            rows = Delivery.objects.filter(notification__source_key__in=keys, channel=Delivery.Channel.WEBHOOK)
            wait_for(lambda: not rows.filter(state=Delivery.State.QUEUED).exists(), timeout=outage * 2 + 120)
    finally:
        gateway.close()
    last_sent = max((d.sent_at for d in rows if d.sent_at), default=recovered)
    return GatewayOutage(
        outage=outage, deliveries=rows.count(), sent=rows.filter(state=Delivery.State.SENT).count(),
        failed=rows.filter(state=Delivery.State.FAILED).count(), delivered_keys=len(gateway.delivered),
        repeats=gateway.repeats, refused=refused, max_attempts=max(d.attempts for d in rows),
        drained_after=(last_sent - recovered).total_seconds())
