"""Due dates of a plan (next drill, next evaluation, filing after publication) and their reminders:
at configurable lead times before (90, 30, 7 days) and daily once overdue, in the app and by e-mail.
Each reminder is a timed duty, so it is sent once, also across a worker restart; moving a due date
cancels the old reminders and schedules new ones."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext

from emergency import live
from emergency.notify.services import notification_send
from emergency.org.models import RoleAssignment
from emergency.org.roles import Role
from emergency.timers.models import TimedDuty
from emergency.timers.registry import handler
from emergency.timers.services import DutySpec, duties_cancel, duties_schedule

from .models import FilingTerm, Plan

KINDS = {"drill": "plans.drill.remind", "evaluation": "plans.evaluation.remind", "filing": "plans.filing.remind"}
LABELS = {"drill": "应急演练", "evaluation": "预案评估", "filing": "预案备案"}


def _at_nine(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(9, 0)))


def due_set(*, plan: Plan, what: str, due_on: date | None) -> None:
    """(Re)schedule the reminders of one due date; None clears it."""
    kind = KINDS[what]
    duties_cancel(subject=plan, kinds=[kind])
    live.publish(event="plan.due", unit_id=plan.unit_id, about=("plan", plan.pk),  # the dashboards' plan clocks move
                 data={"plan": plan.pk, "title": plan.title, "what": what, "due": due_on})
    if due_on is None:
        return
    now = timezone.now()
    specs = [DutySpec(kind, plan, _at_nine(due_on - timedelta(days=days)), plan.unit_id,
                      {"what": what, "due": due_on.isoformat(), "lead_days": days})
             for days in sorted(settings.PLAN_REMINDER_LEAD_DAYS, reverse=True)
             if _at_nine(due_on - timedelta(days=days)) > now]
    overdue_at = max(_at_nine(due_on + timedelta(days=1)), now)
    specs.append(DutySpec(kind, plan, overdue_at, plan.unit_id, {"what": what, "due": due_on.isoformat(),
                                                                   "overdue": True}))
    duties_schedule(specs)


def recipients(plan: Plan) -> set[int]:
    """The plan administrators of the plan's unit, and the people of its lead department."""
    users = set(RoleAssignment.objects.filter(unit_id=plan.unit_id, role=Role.PLAN_ADMIN)
                .values_list("user_id", flat=True))
    if plan.lead_department_id:
        users |= set(RoleAssignment.objects.filter(department_id=plan.lead_department_id)
                     .values_list("user_id", flat=True))
    return users


def _remind(duty: TimedDuty) -> None:
    plan = Plan.objects.filter(pk=duty.subject_id).select_related("unit").first()
    if plan is None:
        return
    payload = duty.payload
    what, due = payload["what"], payload["due"]
    still_due = {"drill": plan.next_drill_due, "evaluation": plan.next_evaluation_due,
                 "filing": _filing_due(plan)}[what]
    if still_due is None or still_due.isoformat() != due:
        return  # done or moved since: the current schedule has its own reminders
    if payload.get("overdue"):
        title = gettext("Overdue: %(what)s of %(plan)s (due %(due)s)") % {"what": LABELS[what], "plan": plan.title,
                                                                          "due": due}
        duties_schedule([DutySpec(duty.kind, plan, duty.due_at + timedelta(days=1), plan.unit_id, payload)])
        live.publish(event="plan.overdue", unit_id=plan.unit_id, about=("plan", plan.pk),
                     data={"plan": plan.pk, "title": plan.title, "what": what, "due": due})
    else:
        title = gettext("%(what)s of %(plan)s due in %(days)s days (%(due)s)") % {
            "what": LABELS[what], "plan": plan.title, "days": payload["lead_days"], "due": due}
    # In the app, and by e-mail (and the gateway) through the notification deliveries.
    notification_send(recipient_ids=recipients(plan), kind=duty.kind, title=title, link=f"/plans/{plan.pk}/",
                      unit_id=plan.unit_id, source_key=f"timers.timedduty:{duty.pk}")


def filing_term(plan: Plan) -> FilingTerm | None:
    """The organisation's own term for filing (the plans give none); None: no due date."""
    from emergency.org.tree import top_id

    return FilingTerm.objects.filter(organisation_id=top_id(plan.unit_id)).first()


def filing_due_on(published_at: datetime, term: FilingTerm | None) -> date | None:
    return (timezone.localtime(published_at) + timedelta(days=term.days)).date() if term else None


def _filing_due(plan: Plan) -> date | None:
    from .models import StepRecord

    edition = plan.published_edition
    if edition is None:
        return None
    filed = StepRecord.objects.filter(version_id=edition.version_id, step__kind="filing").exists()
    return None if filed else filing_due_on(edition.published_at, filing_term(plan))


filing_due = _filing_due  # the plan page's "filing due"


for _kind in KINDS.values():
    handler(_kind)(_remind)


OPINION_REMIND = "plans.opinion.remind"


def opinions_due(*, version, due_on: date) -> None:
    """Remind the consulted departments the day before, and daily once overdue, until they answer."""
    duties_cancel(subject=version, kinds=[OPINION_REMIND])
    at = max(_at_nine(due_on - timedelta(days=1)), timezone.now())
    duties_schedule([DutySpec(OPINION_REMIND, version, at, version.plan.unit_id, {"due": due_on.isoformat()})])


@handler(OPINION_REMIND)
def remind_opinions(duty: TimedDuty) -> None:
    from .models import ConsultationOpinion

    waiting = list(ConsultationOpinion.objects.filter(version_id=duty.subject_id, returned_at__isnull=True)
                   .select_related("version__plan"))
    if not waiting:
        return
    plan = waiting[0].version.plan
    users = set(RoleAssignment.objects.filter(department_id__in=[o.department_id for o in waiting if o.department_id])
                .values_list("user_id", flat=True)) | {waiting[0].requested_by_id}
    notification_send(recipient_ids=users, kind=OPINION_REMIND, link=f"/plans/{plan.pk}/", unit_id=plan.unit_id,
                      source_key=f"timers.timedduty:{duty.pk}",
                      title=gettext("Written opinion on %(plan)s due %(due)s") % {"plan": plan.title,
                                                                                 "due": duty.payload["due"]})
    duties_schedule([DutySpec(duty.kind, waiting[0].version, duty.due_at + timedelta(days=1), plan.unit_id,
                              duty.payload)])
