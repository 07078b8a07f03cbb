"""The writes on responses, declared once: the pages and the API both dispatch through these.

On an incident (its response side): propose a level (start, raise, lower), start directly. On a
proposal: decide. On a response: end, transfer command upward (at the request, or taken by the
superior on its initiative), ask help and guidance above the top unit, open the command post, add a
working group, issue an order. On a transfer: the superior decides. On an order: acknowledge,
report progress, cancel. The calendar: add a key period."""
from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from emergency.errors import Conflict
from emergency.operations import Operation, register

from . import command, escalation, inputs, lifecycles, measures, rights, services
from .help_models import HelpRequest
from .models import KeyPeriod, Order, Proposal, Response, ResponseIncident, ResponseMeasure, Transfer
from .outputs import (CommandPostSerializer, DecisionSerializer, HelpAnswerSerializer, HelpRequestSerializer,
                      KeyPeriodSerializer, OrderSerializer, ProposalSerializer, ResponseMeasureSerializer, ResponseSerializer, TransferSerializer,
                      WorkingGroupSerializer)
from .suggest import CONTEXT_FLAGS


def _propose(*, actor, target, level, reasons, attachment_name="", attachment_url="", **flags):
    attachments = [{"name": attachment_name, "url": attachment_url}] if attachment_name.strip() else []
    return services.proposal_create(actor=actor, incident=target, level=level, reasons=reasons,
                                    context={flag: flags.get(flag, False) for flag in CONTEXT_FLAGS},
                                    attachments=attachments)


def _command(user, response: Response) -> None:
    command.require_command(user, response)


def _post_missing(user, response: Response) -> None:
    command.require_command(user, response)
    if hasattr(response, "command_post"):
        raise Conflict(_("This response already has a command post."))


def _post_open(user, response: Response) -> None:
    command.require_command(user, response)
    if not hasattr(response, "command_post"):
        raise Conflict(_("Open the command post first."))


def _serves(user, order: Order) -> None:
    command.require_serves(user, order)


def _cancel(user, order: Order) -> None:
    command.require_command(user, order.response)


