"""Every write to an incident: logging it with its initial report, follow-up and final reports
and corrections, sending reports up, public releases, the lead department and its grade.

Each service checks the actor's permission on the incident's unit, validates, writes, appends
its audit entry, and leaves live events and deadline timers to fire after commit.
"""
from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any, Iterable

from django.db import connection, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from emergency import live
from emergency.audit.services import audit_record, snapshot
from emergency.errors import Conflict, NotFound, NotPermitted, ValidationFailed
from emergency.notify.services import duty_room_inform
from emergency.org.models import Department, OrgUnit, User
from emergency.org.scope import unit_scope
from emergency.org.services import require
from emergency.org.tree import ancestor_ids, top_id, unit_path
from incidents.grading import authority as grading_authority
from incidents.grading import engine
from incidents.grading.models import Grade, IncidentType

from . import copies, deadlines, lifecycles, recipients
from .models import Incident, IncidentReport, ReportDispatch, ReportingDeadline

INCIDENT_FIELDS = ("number", "unit", "title", "incident_type", "address", "latitude", "longitude", "occurred_at",
                   "discovered_at", "received_at", "metrics", "checked", "grade", "grade_table", "may_cause_panic",
                   "reported_regardless",
                   "lead_department", "status")
CLOCK_SKEW = timedelta(minutes=5)


def _invalid(fields: dict[str, Any]) -> ValidationFailed:
    return ValidationFailed(_("Some fields are missing or invalid."), fields={k: [v] for k, v in fields.items()})


def _coordinate(value: Any, limit: int, name: str, errors: dict[str, Any]) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        errors[name] = _("Enter a number.")
        return None
    if not number.is_finite() or abs(number) > limit:
        errors[name] = _("The coordinate is out of range.")
        return None
    return number.quantize(Decimal("0.000001"))


def _check_times(occurred_at: datetime, discovered_at: datetime | None, received_at: datetime,
                 errors: dict[str, Any]) -> None:
    now = timezone.now()
    for name, value in (("occurred_at", occurred_at), ("discovered_at", discovered_at), ("received_at", received_at)):
        if value is not None and value > now + CLOCK_SKEW:
            errors[name] = _("The time cannot be in the future.")
    if discovered_at is not None and discovered_at < occurred_at:
        errors["discovered_at"] = _("An incident cannot be discovered before it occurs.")
    if received_at < (discovered_at or occurred_at):
        errors["received_at"] = _("An incident cannot be received before it occurs or is discovered.")


def require_may_report(actor: User, incident: Incident) -> None:
    """Follow-up and final reports: by who is on duty for the incident's unit, until the final one."""
    require(actor, "incidents.add_report", incident)
    if incident.reports.filter(kind=IncidentReport.Kind.FINAL).exists():
        raise Conflict(_("The final report is in; correct it instead of adding reports."))


def require_may_correct(actor: User, report: IncidentReport) -> None:
    require(actor, "incidents.add_report", report.incident)


def require_may_send(actor: User, report: IncidentReport) -> None:
    require(actor, "incidents.send_report", report.incident)
    if report.dispatches.exists():
        raise Conflict(_("This report has already been sent."))


def require_may_set_grade(actor: User, incident: Incident) -> None:
    """A grade is set by hand only where no row of the table decides it, by whom the organisation's
    grading authority names for one of the grades left to the hand (issue 19, item 2)."""
    if not unit_scope(actor).can_see(incident.unit_id):
        raise NotFound(_("Not found."))
    if incident.grade and not incident.grade_set_by_id:
        raise Conflict(_("The threshold table decides this incident's grade; report new figures to change it."))
    left = grading_authority.hand_grades(incident)
    if not left:
        raise Conflict(_("The threshold table's rows decide every grade of this type; report the figures."))
    if not grading_authority.grades_for(actor, incident):
        who = "；".join(f"{Grade(g).label}：{grading_authority.grader_text(incident, g)}" for g in left)
        raise NotPermitted(_("Where no row of the table decides, the grade is set by hand by: %(who)s.") % {"who": who})


