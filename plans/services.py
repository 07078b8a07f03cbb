"""Every change to the plan hierarchy: create a plan in the tree, draft versions, take them through
their approval route step by step (each step only by the role the route names, in the right unit),
publish immutable editions, file revision requests, record drills and evaluations (which move the
next due dates and their reminders)."""
from __future__ import annotations

from datetime import date
from typing import Any, Iterable

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from emergency.audit.services import audit_record
from emergency.errors import Conflict, NotFound, NotPermitted, ValidationFailed
from emergency.org.models import Department, OrgUnit, RoleAssignment, User
from emergency.org.roles import DEPARTMENT_ROLES, Role
from emergency.org.scope import unit_scope
from emergency.org.tree import ancestor_ids, top_id
from emergency.org.services import require

from . import duties, selectors
from .consultation import (consultation_complete, opinion_record, opinions_request,  # noqa: F401  (the plan's
                           task_add)  # writes, one import away)
from .lifecycles import PLAN, VERSION
from .models import (ApprovalRoute, Drill, Evaluation, Plan, PlanEdition, PlanType, PlanVersion,
                     RevisionRequest, RouteStep, StepRecord)
from .revisions import revision_request_close, revision_request_file, revision_scope  # noqa: F401

PARENT_TYPES = {
    PlanType.GENERAL: {PlanType.GENERAL},
    PlanType.SPECIAL: {PlanType.GENERAL},
    PlanType.DEPARTMENTAL: {PlanType.GENERAL, PlanType.SPECIAL},
    PlanType.GRASSROOTS: {PlanType.GENERAL, PlanType.SPECIAL, PlanType.DEPARTMENTAL},
    PlanType.WORK_MANUAL: {PlanType.GENERAL, PlanType.SPECIAL, PlanType.DEPARTMENTAL, PlanType.GRASSROOTS},
    PlanType.ACTION_PLAN: {PlanType.GENERAL, PlanType.SPECIAL, PlanType.DEPARTMENTAL, PlanType.GRASSROOTS},
}
NEEDS_LEAD = {PlanType.SPECIAL, PlanType.DEPARTMENTAL, PlanType.WORK_MANUAL, PlanType.ACTION_PLAN}


def _invalid(**fields: Any) -> ValidationFailed:
    return ValidationFailed(_("Some fields are missing or invalid."), fields={k: [v] for k, v in fields.items()})


def _sections(sections: Any) -> list[dict[str, str]]:
    if not isinstance(sections, list) or not all(isinstance(s, dict) and str(s.get("title", "")).strip()
                                                 for s in sections):
        raise _invalid(sections=_("Each section needs a title (and its text)."))
    return [{"title": str(s["title"]).strip(), "body": str(s.get("body", "")).strip()} for s in sections]


@transaction.atomic
def plan_create(*, actor: User, unit: OrgUnit, plan_type: str, title: str, parent: Plan | None = None,
                lead_department: Department | None = None, incident_types: Iterable = (),
                sections: list[dict] | None = None) -> Plan:
    require(actor, "plans.add_plan", unit)
    errors: dict[str, Any] = {}
    if plan_type not in PlanType.values:
        errors["plan_type"] = _("Unknown plan type.")
    if not title.strip():
        errors["title"] = _("This field is required.")
    if plan_type in NEEDS_LEAD and lead_department is None:
        errors["lead_department"] = _("This type of plan needs its lead drafting department.")
    if lead_department is not None and lead_department.unit_id not in ancestor_ids(unit.pk):
        errors["lead_department"] = _("The department must belong to the unit or one of its superiors.")
    if parent is not None:
        if parent.unit_id not in ancestor_ids(unit.pk):
            errors["parent"] = _("A plan sits under a plan of its own unit or of a superior unit.")
        elif plan_type in PARENT_TYPES and parent.plan_type not in PARENT_TYPES[plan_type]:
            errors["parent"] = _("This type of plan cannot sit under that plan.")
    elif plan_type != PlanType.GENERAL:
        errors["parent"] = _("Only a general plan may stand at the top of the tree.")
    if errors:
        raise ValidationFailed(_("Some fields are missing or invalid."), fields={k: [v] for k, v in errors.items()})
    plan = Plan.objects.create(unit=unit, plan_type=plan_type, title=title.strip(), parent=parent,
                               lead_department=lead_department, created_by=actor)
    plan.incident_types.set(list(incident_types))
    PlanVersion.objects.create(plan=plan, number=1, sections=_sections(sections or []), created_by=actor,
                               change_summary=str(_("First version")))
    audit_record(actor=actor, unit_id=unit.pk, action="plan.create", target=plan,
                 after={"type": plan_type, "title": plan.title, "parent": parent.pk if parent else None})
    return plan


