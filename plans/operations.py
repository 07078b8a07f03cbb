"""The writes on plans, declared once: the pages and the API both dispatch through these. Each guard
asks the same authority the service enforces, so a refusal names the real reason."""
from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from emergency.errors import Conflict, NotPermitted, ValidationFailed
from emergency.api.fields import NOT_FOUND
from emergency.operations import Operation, register
from emergency.org.roles import Role
from emergency.org.scope import unit_scope

from . import consultation, revisions, selectors, services
from . import serializers as s
from .lifecycles import PLAN, REQUEST
from .models import ConsultationOpinion, Plan, PlanVersion, RevisionRequest


def may_add(user, _target=None) -> None:
    if not unit_scope(user).units_with(Role.PLAN_ADMIN, Role.SYSTEM_ADMIN):
        raise NotPermitted(_("Plans are added by the plan administrators of a unit."))


def may_edit(user, plan: Plan) -> None:
    if not user.has_perm("plans.change_plan", plan):
        raise NotPermitted(_("Only the plan administrators of %(unit)s change this plan.") % {"unit": plan.unit})


def _draft(plan: Plan) -> PlanVersion:
    draft = plan.versions.filter(state=PlanVersion.State.DRAFT).first()
    if draft is None:
        raise Conflict(_("No version is being drafted."))
    return draft


def _routed(plan: Plan) -> PlanVersion:
    version = services.version_working(plan)
    if version is None or version.route_id is None:
        raise Conflict(_("This plan is not in approval."))
    return version


def may_revise(user, plan: Plan) -> None:
    may_edit(user, plan)
    if plan.versions.filter(state=PlanVersion.State.IN_ROUTE).exists():
        raise Conflict(_("A version of this plan is already being drafted or approved."))


def may_submit(user, plan: Plan) -> None:
    may_edit(user, plan)
    _draft(plan)


def may_take_step(user, plan: Plan) -> None:
    version = _routed(plan)
    step = selectors.route_next_step(version)
    if step is None:
        raise Conflict(_("This version is not in approval."))
    if services.step_holder(user, step, plan) is None:
        raise services.step_refusal(step, plan)


def may_reclassify(user, plan: Plan) -> None:
    version = _routed(plan)
    if version.state != PlanVersion.State.IN_ROUTE or plan.published_edition_id is None:
        raise Conflict(_("Only a revision in approval can change its route."))
    services.reclassify_authority(user, version)


def may_request_opinions(user, plan: Plan) -> None:
    may_edit(user, plan)
    consultation.consultation_open(_routed(plan))


def may_record_opinion(user, opinion: ConsultationOpinion) -> None:
    consultation.opinion_authority(user, opinion)


def may_close(user, request: RevisionRequest) -> None:
    may_edit(user, request.plan)


def _row(actor, plan) -> Plan:
    """The plan as the tree shows it (the API's answer)."""
    return selectors.plan_tree(user=actor).get(pk=plan.pk)


def _take_step(*, actor, target: Plan, step, note):
    version = _routed(target)
    if step.route_id != version.route_id:  # a step of another route: answered as an unknown step
        raise ValidationFailed(_("Some fields are missing or invalid."), fields={"step": [NOT_FOUND]})
    services.step_take(actor=actor, version=version, step=step, note=note)
    return _row(actor, target)


def _add(*, actor, target, **data):
    return _row(actor, services.plan_create(actor=actor, **data))


def _after(action):
    """Run a service on the plan, answer with the plan's row."""
    def run(*, actor, target, **data):
        action(actor=actor, plan=target, **data)
        return _row(actor, target)
    return run