def require_may_flag_panic(actor: User, incident: Incident) -> None:
    require(actor, "incidents.flag_panic", incident)
    if incident.may_cause_panic:
        raise Conflict(_("A press conference is already due for this incident."))


def _grade(*, unit_id: int, type_code: str, metrics: dict[str, Any], checked: Iterable[str],
           secondary_types: Iterable[str]) -> engine.GradingResult:
    """Graded by the table of the unit's organisation."""
    return engine.grade(type_code=type_code, metrics=metrics, checked=checked, secondary_types=secondary_types,
                        table=engine.current_table_for_unit(unit_id))


def _apply_grade(incident: Incident, result: engine.GradingResult, metrics: dict[str, Any], checked: list[str]) -> None:
    """A grade the table decides replaces any set by hand; an undetermined one keeps the lead department's."""
    incident.metrics = {key: _json_number(value) for key, value in metrics.items() if value not in (None, "")}
    incident.checked = sorted(set(checked))
    incident.grade_reasons = result.reasons
    incident.grade_table_id = result.table_id
    if result.determined:
        incident.grade, incident.grade_set_by, incident.grade_set_reason = result.grade, None, ""


def _json_number(value: Any) -> int | float:
    number = Decimal(str(value))
    return int(number) if number == number.to_integral_value() else float(number)


def _next_number(top_code: str, received_at: datetime) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval('incidents_number_seq')")
        (sequence,) = cursor.fetchone()
    return f"{top_code.upper()}-{timezone.localtime(received_at):%Y}-{sequence:06d}"


def _add_report(incident: Incident, *, kind: str, body: str, author: User, corrects: IncidentReport | None = None,
                correction_reason: str = "", sequence: int | None = None,
                contents: dict[str, str] | None = None) -> IncidentReport:
    if sequence is None:
        sequence = (incident.reports.aggregate(n=Max("sequence"))["n"] or 0) + 1
    return IncidentReport.objects.create(
        incident=incident, sequence=sequence, kind=kind, body=body.strip(), author=author,
        submitted_at=timezone.now(), metrics=incident.metrics, checked=incident.checked, grade=incident.grade,
        grade_reasons=incident.grade_reasons, grade_table_id=incident.grade_table_id, corrects=corrects,
        correction_reason=correction_reason.strip(), contents=contents or {},
    )


def incident_summary(incident: Incident, type_code: str | None = None) -> dict[str, Any]:
    """What the live dashboards receive about an incident."""
    return {"id": incident.pk, "number": incident.number, "title": incident.title, "unit": incident.unit_id,
            "type": type_code or incident.incident_type.code, "grade": incident.grade or None, "status": incident.status,
            "received_at": incident.received_at}


