"""Plan reminders: each lead time sent once, in the app and by e-mail; moving the due date moves
them; a real worker killed with SIGKILL mid-run still sends each exactly once."""
import os
import signal
import time
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from emergency.notify.models import Notification
from emergency.org.roles import Role
from emergency.timers.models import TimedDuty
from emergency.timers.services import duties_sweep
from plans import duties, services
from plans.models import Plan

from .factories import user_with_role
from .plan_helpers import plan_org
from .processes import celery_worker, wait_for


def _published(org, title="防汛专项应急预案"):
    general = services.plan_create(actor=org.admin, unit=org.top, plan_type="general", title=f"{title}的总体预案")
    plan = services.plan_create(actor=org.admin, unit=org.top, plan_type="special", title=title, parent=general,
                                lead_department=org.lead, sections=[{"title": "1 总则", "body": "x"}])
    Plan.objects.filter(pk=plan.pk).update(next_drill_due=timezone.localdate() + timedelta(days=60))
    plan.refresh_from_db()
    return plan


@pytest.mark.django_db
def test_each_lead_time_reminds_once_in_the_app_and_by_mail(settings, django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    org = plan_org()
    org.admin.email = "admin@example.invalid"
    org.admin.save()
    plan = _published(org)
    duties.due_set(plan=plan, what="drill", due_on=plan.next_drill_due)
    kinds = sorted(str(d.payload.get("lead_days", "overdue")) for d in
                   TimedDuty.objects.filter(subject_id=plan.pk, kind=duties.KINDS["drill"], state="scheduled"))
    assert kinds == ["30", "7", "overdue"]  # 90 days before is already past
    TimedDuty.objects.filter(subject_id=plan.pk, payload__lead_days=30).update(
        due_at=timezone.now() - timedelta(seconds=1))
    with django_capture_on_commit_callbacks(execute=True):
        assert duties_sweep() == 1 and duties_sweep() == 0
    assert Notification.objects.filter(recipient=org.admin, kind=duties.KINDS["drill"]).count() == 1
    from emergency.notify.delivery import deliver
    from emergency.notify.models import Delivery

    deliver(list(Delivery.objects.values_list("pk", flat=True)))
    assert len(mail.outbox) == 1 and "30" in mail.outbox[0].subject
    duties.due_set(plan=plan, what="drill", due_on=plan.next_drill_due + timedelta(days=100))
    assert not TimedDuty.objects.filter(subject_id=plan.pk, state="scheduled",
                                        payload__due=plan.next_drill_due.isoformat()).exists()


@pytest.mark.django_db
def test_an_overdue_item_reminds_daily_until_done():
    org = plan_org()
    plan = _published(org)
    Plan.objects.filter(pk=plan.pk).update(next_drill_due=timezone.localdate() - timedelta(days=3))
    plan.refresh_from_db()
    duties.due_set(plan=plan, what="drill", due_on=plan.next_drill_due)
    assert duties_sweep() == 1
    follow_up = TimedDuty.objects.get(subject_id=plan.pk, state="scheduled", kind=duties.KINDS["drill"])
    assert follow_up.payload["overdue"] and follow_up.due_at > timezone.now() + timedelta(hours=23)


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_reminders_are_sent_exactly_once_across_a_sigkilled_worker():
    org = plan_org()
    readers = [user_with_role(Role.LEAD_OFFICER, org.top, department=org.lead) for _ in range(2)]
    plans = [_published(org, f"专项预案{n}") for n in range(20)]
    for plan in plans:
        duties.due_set(plan=plan, what="drill", due_on=plan.next_drill_due)
    start = timezone.now() + timedelta(seconds=3)
    reminders = list(TimedDuty.objects.filter(kind=duties.KINDS["drill"], state="scheduled")
                     .exclude(payload__has_key="overdue"))
    for n, duty in enumerate(reminders):
        TimedDuty.objects.filter(pk=duty.pk).update(due_at=start + timedelta(milliseconds=30 * n))
    sweep = {"TIMERS_SWEEP_SECONDS": "1"}
    with celery_worker(concurrency=2, beat=True, env=sweep) as worker:
        time.sleep(max(0.0, (start - timezone.now()).total_seconds()) + 0.4)
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait()
    fired_before = TimedDuty.objects.filter(pk__in=[d.pk for d in reminders], state="fired").count()
    with celery_worker(concurrency=2, beat=True, env=sweep):
        wait_for(lambda: TimedDuty.objects.filter(pk__in=[d.pk for d in reminders], state="fired").count()
                 == len(reminders), timeout=40)
    assert fired_before < len(reminders)
    for duty in reminders:
        for user in [org.admin, *readers]:
            assert Notification.objects.filter(recipient=user, source_key=f"timers.timedduty:{duty.pk}").count() == 1


@pytest.mark.django_db
def test_every_unit_owes_the_first_quarter_review_and_is_reminded_until_done(client):
    from datetime import date

    from emergency.errors import NotPermitted
    from plans.annual import REMIND, ensure_duties, mark_done
    from plans.models import AnnualReviewDuty, AnnualReviewPolicy

    org = plan_org("customs")
    AnnualReviewPolicy.objects.create(organisation=org.top)
    today = timezone.localdate()
    assert ensure_duties(today=date(today.year, 1, 2)) == 2 and ensure_duties(today=date(today.year, 1, 3)) == 0
    duty = AnnualReviewDuty.objects.get(unit=org.sub)
    assert duty.year == today.year - 1 and duty.due_on == date(today.year, 3, 31)
    principal = user_with_role(Role.PRINCIPAL, org.sub)
    TimedDuty.objects.filter(kind=REMIND, subject_id=duty.pk, state="scheduled").update(
        due_at=timezone.now() - timedelta(seconds=1))
    assert duties_sweep() >= 1
    assert Notification.objects.filter(recipient=principal, kind=REMIND).exists()
    with pytest.raises(NotPermitted):
        mark_done(actor=user_with_role(Role.DUTY_OFFICER, org.sub), duty=duty)
    client.force_login(principal)
    client.post(reverse("review-duty.done", args=[duty.pk]))
    duty.refresh_from_db()
    assert duty.done_at and not TimedDuty.objects.filter(kind=REMIND, subject_id=duty.pk, state="scheduled").exists()
