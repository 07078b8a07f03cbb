"""Pages: the decision inbox, the response page, and the response panel of an incident page.
Views parse and render; the services decide who may do what."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from emergency.ui.actions import FormInvalid, perform, valid
from incidents.selectors import incident_list

from . import selectors, services
from .forms import DecisionForm, DirectStartForm, ProposalForm, ReasonForm
from .models import Proposal, Response, Transfer
from .suggest import suggest_level


def incident_panel(request, incident) -> dict:
    """What the incident page shows about its response: the active one, the pending proposal,
    the suggested level, and the forms the user may use."""
    active = Response.objects.filter(incident=incident, state=Response.State.ACTIVE).select_related(
        "command_unit").first()
    pending = Proposal.objects.filter(incident=incident, state=Proposal.State.PENDING).select_related(
        "proposed_by").first()
    suggestion = suggest_level(incident=incident)
    return {"active_response": active, "pending_proposal": pending, "suggestion": suggestion,
            "proposal_form": ProposalForm(initial={"level": suggestion.level}),
            "direct_form": DirectStartForm(initial={"level": suggestion.level}),
            "past_responses": Response.objects.filter(incident=incident, state=Response.State.ENDED).count()}


@login_required
def inbox(request):
    from django.conf import settings

    return render(request, "response/inbox.html", {"proposals": selectors.inbox(user=request.user),
                                                   "form": DecisionForm(), "map_tile_url": settings.MAP_TILE_URL})


def _incident(request, pk: int):
    incident = incident_list(user=request.user).filter(pk=pk).first()
    if incident is None:
        raise Http404
    return incident


@login_required
@require_POST
def propose(request, pk: int):
    incident = _incident(request, pk)
    form = ProposalForm(request.POST)

    def create():
        data = valid(form)
        services.proposal_create(actor=request.user, incident=incident, level=data["level"],
                                 reasons=data["reasons"], context=form.context_flags(), attachments=form.attachments())

    perform(request, create, _("Proposal sent to the deciders."))
    return redirect("incident-detail", pk=incident.pk)


@login_required
@require_POST
def start_direct(request, pk: int):
    incident = _incident(request, pk)
    started = []

    def start():
        data = valid(DirectStartForm(request.POST))
        started.append(services.response_start_direct(actor=request.user, incident=incident, level=data["level"],
                                                      reason=data["reason"]))

    if perform(request, start, _("Response started.")):
        return redirect("response-detail", pk=started[0].pk)
    return redirect("incident-detail", pk=incident.pk)


@login_required
@require_POST
def decide(request, pk: int):
    proposal = selectors.proposal_list(user=request.user).filter(pk=pk).first()
    if proposal is None:
        raise Http404
    decided = []

    def decide_it():
        data = valid(DecisionForm(request.POST))
        decided.append(services.proposal_decide(actor=request.user, proposal=proposal, outcome=data["outcome"],
                                                level=data["level"], reason=data["reason"]))

    if not perform(request, decide_it, ""):
        return redirect("response-inbox")
    decision = decided[0]
    if decision.response_id:
        messages.success(request, _("Decided: level %(level)s response.") % {"level": decision.level})
        return redirect("response-detail", pk=decision.response_id)
    messages.success(request, _("Proposal rejected."))
    return redirect("response-inbox")


@login_required
def response_detail(request, pk: int):
    response = selectors.response_detail(user=request.user, pk=pk)
    if response is None:
        raise Http404
    pending_transfer = next((t for t in response.transfers.all() if t.state == Transfer.State.PENDING), None)
    return render(request, "response/detail.html", {
        "response": response, "proposals": response.proposals.all(), "transfers": response.transfers.all(),
        "pending_transfer": pending_transfer, "end_form": ReasonForm(), "transfer_form": ReasonForm(),
        "decision_form": DecisionForm(), **command_context(response, request.user),
    })


def _response_action(request, pk: int, action, success: str):
    """An action on a response that needs a confirmed reason."""
    return _command_action(request, pk, lambda response: action(response, valid(ReasonForm(request.POST))["reason"]),
                           success)


@login_required
@require_POST
def end(request, pk: int):
    return _response_action(request, pk, lambda r, reason: services.response_end(
        actor=request.user, response=r, reason=reason), _("Response ended."))


@login_required
@require_POST
def transfer(request, pk: int):
    return _response_action(request, pk, lambda r, reason: services.transfer_request(
        actor=request.user, response=r, reason=reason), _("Transfer of command requested."))


@login_required
@require_POST
def transfer_decide(request, pk: int):
    item = Transfer.objects.filter(pk=pk, response__in=selectors.response_list(user=request.user)).first()
    if item is None:
        raise Http404
    perform(request, lambda: services.transfer_decide(actor=request.user, transfer=item,
                                                       accept=request.POST.get("accept") == "1"),
            _("Transfer of command decided."))
    return redirect("response-detail", pk=item.response_id)


def _departments_for(response):
    from emergency.org.models import Department
    from emergency.org.tree import reach_ids

    return Department.objects.filter(unit_id__in=reach_ids(response.command_unit)).select_related("unit").order_by("unit_id", "position")


def command_context(response, user) -> dict:
    from .forms import GroupForm, OrderForm, PostForm
    from .models import CommandPost, Order, WorkingGroup

    post = CommandPost.objects.filter(response=response).select_related("commander").first()
    groups = (WorkingGroup.objects.filter(post=post).select_related("lead_department")
              .prefetch_related("departments", "experts") if post else WorkingGroup.objects.none())
    departments = _departments_for(response)
    return {
        "post": post, "groups": groups,
        "orders": Order.objects.filter(response=response).select_related("department", "group", "issued_by",
                                                                         "acknowledged_by"),
        "post_form": PostForm(), "group_form": GroupForm(departments=departments, user=user),
        "order_form": OrderForm(departments=departments, groups=groups, user=user),
    }


def _command_action(request, pk: int, action, success: str):
    response = selectors.response_list(user=request.user).filter(pk=pk).first()
    if response is None:
        raise Http404
    perform(request, lambda: action(response), success)
    return redirect("response-detail", pk=pk)


@login_required
@require_POST
def post_open(request, pk: int):
    from . import command
    from .forms import PostForm

    return _command_action(request, pk, lambda r: command.post_open(actor=request.user, response=r,
                                                                    **valid(PostForm(request.POST))),
                           _("Command post opened."))


@login_required
@require_POST
def group_add(request, pk: int):
    from . import command
    from .forms import GroupForm
    from .models import CommandPost

    def add(response):
        data = valid(GroupForm(request.POST, departments=_departments_for(response), user=request.user))
        post = CommandPost.objects.filter(response=response).first()
        if post is None:
            raise FormInvalid(_("Open the command post first."))
        command.group_add(actor=request.user, post=post, kind=data["kind"], lead_department=data["lead_department"],
                          departments=list(data["departments"]))

    return _command_action(request, pk, add, _("Working group added."))


@login_required
@require_POST
def order_issue(request, pk: int):
    from . import command
    from .forms import OrderForm
    from .models import WorkingGroup

    def issue(response):
        data = valid(OrderForm(request.POST, departments=_departments_for(response),
                                groups=WorkingGroup.objects.filter(post__response=response), user=request.user))
        command.order_issue(actor=request.user, response=response, text=data["text"], department=data["department"],
                            group=data["group"], acknowledge_within_minutes=data["acknowledge_within_minutes"])

    return _command_action(request, pk, issue, _("Order issued."))


@login_required
@require_POST
def order_update(request, pk: int, order_pk: int):
    from . import command
    from .models import Order

    def update(response):
        order = Order.objects.filter(pk=order_pk, response=response).first()
        if order is None:
            raise Http404
        command.order_update(actor=request.user, order=order, status=request.POST.get("status", ""),
                             note=request.POST.get("note", ""))

    return _command_action(request, pk, update, _("Order updated."))


@login_required
def key_periods(request):
    from emergency.org.models import OrgUnit
    from emergency.org.roles import Role
    from emergency.org.scope import unit_scope

    from .forms import KeyPeriodForm
    from .models import KeyPeriod

    tops = OrgUnit.objects.filter(parent__isnull=True, pk__in=unit_scope(request.user).units_with(
        Role.PLAN_ADMIN, Role.SYSTEM_ADMIN))
    form = KeyPeriodForm(request.POST or None, organisations=tops, user=request.user)
    if request.method == "POST" and perform(
            request, lambda: services.key_period_add(actor=request.user, **valid(form)), _("Key period added.")):
        return redirect("key-periods")
    periods = KeyPeriod.objects.filter(organisation__in=OrgUnit.objects.filter(
        pk__in=unit_scope(request.user).visible, parent__isnull=True)).select_related("organisation")
    return render(request, "response/key_periods.html", {"periods": periods, "form": form if tops else None})
