"""Pages: the list of responses, the decision inbox, the response page, the key periods, and the
response panel of an incident page. Every page only shows; each write on them posts to an
operation's route (`incidents/response/operations.py`), offered only to who may take it now."""
from __future__ import annotations

from django.conf import settings
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render

from emergency.operations.pages import page
from emergency.org.scope import scoped
from emergency.org.tree import top_id
from incidents.selectors import incident_list

from . import selectors
from .filters import ResponseFilter
from .measures import catalogue_for
from .models import AuthorityRule, CommandPost, Order, Proposal, Response, ResponseMeasure, Transfer, WorkingGroup
from .suggest import suggest_level


def incident_for(user, pk: int):
    return get_object_or_404(incident_list(user=user), pk=pk)


def proposal_for(user, pk: int) -> Proposal:
    return get_object_or_404(selectors.proposal_list(user=user), pk=pk)


def response_for(user, pk: int) -> Response:
    return get_object_or_404(selectors.response_list(user=user), pk=pk)


def transfer_for(user, pk: int) -> Transfer:
    return get_object_or_404(selectors.transfer_list(user=user), pk=pk)


def help_request_for(user, pk: int):
    return get_object_or_404(selectors.help_request_list(user=user), pk=pk)


def order_for(user, pk: int) -> Order:
    return get_object_or_404(selectors.order_list(user=user), pk=pk)


def measure_for(user, pk: int) -> ResponseMeasure:
    return get_object_or_404(selectors.measure_list(user=user), pk=pk)


def incident_panel(request, incident) -> dict:
    """What the incident page shows about its response: the active one, the pending proposal, the
    suggested level; the forms (propose, start directly) are offered by the operations themselves."""
    active = list(Response.objects.filter(incident=incident, state=Response.State.ACTIVE).select_related(
        "command_unit", "drawn_into__command_unit").order_by("level", "id"))
    pending = Proposal.objects.filter(incident=incident, state=Proposal.State.PENDING).select_related(
        "proposed_by").first()
    if pending is not None:  # its reminder figure, the organisation's setting
        pending.rule = AuthorityRule.objects.filter(organisation_id=top_id(incident.unit_id), level=pending.level).first()
    return {"active_response": active[0] if active else None, "active_responses": active, "pending_proposal": pending, "suggestion": suggest_level(incident=incident),
            "past_responses": Response.objects.filter(incident=incident, state=Response.State.ENDED).count()}


@page
def response_list(request):
    user = request.user
    filters = ResponseFilter(request.GET or None, queryset=selectors.response_list(user=user).order_by("-started_at"))
    filters.form.fields["command_unit"].queryset = scoped(filters.form.fields["command_unit"].queryset, user)
    rows = filters.qs if filters.is_bound and filters.is_valid() else filters.queryset
    return render(request, "response/list.html", {
        "filters": filters, "page_obj": Paginator(rows, 25).get_page(request.GET.get("page"))})


@page
def inbox(request):
    return render(request, "response/inbox.html", {"proposals": selectors.inbox(user=request.user),
                                                   "map_tile_url": settings.MAP_TILE_URL})


@page
def response_detail(request, pk: int):
    response = selectors.response_detail(user=request.user, pk=pk)
    if response is None:
        response = response_for(request.user, pk)  # a foreign or missing id: the same 404
    pending_transfer = next((t for t in response.transfers.all() if t.state == Transfer.State.PENDING), None)
    return render(request, "response/detail.html", {
        "response": response, "proposals": response.proposals.all(), "transfers": response.transfers.all(),
        "pending_transfer": pending_transfer, "help_requests": response.help_requests.all(), **command_context(response), **measures_context(response),
    })


def measures_context(response) -> dict:
    """The plan's list for the incident's category, each with the measure assigned (or not yet)."""
    assigned = {m.key: m for m in ResponseMeasure.objects.filter(response=response).select_related(
        "department", "department__unit", "updated_by", "response", "response__incident", "response__command_unit")}
    catalogue = catalogue_for(response)
    return {"measure_rows": [(kind, assigned.get(kind.key)) for kind in catalogue],
            "measure_clause": catalogue[0].clause if catalogue else ""}


def command_context(response) -> dict:
    post = CommandPost.objects.filter(response=response).select_related("commander").first()
    groups = (WorkingGroup.objects.filter(post=post).select_related("lead_department")
              .prefetch_related("departments", "experts") if post else WorkingGroup.objects.none())
    return {
        "post": post, "groups": groups,
        "orders": Order.objects.filter(response=response).select_related(
            "department", "group", "issued_by", "acknowledged_by", "response", "response__incident",
            "response__command_unit"),
        "order_acknowledge_minutes": selectors.order_acknowledge_default(response),
    }


@page
def key_periods(request):
    return render(request, "response/key_periods.html", {"periods": selectors.key_period_list(user=request.user)})


def delegation_for(user, pk: int):
    from .delegation import grant_list
    return get_object_or_404(grant_list(user=user), pk=pk)


@page
def delegations(request):
    from .delegation import grant_list
    return render(request, "response/delegations.html", {"grants": grant_list(user=request.user)[:200]})
