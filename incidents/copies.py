"""Copies (抄送) of a report sent up, chosen by the organisation's `ReportCopyRule`s. City plan 3.3.1 2):
natural disasters and work safety, "报送上级党委、政府的同时抄送上级应急管理部门" (the receiving unit's
emergency management department, whose people are told); customs plan 3.3.1 (1) "必要时，报告相关
所在地党委和政府" (the linked organisations, whose duty room `services._inform_linked` tells as a unit).
A copy never goes outside the organisation or its linked organisations."""
from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from emergency.audit.services import audit_record
from emergency.errors import Conflict, NotPermitted
from emergency.org.models import Department, OrgUnit, RoleAssignment, User
from emergency.org.tree import top_id

from . import recipients
from .grading.models import IncidentType
from .models import IncidentReport, ReportCopy, ReportCopyRule, ReportDispatch


def _department(unit: OrgUnit, rule: ReportCopyRule) -> Department | None:
    return (Department.objects.filter(unit=unit, name__endswith=rule.department_name).order_by("position", "id")
            .first() if rule.department_name else None)


def copies_make(*, actor: User, report: IncidentReport, sent: list[ReportDispatch], top: OrgUnit,
                at: datetime) -> list[ReportCopy]:
    """Record the copies of the dispatches just made and tell the departments' people."""
    incident = report.incident
    kind = IncidentType.objects.select_related("category").get(pk=incident.incident_type_id)
    rules = [rule for rule in ReportCopyRule.objects.filter(organisation=top) if rule.matches(kind)]
    made = []
    for rule in rules:
        if rule.target == ReportCopyRule.Target.DEPARTMENT:
            for dispatch in sent:
                department = _department(dispatch.unit, rule) if dispatch.unit_id else None
                if department is None or top_id(department.unit_id) != top.pk:
                    continue
                made.append(ReportCopy(report=report, dispatch=dispatch, unit_id=department.unit_id,
                                       department=department, recipient=department.name, basis=rule.basis,
                                       sent_at=at))
        elif not report.copies.filter(dispatch__isnull=True, basis=rule.basis).exists():
            linked = list(OrgUnit.objects.filter(links_in__organisation=top))
            made += [ReportCopy(report=report, unit=unit, recipient=unit.name, basis=rule.basis, sent_at=at)
                     for unit in linked] or [ReportCopy(report=report, recipient=rule.recipient, basis=rule.basis,
                                                        sent_at=at)]
    for copy in made:
        copy.save()
        audit_record(actor=actor, unit_id=incident.unit_id, action="incident.report.copy", target=copy,
                     after={"report": report.pk, "to": copy.recipient, "basis": copy.basis})
        if copy.department_id:
            people = set(RoleAssignment.objects.filter(unit_id=copy.unit_id, department_id=copy.department_id)
                         .values_list("user_id", flat=True))
            recipients.notify(user_ids=people, unit_id=copy.unit_id, incident=incident, kind="incident",
                              source=f"report-copy:{copy.pk}",
                              title=_("Report copied to you: %(title)s") % {"title": incident.title},
                              body=copy.basis)
    return made


def require_may_acknowledge(user: User, copy: ReportCopy) -> None:
    """Only a person of the department (or, for a unit, a duty officer of it) the copy went to."""
    if copy.acknowledged_at is not None:
        raise Conflict(_("This copy has already been acknowledged."))
    holders = RoleAssignment.objects.filter(user=user, unit_id=copy.unit_id)
    if copy.department_id:
        holders = holders.filter(department_id=copy.department_id)
    else:
        holders = holders.filter(role="duty_officer")
    if copy.unit_id is None or not holders.exists():
        raise NotPermitted(_("Only the department the copy went to may acknowledge it."))


@transaction.atomic
def report_copy_acknowledge(*, actor: User, copy: ReportCopy) -> ReportCopy:
    """Record that the recipient read the copy; nothing else of it changes."""
    copy = ReportCopy.objects.select_for_update().get(pk=copy.pk)
    require_may_acknowledge(actor, copy)
    copy.acknowledged_at, copy.acknowledged_by = timezone.now(), actor
    copy.save(update_fields=["acknowledged_at", "acknowledged_by"])
    audit_record(actor=actor, unit_id=copy.unit_id, action="incident.report.copy.acknowledge", target=copy,
                 after={"acknowledged_at": copy.acknowledged_at.isoformat()})
    return copy
