"""Copies (抄送) of a report sent up, chosen by the organisation's `ReportCopyRule`s. City plan 3.3.1 2):
natural disasters and work safety, "报送上级党委、政府的同时抄送上级应急管理部门" (the receiving unit's
emergency management department, whose people are told); customs plan 3.3.1 (1) "必要时，报告相关
所在地党委和政府" (the linked organisations, whose duty room `services._inform_linked` tells as a unit).
The same copy goes to the emergency management department of the incident's own level (本级); a top
unit's report to its superior outside the platform is copied to the body the rule names there
(自治区应急管理厅), recorded with no notification; a rule the plan words "必要时" copies only when the
officer judges it needed. A copy never goes to a unit outside the organisation or its linked organisations."""
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


def when_needed_rule(report: IncidentReport) -> ReportCopyRule | None:
    """The organisation's copy rule the officer judges ("必要时", customs 3.3.1 (1)) for this report, if any;
    looked up once per incident (a page offers the send form under each of its reports)."""
    incident = report.incident
    if not hasattr(incident, "_when_needed_rule"):
        rules = list(ReportCopyRule.objects.filter(organisation_id=top_id(incident.unit_id), when_needed=True))
        kind = IncidentType.objects.select_related("category").get(pk=incident.incident_type_id) if rules else None
        incident._when_needed_rule = next((rule for rule in rules if rule.matches(kind)), None)
    return incident._when_needed_rule


def copies_make(*, actor: User, report: IncidentReport, sent: list[ReportDispatch], top: OrgUnit,
                at: datetime, needed: bool | None = None) -> list[ReportCopy]:
    """Record the copies of the dispatches just made and tell the departments' people. `needed` is
    the officer's judgement for a rule that copies only "必要时" (None: the rule's default)."""
    incident = report.incident
    kind = IncidentType.objects.select_related("category").get(pk=incident.incident_type_id)
    rules = [rule for rule in ReportCopyRule.objects.filter(organisation=top) if rule.matches(kind)]
    made: list[ReportCopy] = []
    for rule in rules:
        if rule.when_needed and not (rule.needed_by_default if needed is None else needed):
            continue
        if rule.target == ReportCopyRule.Target.DEPARTMENT and rule.level == ReportCopyRule.Level.OWN:
            made += _own_level(report, rule, made, at)
        elif rule.target == ReportCopyRule.Target.DEPARTMENT:
            for dispatch in sent:
                if dispatch.unit_id is None:  # a top unit's report to its superior outside the platform
                    if rule.outside_recipient:
                        made.append(ReportCopy(report=report, dispatch=dispatch, recipient=rule.outside_recipient,
                                               basis=rule.basis, sent_at=at))
                    continue
                department = _department(dispatch.unit, rule)
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
                     after={"report": report.pk, "to": copy.recipient, "basis": copy.basis,
                            "outside_platform": copy.unit_id is None})
        if copy.department_id:
            people = set(RoleAssignment.objects.filter(unit_id=copy.unit_id, department_id=copy.department_id)
                         .values_list("user_id", flat=True))
            recipients.notify(user_ids=people, unit_id=copy.unit_id, incident=incident, kind="incident",
                              source=f"report-copy:{copy.pk}",
                              title=_("Report copied to you: %(title)s") % {"title": incident.title},
                              body=copy.basis)
    return made


def _own_level(report: IncidentReport, rule: ReportCopyRule, made: list[ReportCopy], at: datetime) -> list[ReportCopy]:
    """City 3.3.1 2) "報送本級黨委、政府的同時抄送本級應急管理部門": the emergency management department of
    the incident's own unit, once per report (a report sent up twice is copied there once)."""
    department = _department(report.incident.unit, rule)
    if department is None or report.copies.filter(department=department).exists() or any(
            copy.department_id == department.pk for copy in made):
        return []
    return [ReportCopy(report=report, unit_id=department.unit_id, department=department, recipient=department.name,
                       basis=rule.basis, sent_at=at)]


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