PLAN_OPS = [
    Operation(name="plan.add", label=_("Create the plan"), input=s.PlanInput, output=s.PlanSerializer,
              guard=may_add, run=_add, created=True, success=_("Plan created; its first version is a draft.")),
    Operation(name="plan.version", model=Plan, label=_("Save the draft"), input=s.VersionInput,
              output=s.PlanSerializer, lifecycle=PLAN, guard=may_revise, success=_("Draft saved."),
              run=_after(services.version_save)),
    Operation(name="plan.submit", model=Plan, label=_("Send into its approval route"), output=s.PlanSerializer,
              lifecycle=PLAN, guard=may_submit, success=_("Sent into its approval route."),
              run=lambda *, actor, target: _row(actor, services.version_submit(actor=actor,
                                                                                version=_draft(target)).plan)),
    Operation(name="plan.steps", model=Plan, label=_("Record this step"), input=s.StepInput,
              output=s.PlanSerializer, lifecycle=PLAN, guard=may_take_step, created=True,
              success=_("Step recorded."), run=_take_step),
    Operation(name="plan.reclassify", model=Plan, label=_("Change the route"), input=s.ReclassifyInput,
              output=s.PlanSerializer, lifecycle=PLAN, guard=may_reclassify, success=_("Route changed."),
              run=lambda *, actor, target, major, reason: _row(actor, services.version_reclassify(
                  actor=actor, version=_routed(target), major=major, reason=reason).plan)),
    Operation(name="plan.opinions", model=Plan, label=_("Request"), input=s.OpinionsInput,
              output=s.PlanSerializer, lifecycle=PLAN, guard=may_request_opinions, created=True,
              success=_("Written opinions requested."),
              run=lambda *, actor, target, due_on, departments=(), experts=(): _row(actor, consultation.opinions_request(
                  actor=actor, version=_routed(target), due_on=due_on, departments=departments,
                  experts=experts)[0].version.plan)),
    Operation(name="plan.tasks", model=Plan, label=_("Add the task"), input=s.TaskInput, output=s.TaskSerializer,
              lifecycle=PLAN, guard=may_edit, created=True, success=_("Task added."),
              run=lambda *, actor, target, **data: consultation.task_add(actor=actor, plan=target, **data)),
    Operation(name="plan.retire", model=Plan, label=_("Retire"), input=s.RetireInput, output=s.PlanSerializer,
              lifecycle=PLAN, guard=may_edit, danger=True, success=_("Plan retired."),
              run=_after(services.plan_retire)),
    Operation(name="plan.drills", model=Plan, label=_("Record the drill"), input=s.DrillInput,
              output=s.PlanSerializer, lifecycle=PLAN, guard=may_edit, created=True, success=_("Drill recorded."),
              run=_after(services.drill_record)),
    Operation(name="plan.evaluations", model=Plan, label=_("Record the evaluation"), input=s.EvaluationInput,
              output=s.PlanSerializer, lifecycle=PLAN, guard=may_edit, created=True,
              success=_("Evaluation recorded."), run=_after(services.evaluation_record)),
    Operation(name="plan.revision-requests", model=Plan, label=_("Suggest a revision"), input=s.RevisionInput,
              output=s.RevisionRequestSerializer, lifecycle=PLAN, guard=revisions.may_suggest, created=True,
              success=_("Revision request filed; the plan's administrators are told."),
              run=lambda *, actor, target, **data: revisions.revision_request_file(actor=actor, plan=target, **data)),
    Operation(name="revision_request.suggest", label=_("Suggest a revision"), input=s.SuggestionInput,
              output=s.RevisionRequestSerializer, created=True,
              success=_("Revision request filed; the plan's administrators are told."),
              run=lambda *, actor, target, **data: revisions.revision_request_file(actor=actor, **data)),
    Operation(name="revision_request.close", model=RevisionRequest, label=_("Update"), input=s.CloseInput,
              output=s.RevisionRequestSerializer, lifecycle=REQUEST, guard=may_close,
              success=_("Revision request updated."),
              run=lambda *, actor, target, **data: revisions.revision_request_close(actor=actor, request=target,
                                                                                     **data)),
    Operation(name="opinion.record", model=ConsultationOpinion, label=_("Record"), input=s.OpinionInput,
              output=s.OpinionSerializer, guard=may_record_opinion, success=_("Opinion recorded."),
              run=lambda *, actor, target, opinion: consultation.opinion_record(actor=actor, opinion=target,
                                                                                 text=opinion)),
]

register(*PLAN_OPS)

from . import classification  # noqa: E402,F401  (the plan's 密级: its own module)