def _editable(actor: User, plan: Plan) -> None:
    require(actor, "plans.change_plan", plan)


@transaction.atomic
def version_start(*, actor: User, plan: Plan, sections: list[dict], change_summary: str) -> PlanVersion:
    """A new version of a published plan (a revision), starting from the text in force."""
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    _editable(actor, plan)
    PLAN.require("version", plan)
    if plan.versions.filter(state__in=[PlanVersion.State.DRAFT, PlanVersion.State.IN_ROUTE]).exists():
        raise Conflict(_("A version of this plan is already being drafted or approved."))
    if not change_summary.strip():
        raise _invalid(change_summary=_("Say what the revision changes."))
    number = (plan.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    version = PlanVersion.objects.create(plan=plan, number=number, sections=_sections(sections),
                                         change_summary=change_summary.strip(), created_by=actor)
    audit_record(actor=actor, unit_id=plan.unit_id, action="plan.version.start", target=version,
                 after={"number": number, "sections": len(version.sections)})
    return version


@transaction.atomic
def version_edit(*, actor: User, version: PlanVersion, sections: list[dict],
                 change_summary: str | None = None) -> PlanVersion:
    version = PlanVersion.objects.select_for_update(of=("self", "plan")).select_related("plan").get(pk=version.pk)
    _editable(actor, version.plan)
    VERSION.require("edit", version)
    version.sections = _sections(sections)
    if change_summary:
        version.change_summary = change_summary.strip()
    version.save()
    audit_record(actor=actor, unit_id=version.plan.unit_id, action="plan.version.edit", target=version,
                 after={"sections": len(version.sections)})
    return version


def version_working(plan: Plan) -> PlanVersion | None:
    """The version being drafted or approved (a published one may still owe its filing step)."""
    version = plan.versions.filter(state__in=[PlanVersion.State.DRAFT, PlanVersion.State.IN_ROUTE]).first()
    if version is None:
        version = plan.versions.filter(state=PlanVersion.State.PUBLISHED, route__isnull=False).order_by(
            "-number").first()
        if version is not None and selectors.route_next_step(version) is None:
            return None
    return version


def version_save(*, actor: User, plan: Plan, sections: list[dict], change_summary: str = "") -> PlanVersion:
    """Save the draft being written, or start a revision of a published plan."""
    draft = plan.versions.filter(state=PlanVersion.State.DRAFT).first()
    if draft is not None:
        return version_edit(actor=actor, version=draft, sections=sections, change_summary=change_summary)
    return version_start(actor=actor, plan=plan, sections=sections, change_summary=change_summary)


@transaction.atomic
def version_submit(*, actor: User, version: PlanVersion) -> PlanVersion:
    """Send a draft into its route: the full route, or the simplified one for a revision that
    leaves organisation and command, procedures, main measures and grading alone (city plan 5.4 3)):
    which one is read from the sections the revision changes, not ticked by its editor."""
    version = PlanVersion.objects.select_for_update(of=("self", "plan")).select_related(
        "plan", "plan__published_edition").get(pk=version.pk)
    plan = version.plan
    _editable(actor, plan)
    VERSION.require("submit", version)
    if not version.sections:
        raise _invalid(sections=_("A plan needs at least one section before it is submitted."))
    if plan.published_edition_id is None:
        major, basis = True, str(_("A first version takes the full route."))
    else:
        major, basis = revision_scope(before=plan.published_edition.sections, after=version.sections)
    route = route_for(plan, major=major)
    version.route, version.state = route, PlanVersion.State.IN_ROUTE
    version.touches_key_content, version.major_basis = major, basis
    version.save(update_fields=["route", "state", "touches_key_content", "major_basis"])
    if plan.state == Plan.State.DRAFT:
        plan.state = Plan.State.IN_ROUTE
        plan.save(update_fields=["state"])
    audit_record(actor=actor, unit_id=plan.unit_id, action="plan.version.submit", target=version,
                 after={"route": route.pk, "simplified": route.simplified})
    return version


def route_for(plan: Plan, *, major: bool) -> ApprovalRoute:
    """The organisation's route for the plan's type: the simplified one for a minor revision (when the
    organisation has one), the full one otherwise."""
    routes = ApprovalRoute.objects.filter(organisation_id=top_id(plan.unit_id), plan_type=plan.plan_type)
    route = (None if major else routes.filter(simplified=True).first()) or routes.filter(simplified=False).first()
    if route is None:
        raise ValidationFailed(_("No approval route is configured for this type of plan in this organisation."))
    return route


next_step = selectors.route_next_step


def step_refusal(step: RouteStep, plan: Plan) -> NotPermitted:
    return NotPermitted(_("“%(step)s” is taken by the %(roles)s %(where)s.") % {
        "step": step.display_name, "roles": " / ".join(str(Role(r).label) for r in step.roles),
        "where": plan.lead_department.name if step.scope == RouteStep.Scope.LEAD_DEPARTMENT and plan.lead_department
        else plan.unit.name})


def step_holder(actor: User, step: RouteStep, plan: Plan) -> str | None:
    if step.scope == RouteStep.Scope.LEAD_DEPARTMENT:
        assignment = (RoleAssignment.objects.filter(user=actor, role__in=step.roles,
                                                    department_id=plan.lead_department_id)
                      .select_related("department").first())
        return f"{Role(assignment.role).label}（{assignment.department.name}）" if assignment else None
    unit_id = plan.unit.parent_id if step.scope == RouteStep.Scope.SUPERIOR else plan.unit_id
    scope = unit_scope(actor)
    for role in step.roles:
        if role not in DEPARTMENT_ROLES and unit_id is not None and scope.has_role(role, unit_id):
            return f"{Role(role).label}（{plan.unit.name}）"
    return None


def _publishes(step: RouteStep, route: ApprovalRoute) -> bool:
    kinds = [s.kind for s in route.steps.all()]
    if RouteStep.Kind.PUBLICATION in kinds:
        return step.kind == RouteStep.Kind.PUBLICATION
    return step.kind in (RouteStep.Kind.APPROVAL, RouteStep.Kind.SIGNING) and step.kind == next(
        (k for k in reversed(kinds) if k in (RouteStep.Kind.APPROVAL, RouteStep.Kind.SIGNING)), None)


@transaction.atomic
def step_take(*, actor: User, version: PlanVersion, step: RouteStep, note: str = "") -> StepRecord:
    """Take the version's next route step. Steps go in order, each by the role the route names."""
    version = (PlanVersion.objects.select_for_update(of=("self",)).select_related("plan", "plan__unit", "route")
               .get(pk=version.pk))
    plan = version.plan
    if not unit_scope(actor).can_see(plan.unit_id):
        raise NotFound(_("Not found."))
    VERSION.require("step", version)
    expected = next_step(version) if version.route_id else None
    if expected is None:
        raise Conflict(_("This version is not in approval."))
    if expected.pk != step.pk:
        raise Conflict(_("Steps are taken in the route's order; the next step is “%(step)s”.")
                       % {"step": expected.display_name})
    acting_as = step_holder(actor, step, plan)
    if acting_as is None:
        raise step_refusal(step, plan)
    if step.kind == RouteStep.Kind.CONSULTATION and not consultation_complete(version):
        raise Conflict(_("Request the written opinions and record every one before closing the consultation."))
    record = StepRecord.objects.create(version=version, step=step, done_by=actor, done_at=timezone.now(),
                                       note=note.strip(), acting_as=acting_as)
    audit_record(actor=actor, unit_id=plan.unit_id, action="plan.step", target=record,
                 after={"version": version.number, "step": step.name, "as": acting_as})
    if _publishes(step, version.route):
        _publish(actor=actor, version=version)
    if step.kind == RouteStep.Kind.FILING:
        duties.due_set(plan=plan, what="filing", due_on=None)
    return record


def deciding_step(version: PlanVersion) -> RouteStep | None:
    """The step whose holder decides the version (its approval or signing), while it is still to take."""
    taken = set(version.steps_taken.values_list("step_id", flat=True))
    return next((s for s in version.route.steps.all() if s.kind in (RouteStep.Kind.APPROVAL, RouteStep.Kind.SIGNING)
                 and s.pk not in taken), None) if version.route_id else None


def reclassify_authority(actor: User, version: PlanVersion) -> RouteStep:
    """Only the approver of the version, before approving it, may overrule its route."""
    step = deciding_step(version)
    if step is None:
        raise Conflict(_("The route of a version is set until its approval; this one is past it."))
    if step_holder(actor, step, version.plan) is None:
        raise step_refusal(step, version.plan)
    return step


@transaction.atomic
def version_reclassify(*, actor: User, version: PlanVersion, major: bool, reason: str) -> PlanVersion:
    """The approver overrules whether a revision is major (5.4 3)), with the reason: the version moves
    to the other route and starts it from its first step (steps already taken stay on record)."""
    version = (PlanVersion.objects.select_for_update(of=("self",)).select_related("plan", "plan__unit", "route")
               .get(pk=version.pk))
    VERSION.require("reclassify", version)
    reclassify_authority(actor, version)
    if major == version.touches_key_content and major != version.route.simplified:
        raise Conflict(_("The version is already on that route."))
    route = route_for(version.plan, major=major)
    if route.pk == version.route_id:
        raise Conflict(_("This organisation has no other route for this type of plan."))
    before = {"route": version.route_id, "major": version.touches_key_content}
    version.route, version.touches_key_content = route, major
    version.major_basis = str(_("Overruled by the approver: %(reason)s") % {"reason": reason.strip()})
    version.save(update_fields=["route", "touches_key_content", "major_basis"])
    audit_record(actor=actor, unit_id=version.plan.unit_id, action="plan.version.reclassify", target=version,
                 before=before, after={"route": route.pk, "major": major, "reason": reason.strip()})
    return version


def _publish(*, actor: User, version: PlanVersion) -> PlanEdition:
    plan = Plan.objects.select_for_update().get(pk=version.plan_id)
    now = timezone.now()
    edition = PlanEdition.objects.create(plan=plan, version=version, number=version.number, title=plan.title,
                                         sections=version.sections, published_at=now, published_by=actor)
    PlanVersion.objects.filter(plan=plan, state=PlanVersion.State.PUBLISHED).update(
        state=PlanVersion.State.WITHDRAWN)  # the previous version is superseded by this one
    version.state = PlanVersion.State.PUBLISHED
    version.save(update_fields=["state"])
    plan.published_edition, plan.state = edition, Plan.State.PUBLISHED
    cadence = selectors.plan_cadence(plan=plan)
    today = timezone.localdate()
    if cadence and cadence.drill_months and plan.next_drill_due is None:
        plan.next_drill_due = today + relativedelta(months=cadence.drill_months)
    if cadence and cadence.evaluation_months:
        plan.next_evaluation_due = today + relativedelta(months=cadence.evaluation_months)
    plan.save(update_fields=["published_edition", "state", "next_drill_due", "next_evaluation_due"])
    if any(s.kind == RouteStep.Kind.FILING for s in version.route.steps.all()):
        duties.due_set(plan=plan, what="filing", due_on=duties.filing_due_on(now, duties.filing_term(plan)))
    duties.due_set(plan=plan, what="drill", due_on=plan.next_drill_due)
    duties.due_set(plan=plan, what="evaluation", due_on=plan.next_evaluation_due)
    audit_record(actor=actor, unit_id=plan.unit_id, action="plan.publish", target=edition,
                 after={"version": version.number, "next_drill_due": str(plan.next_drill_due)})
    return edition


@transaction.atomic
def drill_record(*, actor: User, plan: Plan, kind: str, held_on: date, findings: str = "",
                 departments: Iterable[Department] = (), units: Iterable[OrgUnit] = (),
                 revision_needed: bool = False) -> Drill:
    """Record a drill; the next one falls due a cadence after it, and its reminders move."""
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    _editable(actor, plan)
    if kind not in Drill.Kind.values:
        raise _invalid(kind=_("Choose tabletop, live or combined."))
    if held_on > timezone.localdate():
        raise _invalid(held_on=_("Record a drill once it has been held."))
    drill = Drill.objects.create(plan=plan, kind=kind, held_on=held_on, findings=findings.strip(), recorded_by=actor)
    drill.departments.set(list(departments))
    drill.units.set(list(units))
    cadence = selectors.plan_cadence(plan=plan)
    if cadence and cadence.drill_months:
        latest = max(held_on, plan.drills.exclude(pk=drill.pk).aggregate(d=Max("held_on"))["d"] or held_on)
        plan.next_drill_due = latest + relativedelta(months=cadence.drill_months)
        plan.save(update_fields=["next_drill_due"])
        duties.due_set(plan=plan, what="drill", due_on=plan.next_drill_due)
    if revision_needed:
        revision_request_file(actor=actor, plan=plan, trigger=RevisionRequest.Trigger.LESSONS,
                              description=findings or str(_("The drill found problems.")), source=f"drill:{drill.pk}")
    audit_record(actor=actor, unit_id=plan.unit_id, action="plan.drill", target=drill,
                 after={"kind": kind, "held_on": held_on.isoformat(), "next_drill_due": str(plan.next_drill_due)})
    return drill


@transaction.atomic
def evaluation_record(*, actor: User, plan: Plan, held_on: date, conclusion: str, findings: str) -> Evaluation:
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    _editable(actor, plan)
    if conclusion not in Evaluation.Conclusion.values:
        raise _invalid(conclusion=_("Choose keep or revise."))
    if not findings.strip():
        raise _invalid(findings=_("This field is required."))
    evaluation = Evaluation.objects.create(plan=plan, held_on=held_on, conclusion=conclusion,
                                           findings=findings.strip(), recorded_by=actor)
    cadence = selectors.plan_cadence(plan=plan)
    if cadence and cadence.evaluation_months:
        plan.next_evaluation_due = held_on + relativedelta(months=cadence.evaluation_months)
        plan.save(update_fields=["next_evaluation_due"])
        duties.due_set(plan=plan, what="evaluation", due_on=plan.next_evaluation_due)
    if conclusion == Evaluation.Conclusion.REVISE:
        revision_request_file(actor=actor, plan=plan, trigger=RevisionRequest.Trigger.OTHER, description=findings,
                              source=f"evaluation:{evaluation.pk}")
    audit_record(actor=actor, unit_id=plan.unit_id, action="plan.evaluation", target=evaluation,
                 after={"conclusion": conclusion, "next_evaluation_due": str(plan.next_evaluation_due)})
    return evaluation


@transaction.atomic
def plan_retire(*, actor: User, plan: Plan, reason: str) -> Plan:
    """Withdraw a plan from force (its editions stay as they were); its reminders stop."""
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    _editable(actor, plan)
    PLAN.require("retire", plan)
    if not reason.strip():
        raise _invalid(reason=_("This field is required."))
    if plan.children.exclude(state=Plan.State.RETIRED).exists():
        raise Conflict(_("Retire or move the plans under it first."))
    before = plan.state
    plan.state, plan.next_drill_due, plan.next_evaluation_due = Plan.State.RETIRED, None, None
    plan.save(update_fields=["state", "next_drill_due", "next_evaluation_due"])
    for what in duties.KINDS:
        duties.due_set(plan=plan, what=what, due_on=None)
    audit_record(actor=actor, unit_id=plan.unit_id, action="plan.retire", target=plan,
                 before={"state": before}, after={"state": plan.state, "reason": reason.strip()})
    return plan