@transaction.atomic
def incident_log(*, actor: User, unit: OrgUnit, type_code: str, title: str, address: str, occurred_at: datetime,
                 received_at: datetime, body: str, metrics: dict[str, Any] | None = None,
                 checked: Iterable[str] = (), secondary_types: Iterable[str] = (),
                 discovered_at: datetime | None = None, latitude: Any = None, longitude: Any = None,
                 may_cause_panic: bool = False, lead_department: Department | None = None,
                 reported_regardless: bool = False, contents: dict[str, str] | None = None) -> Incident:
    """Log an incident and its initial report (首报) in one step; its reporting deadlines start."""
    require(actor, "incidents.add_incident", unit)
    errors: dict[str, Any] = {}
    lat = _coordinate(latitude, 90, "latitude", errors)
    lon = _coordinate(longitude, 180, "longitude", errors)
    if (lat is None) != (lon is None) and not errors.keys() & {"latitude", "longitude"}:
        errors["longitude" if lon is None else "latitude"] = _("Give both coordinates, or neither.")
    _check_times(occurred_at, discovered_at, received_at, errors)
    if lead_department is not None and not _department_serves(lead_department, unit):
        errors["lead_department"] = _("The department must belong to the unit or one of its superiors.")
    if errors:
        raise _invalid(errors)
    secondary = [code for code in dict.fromkeys(secondary_types) if code != type_code]
    checked = list(checked)
    result = _grade(unit_id=unit.pk, type_code=type_code, metrics=metrics or {}, checked=checked,
                    secondary_types=secondary)
    path = unit_path(unit.pk)
    incident = Incident(
        number=_next_number(path[0][1], received_at), unit=unit, title=title.strip(), address=address.strip(),
        latitude=lat, longitude=lon, occurred_at=occurred_at, discovered_at=discovered_at, received_at=received_at,
        may_cause_panic=may_cause_panic, reported_regardless=reported_regardless,
        lead_department=lead_department, created_by=actor,
        incident_type_id=result.type_id,
    )
    _apply_grade(incident, result, metrics or {}, checked)
    incident.save()
    if secondary:
        incident.secondary_types.set(IncidentType.objects.filter(code__in=secondary))
    report = _add_report(incident, kind=IncidentReport.Kind.INITIAL, body=body, author=actor, sequence=1,
                         contents=contents)
    opened = deadlines.deadlines_open(incident=incident, fresh=True)
    audit_record(actor=actor, unit_id=unit.pk, action="incident.log", target=incident,
                 after={**snapshot(incident, INCIDENT_FIELDS), "report": report.pk})
    live.publish(event="incident.logged", unit_id=unit.pk, data=incident_summary(incident, type_code),
                 path=[pk for pk, _code in path], about=("incident", incident.pk))
    # What the caller shows next is all here: spare it the queries of reading it back.
    report._prefetched_objects_cache = {"dispatches": _known(report.dispatches.all(), [])}
    incident._prefetched_objects_cache = {"reports": _known(incident.reports.all(), [report]),
                                          "deadlines": _known(incident.deadlines.all(), opened)}
    if not secondary:
        incident._prefetched_objects_cache["secondary_types"] = _known(incident.secondary_types.all(), [])
    incident.incident_type = IncidentType(pk=result.type_id, code=type_code)
    incident.has_late = False
    return incident


def _known(queryset, objects: list):
    """The relation's queryset, already holding what was just written (as a prefetch would):
    iterating it costs no query, filtering it queries the database as usual."""
    queryset._result_cache, queryset._prefetch_done = list(objects), True
    return queryset


def _department_serves(department: Department, unit: OrgUnit) -> bool:
    return department.unit_id in ancestor_ids(unit.pk)


def _locked(incident: Incident) -> Incident:
    return Incident.objects.select_for_update(of=("self",)).select_related("unit", "incident_type").get(pk=incident.pk)


@transaction.atomic
def report_submit(*, actor: User, incident: Incident, kind: str, body: str, metrics: dict[str, Any] | None = None,
                  checked: Iterable[str] | None = None, corrects: IncidentReport | None = None,
                  correction_reason: str = "", contents: dict[str, str] | None = None) -> IncidentReport:
    """A follow-up (续报) or final (终报) report, or a correction of any earlier report.

    `metrics`/`checked`, when given, are the incident's figures as of now; the incident is
    regraded and the report snapshots the result."""
    incident = _locked(incident)
    lifecycles.INCIDENT.require("report", incident, state_attr="status")
    errors: dict[str, Any] = {}
    if corrects is not None:
        require_may_correct(actor, corrects)
        if corrects.incident_id != incident.pk:
            errors["corrects"] = _("The corrected report belongs to another incident.")
        if not correction_reason.strip():
            errors["correction_reason"] = _("Say why the report is corrected.")
        kind = corrects.kind if corrects.incident_id == incident.pk else kind
    elif kind not in (IncidentReport.Kind.FOLLOW_UP, IncidentReport.Kind.FINAL):
        errors["kind"] = _("Only follow-up and final reports can be added; correct the initial report instead.")
    if errors:
        raise _invalid(errors)
    if corrects is None:
        require_may_report(actor, incident)
    if metrics is not None or checked is not None:
        new_metrics = incident.metrics if metrics is None else metrics
        new_checked = list(incident.checked if checked is None else checked)
        secondary = list(incident.secondary_types.values_list("code", flat=True))
        result = _grade(unit_id=incident.unit_id, type_code=incident.incident_type.code, metrics=new_metrics,
                        checked=new_checked, secondary_types=secondary)
        before_grade = incident.grade
        _apply_grade(incident, result, new_metrics, new_checked)
        incident.save()
        if incident.grade != before_grade:
            audit_record(actor=actor, unit_id=incident.unit_id, action="incident.regrade", target=incident,
                         before={"grade": before_grade}, after={"grade": incident.grade,
                                                                "table": incident.grade_table_id})
    report = _add_report(incident, kind=kind, body=body, author=actor, corrects=corrects,
                         correction_reason=correction_reason, contents=contents)
    audit_record(actor=actor, unit_id=incident.unit_id, action="incident.report", target=report,
                 after=snapshot(report, ("incident", "sequence", "kind", "grade", "corrects", "correction_reason")))
    live.publish(event="incident.report", unit_id=incident.unit_id,
                 data={**incident_summary(incident), "report": report.pk, "kind": report.kind},
                 about=("incident", incident.pk))
    return report


