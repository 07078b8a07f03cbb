"""The first-quarter annual review each unit owes (customs plan 3.4.2; city plan 3.4.2 2) for the
city, the counties and the townships): created for the year by a
daily beat task, reminded at the plan lead times, marked done by the unit's leaders."""
from __future__ import annotations

from datetime import date, timedelta

from celery import shared_task
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from emergency.audit.services import audit_record
from emergency.errors import Conflict, NotPermitted
from emergency.notify.services import notification_send
from emergency.org.models import OrgUnit, RoleAssignment, User
from emergency.org.roles import Role
from emergency.org.scope import unit_scope
from emergency.timers.models import TimedDuty
from emergency.timers.registry import handler
from emergency.timers.services import DutySpec, duties_cancel, duties_schedule

from .duties import _at_nine
from .models import AnnualReviewDuty, AnnualReviewPolicy

REMIND = "plans.annual_review.remind"
LEADERS = (Role.PRINCIPAL, Role.COMMANDER, Role.PLAN_ADMIN)


@transaction.atomic
def ensure_duties(*, today: date | None = None) -> int:
    """Create this year's review duties (of last year's incidents) where missing. Idempotent."""
    today = today or timezone.localdate()
    made = 0
    for policy in AnnualReviewPolicy.objects.select_related("organisation"):
        due_on = date(today.year, policy.due_month, policy.due_day)
        units = OrgUnit.objects.descendants(policy.organisation, include_self=True).exclude(
            kind__in=[OrgUnit.Kind.COMMAND_BODY, OrgUnit.Kind.CUSTOMS_REGION])
        existing = set(AnnualReviewDuty.objects.filter(year=today.year - 1).values_list("unit_id", flat=True))
        for unit in units:
            if unit.pk in existing:
                continue
            duty = AnnualReviewDuty.objects.create(unit=unit, year=today.year - 1, due_on=due_on)
            _schedule(duty)
            made += 1
    return made


def _schedule(duty: AnnualReviewDuty) -> None:
    now = timezone.now()
    specs = [DutySpec(REMIND, duty, _at_nine(duty.due_on - timedelta(days=days)), duty.unit_id, {"lead_days": days})
             for days in settings.PLAN_REMINDER_LEAD_DAYS if _at_nine(duty.due_on - timedelta(days=days)) > now]
    specs.append(DutySpec(REMIND, duty, max(_at_nine(duty.due_on + timedelta(days=1)), now), duty.unit_id,
                          {"overdue": True}))
    duties_schedule(specs)


@transaction.atomic
def mark_done(*, actor: User, duty: AnnualReviewDuty) -> AnnualReviewDuty:
    duty = AnnualReviewDuty.objects.select_for_update().get(pk=duty.pk)
    if not any(unit_scope(actor).has_role(role, duty.unit_id) for role in LEADERS):
        raise NotPermitted(_("You do not have permission to perform this action."))
    if duty.done_at:
        raise Conflict(_("This annual review is already done."))
    duty.done_at, duty.done_by = timezone.now(), actor
    duty.save(update_fields=["done_at", "done_by"])
    duties_cancel(subject=duty)
    audit_record(actor=actor, unit_id=duty.unit_id, action="plans.annual_review.done", target=duty,
                 after={"year": duty.year})
    return duty


@handler(REMIND)
def remind(timed: TimedDuty) -> None:
    duty = AnnualReviewDuty.objects.select_related("unit").filter(pk=timed.subject_id).first()
    if duty is None or duty.done_at:
        return
    if timed.payload.get("overdue"):
        duties_schedule([DutySpec(REMIND, duty, timed.due_at + timedelta(days=1), duty.unit_id, timed.payload)])
        title = gettext("Overdue: the annual review of %(year)s for %(unit)s (due %(due)s)")
    else:
        title = gettext("The annual review of %(year)s for %(unit)s is due %(due)s")
    users = set(RoleAssignment.objects.filter(unit_id=duty.unit_id, role__in=LEADERS).values_list("user_id", flat=True))
    notification_send(recipient_ids=users, kind=REMIND, unit_id=duty.unit_id, link="/incidents/review/",
                      source_key=f"timers.timedduty:{timed.pk}",
                      title=title % {"year": duty.year, "unit": duty.unit.name, "due": duty.due_on.isoformat()})


@shared_task(ignore_result=True)
def ensure_annual_review_duties() -> int:
    return ensure_duties()
