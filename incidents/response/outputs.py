"""What the API answers about responses and their records (every field read-only)."""
from __future__ import annotations

from django.utils import timezone
from rest_framework import serializers

from emergency.api.serializers import OutputSerializer

from .help_models import HelpAnswer, HelpRequest
from .models import (CommandPost, Decision, KeyPeriod, Order, Proposal, Response, ResponseMeasure, Transfer,
                     WorkingGroup)


class DecisionSerializer(OutputSerializer):
    class Meta:
        model = Decision
        fields = ["id", "outcome", "level", "reason", "authority", "decided_by", "decided_at", "response", "delegation"]


class ProposalSerializer(OutputSerializer):
    decision = DecisionSerializer(read_only=True, allow_null=True)  # null while the proposal is pending
    age_seconds = serializers.SerializerMethodField()

    class Meta:
        model = Proposal
        fields = ["id", "incident", "response", "kind", "level", "command_unit", "reasons", "attachments", "context",
                  "suggested_level", "suggestion", "direct", "proposed_by", "proposed_at", "state", "decision",
                  "age_seconds"]

    def get_age_seconds(self, proposal) -> int:
        return int((timezone.now() - proposal.proposed_at).total_seconds())


class TransferSerializer(OutputSerializer):
    class Meta:
        model = Transfer
        fields = ["id", "response", "from_unit", "to_unit", "to_body", "initiative", "accepted_outside_by", "reason",
                  "requested_by", "requested_at", "state", "decided_by", "decided_at"]


class HelpAnswerSerializer(OutputSerializer):
    class Meta:
        model = HelpAnswer
        fields = ["id", "help_request", "outcome", "content", "answered_by", "answered_at", "recorded_by",
                  "recorded_at"]


class HelpRequestSerializer(OutputSerializer):
    answers = HelpAnswerSerializer(many=True, read_only=True)

    class Meta:
        model = HelpRequest
        fields = ["id", "response", "from_unit", "to_unit", "to_body", "asked", "requested_by", "requested_at",
                  "answers"]


class ResponseSerializer(OutputSerializer):
    class Meta:
        model = Response
        fields = ["id", "incident", "command_unit", "level", "state", "started_at", "started_by", "ended_at",
                  "ended_by", "end_reason", "external_command"]


class CommandPostSerializer(OutputSerializer):
    class Meta:
        model = CommandPost
        fields = ["id", "response", "name", "location", "commander", "opened_at", "opened_by", "closed_at"]


class WorkingGroupSerializer(OutputSerializer):
    response = serializers.IntegerField(source="post.response_id", read_only=True)

    class Meta:
        model = WorkingGroup
        fields = ["id", "post", "response", "kind", "lead_department", "departments", "experts", "closed_at"]


class OrderSerializer(OutputSerializer):
    class Meta:
        model = Order
        fields = ["id", "response", "group", "department", "text", "issued_by", "issued_at",
                  "acknowledge_within_seconds", "status", "acknowledged_at", "acknowledged_by", "note"]


class ResponseMeasureSerializer(OutputSerializer):
    wording = serializers.CharField(read_only=True)
    department_name = serializers.CharField(source="department.name", read_only=True)

    class Meta:
        model = ResponseMeasure
        fields = ["id", "response", "key", "wording", "department", "department_name", "status", "note",
                  "assigned_by", "assigned_at", "updated_by", "updated_at"]


class KeyPeriodSerializer(OutputSerializer):
    class Meta:
        model = KeyPeriod
        fields = ["id", "organisation", "name", "starts_at", "ends_at"]