@transaction.atomic
def report_send_up(*, actor: User, report: IncidentReport, copy_when_needed: bool | None = None) -> list[ReportDispatch]:
    """Send a report to the superior (and, for grade Ⅰ/Ⅱ or an incident reported up regardless of its
    grade, straight to the top unit), with its copies (`copies.copies_make`; `copy_when_needed` is the
    officer's "必要时" judgement, None: the rule's default). Meets the 1-hour deadline the first time."""
    incident = _locked(report.incident)
    require(actor, "incidents.send_report", incident)
    unit = incident.unit
    superior = unit.parent
    top = OrgUnit.objects.get(pk=top_id(unit.pk))
    routes = [(ReportDispatch.Route.SUPERIOR, superior,
               superior.name if superior else (unit.superior_name or str(_("Superior authority"))))]
    straight_to_top = report.grade in (Grade.I, Grade.II) or incident.reported_regardless
    if straight_to_top and top is not None and top.pk not in (unit.pk, getattr(superior, "pk", None)):
        routes.append((ReportDispatch.Route.TOP, top, top.name))
    done = set(report.dispatches.values_list("route", flat=True))
    now = timezone.now()
    sent = []
    for route, to_unit, recipient in routes:
        if route in done:
            continue
        sent.append(ReportDispatch.objects.create(report=report, route=route, unit=to_unit, recipient=recipient,
                                                  sent_at=now, sent_by=actor))
    if not sent:
        raise Conflict(_("This report has already been sent."))
    deadlines.deadline_meet(incident=incident, kind=ReportingDeadline.Kind.SUPERIOR_REPORT, actor=actor, at=now)
    for dispatch in sent:
        audit_record(actor=actor, unit_id=incident.unit_id, action="incident.report.send", target=dispatch,
                     after={"report": report.pk, "route": dispatch.route, "to": dispatch.recipient,
                            "copy_when_needed": copy_when_needed})
        if dispatch.unit_id:
            recipients.notify_duty_officers(unit_id=dispatch.unit_id, incident=incident, source=f"dispatch:{dispatch.pk}",
                                            title=_("Report received: %(title)s") % {"title": incident.title})
            live.publish(event="incident.report.received", unit_id=dispatch.unit_id,
                         data={**incident_summary(incident), "report": report.pk}, about=("incident", incident.pk))
    copies.copies_make(actor=actor, report=report, sent=sent, top=top, at=now, needed=copy_when_needed)
    _inform_linked(incident, report, top)
    return sent


def _inform_linked(incident: Incident, report: IncidentReport, top: OrgUnit) -> None:
    """The organisations the incident's organisation is linked to (联动单位) get the report in
    their duty room as a unit, with its text: they cannot open the incident."""
    title = _("Report received: %(title)s") % {"title": incident.title}
    copied = set(report.copies.filter(unit__isnull=False).values_list("unit_id", flat=True))
    for organisation in OrgUnit.objects.filter(links_in__organisation=top):
        duty_room_inform(  # a copy addressed to it is acknowledged on its copies page
            from_unit_id=incident.unit_id, organisation=organisation, kind="incident",
            title=f"{incident.unit.name}：{title}", link=reverse("report-copies-received") if organisation.pk in copied
            else "",
            body=f"{incident.unit.name} · {incident.address}\n{report.body}", source_key=f"incident.report:{report.pk}")


