"""Reporting deadlines fired by a real Celery worker: at their time, never when met, once across a SIGKILL."""
import os
import signal
import time

import pytest
from django.utils import timezone

from emergency.audit.models import AuditEntry
from emergency.notify.models import Notification
from emergency.org.roles import Role
from emergency.timers.models import TimedDuty
from incidents import services
from incidents.models import ReportingDeadline

from .factories import UnitFactory, user_with_role
from .processes import celery_worker, wait_for

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

SHORT = {"superior_report": 3, "public_release": 3600, "press_conference": 7200}


@pytest.fixture
def short_deadlines(settings, grading_tables):
    settings.INCIDENT_DEADLINE_SECONDS = SHORT
    settings.INCIDENT_REMINDER_MARKS_SECONDS = [1]


def _log(officer, unit, title="仓库火灾"):
    now = timezone.now()
    return services.incident_log(actor=officer, unit=unit, type_code="work_safety", title=title, address="港口",
                                 occurred_at=now, received_at=now, body="首报", metrics={"deaths": 1})


def test_a_real_worker_marks_the_missed_hour_late_at_its_time_and_leaves_the_met_one(short_deadlines):
    city = UnitFactory(code="city", name="贵港市")
    county = UnitFactory(code="county", name="港北区", parent=city)
    officer = user_with_role(Role.DUTY_OFFICER, county)
    superior_officer = user_with_role(Role.DUTY_OFFICER, city)
    with celery_worker():
        met = _log(officer, county, "已按时上报")
        services.report_send_up(actor=officer, report=met.reports.get())
        missed = _log(officer, county, "未上报")
        deadline = missed.deadlines.get(kind="superior_report")
        wait_for(lambda: ReportingDeadline.objects.get(pk=deadline.pk).state == "late", timeout=20)
        time.sleep(1.5)  # room for a wrong second firing or a late firing of the met deadline
    deadline.refresh_from_db()
    lateness = (deadline.missed_at - deadline.due_at).total_seconds()
    assert 0 <= lateness < 1.5, lateness
    assert Notification.objects.filter(recipient=superior_officer, link__endswith=f"/incidents/{missed.pk}/").count() == 1
    reminders = Notification.objects.filter(recipient=officer, kind="incidents.deadline.remind")
    assert [n.link for n in reminders] == [f"/incidents/{missed.pk}/"]  # the met deadline reminded nobody
    assert met.deadlines.get(kind="superior_report").state == "met"
    assert AuditEntry.objects.filter(action="incident.deadline.late").count() == 1


def test_deadlines_fire_exactly_once_across_a_sigkilled_worker(short_deadlines):
    city = UnitFactory(code="city", name="贵港市")
    county = UnitFactory(code="county", name="港北区", parent=city)
    officer = user_with_role(Role.DUTY_OFFICER, county)
    superior_officers = [user_with_role(Role.DUTY_OFFICER, city) for _ in range(2)]
    sweep = {"TIMERS_SWEEP_SECONDS": "1"}
    with celery_worker(concurrency=2, beat=True, env=sweep) as worker:
        incidents = [_log(officer, county, f"事件{n}") for n in range(30)]
        first_due = min(i.deadlines.get(kind="superior_report").due_at for i in incidents)
        time.sleep(max(0.0, (first_due - timezone.now()).total_seconds()) + 0.2)
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait()
    late_before = ReportingDeadline.objects.filter(state="late").count()
    with celery_worker(concurrency=2, beat=True, env=sweep):
        wait_for(lambda: ReportingDeadline.objects.filter(kind="superior_report", state="late").count() == 30,
                 timeout=40)
        wait_for(lambda: not TimedDuty.objects.filter(state="scheduled", due_at__lte=timezone.now()).exists(),
                 timeout=20)
    assert late_before < 30
    for incident in incidents:
        deadline = incident.deadlines.get(kind="superior_report")
        assert AuditEntry.objects.filter(action="incident.deadline.late", object_id=str(deadline.pk)).count() == 1
        for user in superior_officers:
            assert Notification.objects.filter(recipient=user, link=f"/incidents/{incident.pk}/").count() == 1
