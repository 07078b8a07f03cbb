"""The on-site command post of a response: its working groups, and the orders it gives to groups
and departments, acknowledged within a set time (an unacknowledged order reminds)."""
from __future__ import annotations

from datetime import timedelta
from typing import Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from emergency import live
from emergency.audit.services import audit_record
from emergency.errors import Conflict, NotFound, NotPermitted, ValidationFailed
from emergency.notify.services import notification_send
from emergency.org.models import Department, Expert, RoleAssignment, User
from emergency.org.roles import Role
from emergency.org.scope import unit_scope
from emergency.org.tree import reach_ids
from emergency.timers.models import TimedDuty
from emergency.timers.registry import handler
from emergency.timers.services import duties_cancel, duty_schedule

from . import authority
from .models import CommandPost, Order, Response, WorkingGroup
from .selectors import order_acknowledge_default

ORDER_REMIND = "response.order.remind"
COMMAND_ROLES = (Role.COMMANDER, Role.PRINCIPAL, Role.PARTY_COMMITTEE, Role.LEADER_IN_CHARGE)


def _active(response: Response) -> Response:
    response = (Response.objects.select_for_update(of=("self", "incident")).select_related("incident", "command_unit")
                .get(pk=response.pk))
    if response.state != Response.State.ACTIVE:
        raise Conflict(_("The response has already ended."))
    return response


def require_command(actor: User, response: Response) -> None:
    """Those who command: a leader in the commanding unit, or the authority of the current level."""
    if not unit_scope(actor).can_see(response.incident.unit_id):
        raise NotFound(_("Not found."))
    if any(unit_scope(actor).has_role(role, response.command_unit_id) for role in COMMAND_ROLES):
        return
    rule = authority.rule_for(incident=response.incident, level=response.level)
    authority.require_decider(actor, rule, incident=response.incident, command_unit=response.command_unit)


def _department_in_reach(department: Department, response: Response) -> bool:
    """A department of the commanding unit, one of its superiors, or one of its subordinates."""
    return department.unit_id in reach_ids(response.command_unit)


@transaction.atomic
def post_open(*, actor: User, response: Response, name: str, location: str,
              commander: User | None = None) -> CommandPost:
    response = _active(response)
    require_command(actor, response)
    if not name.strip() or not location.strip():
        raise ValidationFailed(_("Some fields are missing or invalid."), fields={
            key: [_("This field is required.")] for key, value in (("name", name), ("location", location))
            if not value.strip()})
    if CommandPost.objects.filter(response=response).exists():
        raise Conflict(_("This response already has a command post."))
    post = CommandPost.objects.create(response=response, name=name.strip(), location=location.strip(),
                                      commander=commander or actor, opened_at=timezone.now(), opened_by=actor)
    audit_record(actor=actor, unit_id=response.incident.unit_id, action="response.post.open", target=post,
                 after={"name": post.name, "location": post.location, "commander": post.commander_id})
    live.publish(event="response.post", unit_id=response.incident.unit_id,
                 data={"response": response.pk, "post": post.pk, "name": post.name},
                 about=("incident", response.incident.pk))
    return post


@transaction.atomic
def group_add(*, actor: User, post: CommandPost, kind: str, lead_department: Department,
              departments: Iterable[Department] = (), experts: Iterable[Expert] = ()) -> WorkingGroup:
    response = _active(post.response)
    require_command(actor, response)
    if kind not in WorkingGroup.Kind.values:
        raise ValidationFailed(_("Unknown working group."), fields={"kind": [_("Unknown working group.")]})
    members = [lead_department, *departments]
    reach = reach_ids(response.command_unit)
    if not all(d.unit_id in reach for d in members):
        raise ValidationFailed(_("A member department is outside the commanding unit's reach."),
                               fields={"departments": [_("A member department is outside the commanding unit's reach.")]})
    if post.groups.filter(kind=kind).exists():
        raise Conflict(_("The command post already has this working group."))
    group = WorkingGroup.objects.create(post=post, kind=kind, lead_department=lead_department)
    group.departments.set(list(departments))
    group.experts.set(list(experts))
    audit_record(actor=actor, unit_id=response.incident.unit_id, action="response.group.add", target=group,
                 after={"kind": kind, "lead_department": lead_department.pk,
                        "departments": [d.pk for d in departments], "experts": [e.pk for e in experts]})
    live.publish(event="response.group", unit_id=response.incident.unit_id,
                 data={"response": response.pk, "group": group.pk, "kind": kind},
                 about=("incident", response.incident.pk))
    return group


