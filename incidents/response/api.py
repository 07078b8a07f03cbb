"""REST API of responses: read them (scoped to the user's units, filtered) and take every operation
the pages offer (`incidents/response/operations.py`), each a POST action with the same rules:

    POST /incidents/<id>/propose/, /incidents/<id>/start-response/      on an incident
    POST /proposals/<id>/decide/                                         in the inbox
    POST /responses/<id>/end/, transfer/, take-command/, request-help/, open-post/, add-group/, issue-order/
    POST /transfers/<id>/decide/; /orders/<id>/acknowledge/, report/, cancel/; /key-periods/add/
    POST /help-requests/<id>/answer/ (GET /help-requests/: scoped list)
    POST /responses/<id>/assign-measure/; /response-measures/<id>/start/, done/, not-applicable/
"""
from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.decorators import api_view
from rest_framework.response import Response as ApiResponse

from emergency.api.viewsets import ReadOnlyScopedViewSet, ScopedViewSet
from emergency.errors import NotFound
from emergency.operations.api import with_operations
from incidents import selectors as incident_selectors

from . import operations  # noqa: F401  (registers the responses' operations)
from . import delegation, selectors
from .filters import ResponseFilter
from .help_models import HelpRequest
from .models import Order, Proposal, Response, ResponseIncident, ResponseMeasure, Transfer
from .outputs import (CommandPostSerializer, HelpRequestSerializer, KeyPeriodSerializer, OrderSerializer, ProposalSerializer,
                      ResponseMeasureSerializer, ResponseSerializer, TransferSerializer, WorkingGroupSerializer)
from .suggest import CONTEXT_FLAGS, suggest_level


@with_operations(model=Proposal)
class ProposalViewSet(ReadOnlyScopedViewSet):
    """Proposals in my units; `?inbox=1` keeps those waiting for my decision."""

    selector = selectors.proposal_list
    serializer_class = ProposalSerializer
    filterset_fields = ["incident", "state"]

    def get_queryset(self):
        return super().get_queryset().order_by("-proposed_at")

    @extend_schema(parameters=[OpenApiParameter("inbox", bool, description="only those waiting for my decision")])
    def list(self, request, *args, **kwargs):
        if request.query_params.get("inbox") in ("1", "true"):
            waiting = selectors.inbox(user=request.user)  # paged like the list, as the schema says
            page = self.paginate_queryset(waiting)
            if page is None:
                return ApiResponse(self.get_serializer(waiting, many=True).data)
            return self.get_paginated_response(self.get_serializer(page, many=True).data)
        return super().list(request, *args, **kwargs)


@with_operations(model=Response)
class ResponseViewSet(ReadOnlyScopedViewSet):
    """Responses in my units, newest first; filter by state, level, commanding unit or incident."""

    selector = selectors.response_list
    serializer_class = ResponseSerializer
    filterset_class = ResponseFilter

    def get_queryset(self):
        return super().get_queryset().order_by("-started_at")


@with_operations(model=ResponseIncident)
class IncidentResponseViewSet(ScopedViewSet):
    """The response side of an incident: propose a level, start one directly."""

    selector = incident_selectors.incident_list
    serializer_class = ResponseSerializer


@with_operations(model=Transfer)
class TransferViewSet(ReadOnlyScopedViewSet):
    selector = selectors.transfer_list
    serializer_class = TransferSerializer
    filterset_fields = ["response", "state"]


@with_operations(model=Order)
class OrderViewSet(ReadOnlyScopedViewSet):
    queryset = Order.objects.none()  # the schema's model; the answers come from the selector
    selector = selectors.order_list
    serializer_class = OrderSerializer
    filterset_fields = ["response", "status", "department"]


@with_operations(model=ResponseMeasure)
class ResponseMeasureViewSet(ReadOnlyScopedViewSet):
    """Response measures in my units and those assigned to my departments."""

    queryset = ResponseMeasure.objects.none()  # the schema's model; the answers come from the selector
    selector = selectors.measure_list
    serializer_class = ResponseMeasureSerializer
    filterset_fields = ["response", "status", "department"]


class CommandPostViewSet(ReadOnlyScopedViewSet):
    selector = selectors.command_post_list
    serializer_class = CommandPostSerializer
    filterset_fields = ["response"]


class WorkingGroupViewSet(ReadOnlyScopedViewSet):
    selector = selectors.groups_of
    serializer_class = WorkingGroupSerializer
    filterset_fields = ["post"]


@with_operations("key-period.add")
class KeyPeriodViewSet(ReadOnlyScopedViewSet):
    selector = selectors.key_period_list
    serializer_class = KeyPeriodSerializer


@with_operations("delegation.grant", "delegation.withdraw")
class DelegationViewSet(ReadOnlyScopedViewSet):
    """Grants of a level's deciding authority (city 1.4.2 "或其授权的领导同志"): grant/, <id>/withdraw/."""
    selector = delegation.grant_list
    serializer_class = delegation.DelegationGrantSerializer
    filterset_fields = ["unit", "level", "grantee"]


@with_operations(model=HelpRequest)
class HelpRequestViewSet(ReadOnlyScopedViewSet):
    """Help and guidance asked above the top unit (city 3.3.3), with the answers recorded: <id>/answer/."""
    queryset = HelpRequest.objects.none()  # the schema's model; the answers come from the selector
    selector = selectors.help_request_list
    serializer_class = HelpRequestSerializer
    filterset_fields = ["response"]


@extend_schema(responses=inline_serializer("SuggestedLevel", {
    "level": serializers.IntegerField(allow_null=True),  # null: no level suggested (ungraded; a county's own)
    "reasons": serializers.ListField(child=serializers.CharField())}))
@api_view(["GET"])
def suggested_level(request, pk: int):
    """The suggested response level for an incident; context flags as query parameters."""
    incident = incident_selectors.incident_list(user=request.user).filter(pk=pk).first()
    if incident is None:
        raise NotFound(_("Not found."))
    context = {flag: request.query_params.get(flag) in ("1", "true") for flag in CONTEXT_FLAGS}
    suggestion = suggest_level(incident=incident, context=context)
    return ApiResponse({"level": suggestion.level, "reasons": suggestion.reasons})