@transaction.atomic
def incident_set_grade(*, actor: User, incident: Incident, grade: str, reason: str) -> Incident:
    """Set the grade by hand, with a reason, where no row of the table decides: the grades below the
    type's least severe row (Ⅲ/Ⅳ under the appendix's Ⅰ/Ⅱ rows), Ⅰ–Ⅳ for a type with no row (city 1.3
    "具體事件等級標準執行國家有關規定"; customs 3.3.1 (3)), by the authority the organisation names for it."""
    incident = _locked(incident)
    lifecycles.INCIDENT.require("set-grade", incident, state_attr="status")
    require_may_set_grade(actor, incident)
    left = grading_authority.hand_grades(incident)
    if grade not in left:
        if left == [Grade.III, Grade.IV]:
            raise _invalid({"grade": _("Where no rule decides, the lead department sets grade III or IV.")})
        raise _invalid({"grade": _("Where no row of the table decides, this incident is graded %(grades)s by hand.")
                        % {"grades": " / ".join(left)}})
    if not reason.strip():
        raise _invalid({"reason": _("Give the reason for the grade.")})
    grader = grading_authority.require_grader(actor, incident, grade)
    role = grading_authority.grader_role(actor, incident, grade)
    before = {"grade": incident.grade, "reason": incident.grade_set_reason}
    incident.grade, incident.grade_set_by, incident.grade_set_reason = grade, actor, reason.strip()
    incident.save(update_fields=["grade", "grade_set_by", "grade_set_reason", "updated_at"])
    audit_record(actor=actor, unit_id=incident.unit_id, action="incident.set_grade", target=incident,
                 before=before, after={"grade": grade, "reason": incident.grade_set_reason, "as": role,
                                       "basis": grader.basis, "from_plan": grader.from_plan})
    live.publish(event="incident.graded", unit_id=incident.unit_id, data=incident_summary(incident),
                 about=("incident", incident.pk))
    return incident


@transaction.atomic
def incident_assign_lead(*, actor: User, incident: Incident, department: Department) -> Incident:
    incident = _locked(incident)
    lifecycles.INCIDENT.require("lead-department", incident, state_attr="status")
    require(actor, "incidents.assign_lead", incident)
    if not _department_serves(department, incident.unit):
        raise _invalid({"lead_department": _("The department must belong to the unit or one of its superiors.")})
    before = {"lead_department": incident.lead_department_id}
    incident.lead_department = department
    incident.save(update_fields=["lead_department", "updated_at"])
    audit_record(actor=actor, unit_id=incident.unit_id, action="incident.assign_lead", target=incident,
                 before=before, after={"lead_department": department.pk})
    live.publish(event="incident.updated", unit_id=incident.unit_id, data=incident_summary(incident),
                 about=("incident", incident.pk))
    return incident


@transaction.atomic
def incident_flag_panic(*, actor: User, incident: Incident) -> Incident:
    """The incident may cause public panic: a press conference is due within 24 hours of receipt."""
    incident = _locked(incident)
    lifecycles.INCIDENT.require("flag-panic", incident, state_attr="status")
    require(actor, "incidents.flag_panic", incident)
    if incident.may_cause_panic:
        return incident
    incident.may_cause_panic = True
    incident.save(update_fields=["may_cause_panic", "updated_at"])
    deadlines.deadlines_open(incident=incident)
    audit_record(actor=actor, unit_id=incident.unit_id, action="incident.flag_panic", target=incident,
                 before={"may_cause_panic": False}, after={"may_cause_panic": True})
    live.publish(event="incident.updated", unit_id=incident.unit_id, data=incident_summary(incident),
                 about=("incident", incident.pk))
    return incident
