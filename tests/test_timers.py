"""Timed duties: a row per deadline or reminder, fired once by a real worker, also across a SIGKILL."""
import os
import signal
import time
from datetime import timedelta

import pytest
from django.utils import timezone

from emergency.audit.models import AuditEntry
from emergency.notify.duties import REMINDER
from emergency.notify.models import Notification
from emergency.timers import services
from emergency.timers.models import TimedDuty
from emergency.timers.services import DutySpec

from .factories import UnitFactory, UserFactory
from .processes import celery_worker, wait_for


def _reminder(unit, users, due_at, title="演练提醒"):
    return services.duty_schedule(kind=REMINDER, subject=unit, due_at=due_at, unit_id=unit.pk,
                                  payload={"user_ids": [u.pk for u in users], "title": title})


@pytest.mark.django_db
def test_a_due_duty_fires_once_and_notifies_each_recipient_once():
    unit, users = UnitFactory(), [UserFactory(), UserFactory()]
    duty = _reminder(unit, users, timezone.now() - timedelta(seconds=1))
    assert services.duty_fire(duty_id=duty.pk) is True
    assert services.duty_fire(duty_id=duty.pk) is False
    duty.refresh_from_db()
    assert duty.state == TimedDuty.State.FIRED and duty.fired_at is not None
    assert Notification.objects.filter(source_key=f"timers.timedduty:{duty.pk}").count() == 2
    assert AuditEntry.objects.filter(action="duty.fired", object_id=str(duty.pk)).count() == 1


@pytest.mark.django_db
def test_a_duty_not_yet_due_does_not_fire():
    duty = _reminder(UnitFactory(), [UserFactory()], timezone.now() + timedelta(minutes=5))
    assert services.duty_fire(duty_id=duty.pk) is False
    assert services.duties_sweep() == 0
    assert not Notification.objects.exists()


@pytest.mark.django_db
def test_a_moved_duty_ignores_the_message_queued_for_its_old_time():
    duty = _reminder(UnitFactory(), [UserFactory()], timezone.now() - timedelta(seconds=1))
    old_token = str(duty.token)
    services.duty_reschedule(duty=duty, due_at=timezone.now() - timedelta(milliseconds=1))
    assert services.duty_fire(duty_id=duty.pk, token=old_token) is False
    duty.refresh_from_db()
    assert services.duty_fire(duty_id=duty.pk, token=str(duty.token)) is True


@pytest.mark.django_db
def test_cancelled_duties_never_fire():
    unit = UnitFactory()
    duty = _reminder(unit, [UserFactory()], timezone.now() - timedelta(seconds=1))
    assert services.duties_cancel(subject=unit) == 1
    assert services.duties_sweep() == 0
    duty.refresh_from_db()
    assert duty.state == TimedDuty.State.CANCELLED


@pytest.mark.django_db
def test_an_unknown_kind_is_refused_when_scheduled():
    with pytest.raises(LookupError):
        services.duty_schedule(kind="nobody.handles.this", subject=UnitFactory(), due_at=timezone.now())


@pytest.mark.django_db
def test_with_the_broker_down_a_write_tries_once_and_leaves_its_near_duties_to_the_sweeper(
        monkeypatch, django_capture_on_commit_callbacks):
    from kombu.exceptions import OperationalError

    from emergency.timers import tasks

    tries = []

    def broker_down(*args, **kwargs):
        tries.append(args)
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(tasks.fire_duty, "apply_async", broker_down)
    unit = UnitFactory()
    due = timezone.now() + timedelta(seconds=5)
    with django_capture_on_commit_callbacks(execute=True):
        duties = services.duties_schedule([DutySpec(REMINDER, unit, due, unit.pk, {"user_ids": []}) for _ in range(20)])
    assert len(tries) == 1  # each try waits ~0.6 s for a refused broker: twenty would hold the request 12 s
    assert TimedDuty.objects.filter(pk__in=[d.pk for d in duties], enqueued_at__isnull=True).count() == 20


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_real_worker_fires_a_duty_at_its_time():
    unit, user = UnitFactory(), UserFactory()
    with celery_worker():
        due_at = timezone.now() + timedelta(seconds=2)
        duty = _reminder(unit, [user], due_at)
        notification = wait_for(lambda: Notification.objects.filter(recipient=user).first(), timeout=20)
    duty.refresh_from_db()
    assert duty.state == TimedDuty.State.FIRED
    lateness = (duty.fired_at - due_at).total_seconds()
    assert 0 <= lateness < 1.5, lateness
    assert notification.title == "演练提醒"


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_duties_fire_exactly_once_across_a_sigkilled_worker():
    unit, users = UnitFactory(), [UserFactory(), UserFactory()]
    sweep = {"TIMERS_SWEEP_SECONDS": "1"}
    with celery_worker(concurrency=2, beat=True, env=sweep) as worker:
        due_at = timezone.now() + timedelta(seconds=3)
        duties = [_reminder(unit, users, due_at + timedelta(milliseconds=20 * n), title=f"提醒{n}") for n in range(60)]
        time.sleep(max(0.0, (due_at - timezone.now()).total_seconds()) + 0.3)  # kill while duties are firing
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait()
    fired_before_restart = TimedDuty.objects.filter(state=TimedDuty.State.FIRED).count()
    with celery_worker(concurrency=2, beat=True, env=sweep):
        wait_for(lambda: not TimedDuty.objects.filter(state=TimedDuty.State.SCHEDULED).exists(), timeout=40)
    assert fired_before_restart < len(duties)  # the kill really interrupted the work
    for duty in duties:
        assert Notification.objects.filter(source_key=f"timers.timedduty:{duty.pk}").count() == len(users)
        assert AuditEntry.objects.filter(action="duty.fired", object_id=str(duty.pk)).count() == 1