PROPOSE = Operation(
    name="incident.propose", model=ResponseIncident, label=_("Propose"), input=inputs.ProposeInput,
    output=ProposalSerializer, guard=rights.may_propose, created=True, success=_("Proposal sent to the deciders."),
    run=_propose,
)
START = Operation(
    name="incident.start-response", model=ResponseIncident, label=_("Start the response"), input=inputs.StartInput,
    output=ResponseSerializer, guard=rights.may_start_directly, created=True, danger=True, success=_("Response started."),
    run=lambda *, actor, target, level, reason: services.response_start_direct(
        actor=actor, incident=target, level=level, reason=reason),
)
DECIDE = Operation(
    name="proposal.decide", model=Proposal, label=_("Decide"), input=inputs.DecideInput, output=DecisionSerializer,
    lifecycle=lifecycles.PROPOSAL, guard=rights.may_decide, created=True, danger=True, success=_("Decided."),
    run=lambda *, actor, target, outcome, level=None, reason="": services.proposal_decide(
        actor=actor, proposal=target, outcome=outcome, level=level, reason=reason),
)
END = Operation(
    name="response.end", model=Response, label=_("End the response"), input=inputs.ReasonInput,
    output=ResponseSerializer, lifecycle=lifecycles.RESPONSE, guard=rights.may_end, danger=True,
    success=_("Response ended."),
    run=lambda *, actor, target, reason: services.response_end(actor=actor, response=target, reason=reason),
)
TRANSFER = Operation(
    name="response.transfer", model=Response, label=_("Request the transfer"), input=inputs.ReasonInput,
    output=TransferSerializer, lifecycle=lifecycles.RESPONSE, guard=rights.may_transfer, created=True, danger=True,
    success=_("Transfer of command requested."),
    run=lambda *, actor, target, reason: services.transfer_request(actor=actor, response=target, reason=reason),
)
TAKE_COMMAND = Operation(
    name="response.take-command", model=Response, label=_("Take command"), input=inputs.ReasonInput,
    output=TransferSerializer, lifecycle=lifecycles.RESPONSE, guard=rights.may_take_command, created=True,
    danger=True, success=_("Command taken on the superior's initiative."),
    run=lambda *, actor, target, reason: escalation.transfer_take(actor=actor, response=target, reason=reason),
)
REQUEST_HELP = Operation(
    name="response.request-help", model=Response, label=_("Ask for help and guidance"),
    input=inputs.HelpRequestInput, output=HelpRequestSerializer, lifecycle=lifecycles.RESPONSE,
    guard=rights.may_request_help, created=True, success=_("Help and guidance asked; command stays with this unit."),
    run=lambda *, actor, target, asked: escalation.help_request(actor=actor, response=target, asked=asked),
)
ANSWER_HELP = Operation(
    name="help-request.answer", model=HelpRequest, label=_("Record the answer"), input=inputs.HelpAnswerInput,
    output=HelpAnswerSerializer, guard=rights.may_answer_help, created=True, success=_("Answer recorded."),
    run=lambda *, actor, target, outcome, content, answered_by, answered_at=None: escalation.help_answer(
        actor=actor, help_request=target, outcome=outcome, content=content, answered_by=answered_by,
        answered_at=answered_at),
)
OPEN_POST = Operation(
    name="response.open-post", model=Response, label=_("Open the command post"), input=inputs.PostInput,
    output=CommandPostSerializer, lifecycle=lifecycles.RESPONSE, guard=_post_missing, created=True,
    success=_("Command post opened."),
    run=lambda *, actor, target, name, location: command.post_open(actor=actor, response=target, name=name,
                                                                   location=location),
)
ADD_GROUP = Operation(
    name="response.add-group", model=Response, label=_("Add the working group"), input=inputs.GroupInput,
    output=WorkingGroupSerializer, lifecycle=lifecycles.RESPONSE, guard=_post_open, created=True,
    success=_("Working group added."),
    run=lambda *, actor, target, kind, lead_department, departments: command.group_add(
        actor=actor, post=target.command_post, kind=kind, lead_department=lead_department, departments=departments),
)
ISSUE_ORDER = Operation(
    name="response.issue-order", model=Response, label=_("Issue the order"), input=inputs.OrderInput,
    output=OrderSerializer, lifecycle=lifecycles.RESPONSE, guard=_command, created=True, success=_("Order issued."),
    run=lambda *, actor, target, text, group=None, department=None, acknowledge_within_minutes=None: command.order_issue(
        actor=actor, response=target, text=text, group=group, department=department,
        acknowledge_within_minutes=acknowledge_within_minutes),
)
DECIDE_TRANSFER = Operation(
    name="transfer.decide", model=Transfer, label=_("Take over command"), input=inputs.TransferDecisionInput,
    output=TransferSerializer, lifecycle=lifecycles.TRANSFER, guard=rights.may_accept_transfer,
    success=_("Transfer of command decided."),
    run=lambda *, actor, target, accept=False: services.transfer_decide(actor=actor, transfer=target, accept=accept),
)
RECORD_OUTSIDE = Operation(
    name="transfer.record-outside", model=Transfer, label=_("Record the acceptance outside"),
    input=inputs.OutsideAcceptanceInput, output=TransferSerializer, lifecycle=lifecycles.TRANSFER,
    guard=rights.may_record_outside, success=_("Command recorded as handed over."),
    run=lambda *, actor, target, accepted_by: services.transfer_record_outside(actor=actor, transfer=target,
                                                                               accepted_by=accepted_by),
)
ACKNOWLEDGE = Operation(
    name="order.acknowledge", model=Order, label=_("Acknowledge"), input=inputs.NoteInput, output=OrderSerializer,
    lifecycle=lifecycles.ORDER, state_attr="status", guard=_serves, success=_("Order acknowledged."),
    run=lambda *, actor, target, note="": command.order_update(actor=actor, order=target,
                                                               status=Order.Status.ACKNOWLEDGED, note=note),
)
REPORT = Operation(
    name="order.report", model=Order, label=_("Report progress"), input=inputs.OrderReportInput, output=OrderSerializer,
    lifecycle=lifecycles.ORDER, state_attr="status", guard=_serves, success=_("Order updated."),
    run=lambda *, actor, target, status, note="": command.order_update(actor=actor, order=target, status=status,
                                                                       note=note),
)
CANCEL = Operation(
    name="order.cancel", model=Order, label=_("Cancel the order"), input=inputs.OrderCancelInput, output=OrderSerializer,
    lifecycle=lifecycles.ORDER, state_attr="status", guard=_cancel, danger=True, success=_("Order cancelled."),
    run=lambda *, actor, target, note="": command.order_update(actor=actor, order=target,
                                                               status=Order.Status.CANCELLED, note=note),
)
ADD_KEY_PERIOD = Operation(
    name="key-period.add", label=_("Add the key period"), input=inputs.KeyPeriodInput, output=KeyPeriodSerializer,
    guard=lambda user, _target: rights.may_keep_key_periods(user), created=True, success=_("Key period added."),
    run=lambda *, actor, target, organisation, name, starts_at, ends_at: services.key_period_add(
        actor=actor, organisation=organisation, name=name, starts_at=starts_at, ends_at=ends_at),
    extra={"model": KeyPeriod},
)

