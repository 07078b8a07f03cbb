"""REST API of responses: propose, decide, start directly, end, transfer; the inbox and history."""
from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action, api_view
from rest_framework.response import Response as ApiResponse

from emergency.api.fields import ScopedPrimaryKeyField
from emergency.api.serializers import OutputSerializer
from emergency.errors import NotFound
from emergency.org import selectors as org_selectors
from incidents import selectors as incident_selectors

from . import selectors, services
from .models import Decision, Level, Proposal, Response, Transfer
from .suggest import CONTEXT_FLAGS, suggest_level


class DecisionSerializer(OutputSerializer):
    class Meta:
        model = Decision
        fields = ["id", "outcome", "level", "reason", "authority", "decided_by", "decided_at", "response"]


class ProposalSerializer(OutputSerializer):
    decision = DecisionSerializer(read_only=True, allow_null=True)  # null while the proposal is pending
    age_seconds = serializers.SerializerMethodField()

    class Meta:
        model = Proposal
        fields = ["id", "incident", "response", "kind", "level", "command_unit", "reasons", "attachments", "context",
                  "suggested_level", "suggestion", "direct", "proposed_by", "proposed_at", "state", "decision",
                  "age_seconds"]

    def get_age_seconds(self, proposal) -> int:
        from django.utils import timezone

        return int((timezone.now() - proposal.proposed_at).total_seconds())


class TransferSerializer(OutputSerializer):
    class Meta:
        model = Transfer
        fields = ["id", "from_unit", "to_unit", "reason", "requested_by", "requested_at", "state", "decided_by",
                  "decided_at"]


class ResponseSerializer(OutputSerializer):
    class Meta:
        model = Response
        fields = ["id", "incident", "command_unit", "level", "state", "started_at", "started_by", "ended_at",
                  "ended_by", "end_reason"]


class ProposalInput(serializers.Serializer):
    incident = ScopedPrimaryKeyField(incident_selectors.incident_list)
    level = serializers.ChoiceField(choices=Level.choices)
    reasons = serializers.CharField()
    command_unit = ScopedPrimaryKeyField(org_selectors.units_visible, required=False, allow_null=True)
    context = serializers.DictField(child=serializers.BooleanField(), required=False, default=dict)
    attachments = serializers.ListField(child=serializers.DictField(child=serializers.CharField()), required=False,
                                        default=list)


class DecisionInput(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=Decision.Outcome.choices)
    level = serializers.ChoiceField(choices=Level.choices, required=False, allow_null=True)
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class StartInput(serializers.Serializer):
    incident = ScopedPrimaryKeyField(incident_selectors.incident_list)
    level = serializers.ChoiceField(choices=Level.choices)
    reason = serializers.CharField()


class ReasonInput(serializers.Serializer):
    reason = serializers.CharField()


class TransferDecisionInput(serializers.Serializer):
    accept = serializers.BooleanField(required=False, default=False)


class ProposalViewSet(viewsets.ReadOnlyModelViewSet):
    """Proposals in my units; `?inbox=1` keeps those waiting for my decision."""

    serializer_class = ProposalSerializer

    def get_queryset(self):
        return selectors.proposal_list(user=self.request.user).order_by("-proposed_at")

    def list(self, request, *args, **kwargs):
        if request.query_params.get("inbox") in ("1", "true"):
            return ApiResponse(ProposalSerializer(selectors.inbox(user=request.user), many=True).data)
        return super().list(request, *args, **kwargs)

    @extend_schema(request=ProposalInput, responses=ProposalSerializer)
    def create(self, request):
        data = ProposalInput(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        proposal = services.proposal_create(actor=request.user, **data.validated_data)
        return ApiResponse(ProposalSerializer(proposal).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=DecisionInput, responses={201: DecisionSerializer})
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        data = DecisionInput(data=request.data)
        data.is_valid(raise_exception=True)
        decision = services.proposal_decide(actor=request.user, proposal=self.get_object(), **data.validated_data)
        return ApiResponse(DecisionSerializer(decision).data, status=status.HTTP_201_CREATED)


class ResponseViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = ResponseSerializer

    def get_queryset(self):
        return selectors.response_list(user=self.request.user).order_by("-started_at")

    @extend_schema(request=StartInput, responses={201: ResponseSerializer})
    @action(detail=False, methods=["post"])
    def start(self, request):
        data = StartInput(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        response = services.response_start_direct(actor=request.user, **data.validated_data)
        return ApiResponse(ResponseSerializer(response).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ReasonInput, responses=ResponseSerializer)
    @action(detail=True, methods=["post"])
    def end(self, request, pk=None):
        data = ReasonInput(data=request.data)
        data.is_valid(raise_exception=True)
        response = services.response_end(actor=request.user, response=self.get_object(), **data.validated_data)
        return ApiResponse(ResponseSerializer(response).data)

    @extend_schema(request=ReasonInput, responses={201: TransferSerializer})
    @action(detail=True, methods=["post"])
    def transfer(self, request, pk=None):
        data = ReasonInput(data=request.data)
        data.is_valid(raise_exception=True)
        transfer = services.transfer_request(actor=request.user, response=self.get_object(), **data.validated_data)
        return ApiResponse(TransferSerializer(transfer).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=TransferDecisionInput, responses=TransferSerializer)
    @action(detail=True, methods=["post"], url_path=r"transfers/(?P<transfer_id>\d+)/decide")
    def transfer_decide(self, request, pk=None, transfer_id=None):
        transfer = self.get_object().transfers.filter(pk=transfer_id).first()
        if transfer is None:
            raise NotFound(_("Not found."))
        data = TransferDecisionInput(data=request.data)
        data.is_valid(raise_exception=True)
        transfer = services.transfer_decide(actor=request.user, transfer=transfer, **data.validated_data)
        return ApiResponse(TransferSerializer(transfer).data)


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
