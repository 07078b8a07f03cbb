"""The API's answers about warnings, with the links other systems follow: each issued version's
CAP 1.2 document and the warning's public page."""
from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from rest_framework import serializers

from emergency.api.serializers import OutputSerializer

from .models import EarlyWarning, WarningMeasure, WarningMessage


def _absolute(request, path: str) -> str:
    return request.build_absolute_uri(path) if request is not None else f"{settings.PUBLIC_BASE_URL}{path}"


class WarningMessageOutput(OutputSerializer):
    cap = serializers.SerializerMethodField()

    class Meta:
        model = WarningMessage
        fields = ["id", "sequence", "msg_type", "sent_at", "reported_to", "cap"]

    def get_cap(self, message) -> str:
        return _absolute(self.context.get("request"), reverse("warning-cap-message",
                                                              args=[message.warning_id, message.sequence]))


class WarningMeasureOutput(OutputSerializer):
    wording = serializers.CharField(read_only=True)

    class Meta:
        model = WarningMeasure
        fields = ["id", "warning", "key", "wording", "department", "status", "note", "updated_at"]


class WarningOutput(OutputSerializer):
    messages = WarningMessageOutput(many=True, read_only=True)
    measures = WarningMeasureOutput(many=True, read_only=True)
    cap = serializers.SerializerMethodField()

    class Meta:
        model = EarlyWarning
        fields = ["id", "unit", "incident_type", "level", "title", "state", "signs", "assessment", "points",
                  "measures_text", "starts_at", "expected_end", "expires_at", "area_desc", "polygon", "circle",
                  "area_units", "neighbours", "linked_organisations", "incident", "cap", "messages", "measures"]

    def get_cap(self, warning) -> str | None:
        """The latest issued version's CAP document (none for a draft)."""
        if not warning.messages.all():
            return None
        return _absolute(self.context.get("request"), reverse("warning-cap", args=[warning.pk]))


class EscalationOutput(serializers.Serializer):
    incident = serializers.IntegerField(source="0.pk")
    proposal = serializers.IntegerField(source="1.pk")