ASSIGN_MEASURE = Operation(
    name="response.assign-measure", model=Response, label=_("Assign"), input=inputs.ResponseMeasureAssignInput,
    output=ResponseMeasureSerializer, lifecycle=lifecycles.RESPONSE, guard=_command, created=True,
    success=_("Measure assigned."),
    run=lambda *, actor, target, key, department: measures.measure_assign(actor=actor, response=target, key=key,
                                                                          department=department),
)


def _measure_report(status, label, success, input_=inputs.MeasureNoteInput, danger=False) -> Operation:
    verb = {S.IN_PROGRESS: "start", S.DONE: "done", S.NOT_APPLICABLE: "not-applicable"}[status]
    return Operation(
        name=f"response_measure.{verb}", model=ResponseMeasure, label=label, input=input_,
        output=ResponseMeasureSerializer, lifecycle=lifecycles.MEASURE, state_attr="status",
        guard=measures.require_reporter, success=success, danger=danger,
        run=lambda *, actor, target, note="": measures.measure_report(actor=actor, measure=target, status=status,
                                                                      note=note),
    )


S = ResponseMeasure.Status
MEASURE_START = _measure_report(S.IN_PROGRESS, _("Start the measure"), _("Measure under way."))
MEASURE_DONE = _measure_report(S.DONE, _("Report it done"), _("Measure done."))
MEASURE_NOT_APPLICABLE = _measure_report(S.NOT_APPLICABLE, _("Not applicable"), _("Measure marked not applicable."),
                                         input_=inputs.MeasureReasonInput, danger=True)

register(PROPOSE, START, DECIDE, END, TRANSFER, TAKE_COMMAND, REQUEST_HELP, ANSWER_HELP, OPEN_POST, ADD_GROUP, ISSUE_ORDER, DECIDE_TRANSFER, RECORD_OUTSIDE,
         ACKNOWLEDGE,
         REPORT, CANCEL, ADD_KEY_PERIOD, ASSIGN_MEASURE, MEASURE_START, MEASURE_DONE, MEASURE_NOT_APPLICABLE)
from . import dutylog_operations  # noqa: E402,F401  (the duty log: its own module)
from . import delegation_operations  # noqa: E402,F401  (delegated deciding authority: its own module)