@transaction.atomic
def order_issue(*, actor: User, response: Response, text: str, department: Department | None = None,
                group: WorkingGroup | None = None, acknowledge_within_minutes: int | None = None) -> Order:
    """Without a figure the order is due for acknowledgement within the organisation's own setting
    for the response's level (`AuthorityRule.order_acknowledge_seconds`; the plans give none)."""
    response = _active(response)
    if acknowledge_within_minutes is None:
        acknowledge_within_minutes = order_acknowledge_default(response)
    require_command(actor, response)
    if group is not None and group.post.response_id != response.pk:
        raise ValidationFailed(_("The working group belongs to another response."))
    department = department or (group.lead_department if group else None)
    if department is None:
        raise ValidationFailed(_("Give the order to a working group or a department."),
                               fields={"department": [_("This field is required.")]})
    if not _department_in_reach(department, response):
        raise ValidationFailed(_("A member department is outside the commanding unit's reach."))
    if not text.strip():
        raise ValidationFailed(_("Some fields are missing or invalid."), fields={"text": [_("This field is required.")]})
    if not 1 <= int(acknowledge_within_minutes) <= 24 * 60:
        raise ValidationFailed(_("Acknowledgement time must be between 1 minute and 24 hours."))
    order = Order.objects.create(response=response, group=group, department=department, text=text.strip(),
                                 issued_by=actor, issued_at=timezone.now(),
                                 acknowledge_within_seconds=int(acknowledge_within_minutes) * 60)
    duty_schedule(kind=ORDER_REMIND, subject=order, unit_id=response.incident.unit_id,
                  due_at=order.issued_at + timedelta(seconds=order.acknowledge_within_seconds))
    recipients = _department_people(department)
    notification_send(recipient_ids=recipients, kind="response.order", unit_id=response.incident.unit_id,
                      title=gettext("Order from the command post: %(text)s") % {"text": order.text[:80]},
                      link=f"/responses/{response.pk}/", source_key=f"response.order:{order.pk}")
    audit_record(actor=actor, unit_id=response.incident.unit_id, action="response.order.issue", target=order,
                 after={"department": department.pk, "group": group.pk if group else None, "text": order.text})
    live.publish(event="response.order", unit_id=response.incident.unit_id,
                 data={"response": response.pk, "order": order.pk, "status": order.status},
                 about=("incident", response.incident.pk))
    return order


def _department_people(department: Department) -> set[int]:
    return set(RoleAssignment.objects.filter(department=department).values_list("user_id", flat=True))


def _serves(actor: User, order: Order) -> bool:
    return RoleAssignment.objects.filter(user=actor, department_id=order.department_id).exists()


def require_serves(actor: User, order: Order) -> None:
    """Only the department an order is given to acknowledges it and reports on it."""
    if not _serves(actor, order):
        raise NotPermitted(_("Only the department the order is given to reports on it."))


@transaction.atomic
def order_update(*, actor: User, order: Order, status: str, note: str = "") -> Order:
    """The department acknowledges, reports progress, or reports it done; command may cancel."""
    order = (Order.objects.select_for_update(of=("self",)).select_related("response", "response__incident")
             .get(pk=order.pk))
    response = order.response
    if not unit_scope(actor).can_see(response.incident.unit_id) and not _serves(actor, order):
        raise NotFound(_("Not found."))
    if status not in Order.Status.values or status == Order.Status.ISSUED:
        raise ValidationFailed(_("Unknown order status."), fields={"status": [_("Unknown order status.")]})
    if order.status in (Order.Status.DONE, Order.Status.CANCELLED):
        raise Conflict(_("The order is closed."))
    if status == Order.Status.CANCELLED:
        require_command(actor, response)
    else:
        require_serves(actor, order)
    before = order.status
    order.status, order.note = status, note.strip() or order.note
    if order.acknowledged_at is None and status != Order.Status.CANCELLED:
        order.acknowledged_at, order.acknowledged_by = timezone.now(), actor
        duties_cancel(subject=order)
    if status == Order.Status.CANCELLED:
        duties_cancel(subject=order)
    order.save()
    audit_record(actor=actor, unit_id=response.incident.unit_id, action="response.order.update", target=order,
                 before={"status": before}, after={"status": status, "note": order.note})
    live.publish(event="response.order", unit_id=response.incident.unit_id,
                 data={"response": response.pk, "order": order.pk, "status": status},
                 about=("incident", response.incident.pk))
    return order


def close_for(response: Response) -> None:
    """The response ended: its command post and groups close, open orders are cancelled."""
    now = timezone.now()
    CommandPost.objects.filter(response=response, closed_at__isnull=True).update(closed_at=now)
    WorkingGroup.objects.filter(post__response=response, closed_at__isnull=True).update(closed_at=now)
    for order in Order.objects.filter(response=response).exclude(status__in=[Order.Status.DONE,
                                                                             Order.Status.CANCELLED]):
        duties_cancel(subject=order)
        order.status = Order.Status.CANCELLED
        order.save(update_fields=["status", "updated_at"])


@handler(ORDER_REMIND)
def remind_unacknowledged(duty: TimedDuty) -> None:
    order = (Order.objects.select_for_update(of=("self",)).select_related("response", "response__incident")
             .filter(pk=duty.subject_id).first())
    if order is None or order.status != Order.Status.ISSUED:
        return
    incident = order.response.incident
    notification_send(recipient_ids=_department_people(order.department) | {order.issued_by_id},
                      kind=ORDER_REMIND, unit_id=incident.unit_id, source_key=f"timers.timedduty:{duty.pk}",
                      title=gettext("Order not yet acknowledged: %(text)s") % {"text": order.text[:80]},
                      link=f"/responses/{order.response_id}/")
    live.publish(event="response.order.unacknowledged", unit_id=incident.unit_id,
                 data={"response": order.response_id, "order": order.pk}, about=("incident", incident.pk))
