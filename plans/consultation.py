"""Consultation on a version in its route (written opinions of departments and experts, city plan
5.1 3)) and the tasks of a work manual (1.5.2)."""
from __future__ import annotations

from datetime import date
from typing import Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from emergency.audit.services import audit_record
from emergency.errors import Conflict, NotPermitted, ValidationFailed
from emergency.org.models import Department, OrgUnit, RoleAssignment, User
from emergency.org.services import require

from . import duties, selectors
from .models import ConsultationOpinion, Plan, PlanVersion, RouteStep, WorkManualTask


def consultation_open(version: PlanVersion) -> None:
    """Raise unless the version stands at its consultation step."""
    step = selectors.route_next_step(version) if version.route_id else None
    if step is None or step.kind != RouteStep.Kind.CONSULTATION:
        raise Conflict(_("Opinions are requested while the version is at its consultation step."))


@transaction.atomic
def opinions_request(*, actor: User, version: PlanVersion, due_on: date, departments: Iterable[Department] = (),
                     experts: Iterable = ()) -> list[ConsultationOpinion]:
    """Ask departments whose duties the plan touches, and experts, for written opinions by `due_on`."""
    version = PlanVersion.objects.select_for_update(of=("self",)).select_related("plan", "route").get(pk=version.pk)
    require(actor, "plans.change_plan", version.plan)
    consultation_open(version)
    departments, experts = list(departments), list(experts)
    if not departments and not experts:
        raise ValidationFailed(_("Some fields are missing or invalid."), fields={
            "departments": [_("Choose the departments or experts to consult.")]})
    if due_on <= timezone.localdate():
        raise ValidationFailed(_("Some fields are missing or invalid."), fields={
            "due_on": [_("Give the opinions a due date after today.")]})
    now = timezone.now()
    opinions = ConsultationOpinion.objects.bulk_create(
        [ConsultationOpinion(version=version, department=d, requested_by=actor, requested_at=now, due_on=due_on)
         for d in departments]
        + [ConsultationOpinion(version=version, expert=e, requested_by=actor, requested_at=now, due_on=due_on)
           for e in experts])
    duties.opinions_due(version=version, due_on=due_on)
    audit_record(actor=actor, unit_id=version.plan.unit_id, action="plan.opinions.request", target=version,
                 after={"departments": [d.pk for d in departments], "experts": [e.pk for e in experts],
                        "due_on": due_on.isoformat()})
    return opinions


def opinion_authority(actor: User, opinion: ConsultationOpinion) -> None:
    """The consulted department records its own opinion; the plan's administrators record any."""
    own_department = opinion.department_id and RoleAssignment.objects.filter(
        user=actor, department_id=opinion.department_id).exists()
    if not own_department and not actor.has_perm("plans.change_plan", opinion.version.plan):
        raise NotPermitted(_("Only the consulted department, or the plan's administrators, record this opinion."))
    if opinion.returned_at is not None:
        raise Conflict(_("This opinion has already been recorded."))


@transaction.atomic
def opinion_record(*, actor: User, opinion: ConsultationOpinion, text: str) -> ConsultationOpinion:
    opinion = ConsultationOpinion.objects.select_for_update(of=("self",)).select_related(
        "version__plan").get(pk=opinion.pk)
    opinion_authority(actor, opinion)
    if not text.strip():
        raise ValidationFailed(_("Some fields are missing or invalid."), fields={"opinion": [_("This field is required.")]})
    opinion.opinion, opinion.returned_at, opinion.recorded_by = text.strip(), timezone.now(), actor
    opinion.save()
    audit_record(actor=actor, unit_id=opinion.version.plan.unit_id, action="plan.opinion", target=opinion,
                 after={"department": opinion.department_id, "expert": opinion.expert_id})
    return opinion


def consultation_complete(version: PlanVersion) -> bool:
    opinions = version.opinions.all()
    return opinions.exists() and not opinions.filter(returned_at__isnull=True).exists()


@transaction.atomic
def task_add(*, actor: User, plan: Plan, department: Department, task: str, responsible_unit: OrgUnit,
             responsible_person: str) -> WorkManualTask:
    """A department's duty in the plan, broken down into a task with its responsible unit and person."""
    require(actor, "plans.change_plan", plan)
    item = WorkManualTask.objects.create(plan=plan, department=department, task=task.strip(),
                                         responsible_unit=responsible_unit,
                                         responsible_person=responsible_person.strip(),
                                         position=plan.tasks.count())
    audit_record(actor=actor, unit_id=plan.unit_id, action="plan.task.add", target=item,
                 after={"department": department.pk, "task": item.task, "unit": responsible_unit.pk})
    return item
