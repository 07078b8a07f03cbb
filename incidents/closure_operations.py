"""Closing a report as no incident (incidents/closure.py), declared once as an operation for the
incident page and the API (`POST /api/v1/incidents/{id}/close/`)."""
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from emergency.api.fields import ScopedPrimaryKeyField
from emergency.operations import Operation, register

from . import closure, selectors
from .models import Incident, IncidentClosure


class ClosureSerializer(serializers.ModelSerializer):
    class Meta:
        model = IncidentClosure
        fields = ["incident", "reason", "duplicate_of", "explanation", "closed_by", "closed_at"]
        read_only_fields = fields


class CloseInput(serializers.Serializer):
    reason = serializers.ChoiceField(label=_("Reason"), choices=IncidentClosure.Reason.choices)
    duplicate_of = ScopedPrimaryKeyField(selectors.incident_list, label=_("Duplicate of"), required=False,
                                         allow_null=True)
    explanation = serializers.CharField(label=_("Explanation"), max_length=4000,
                                        style={"base_template": "textarea.html"})


CLOSE = Operation(
    name="incident.close", model=Incident, label=_("Close as no incident"), input=CloseInput,
    output=ClosureSerializer, created=True, danger=True,
    guard=lambda user, incident: closure.require_may_close(user, incident),
    success=_("Closed as no incident; its reporting clocks are stopped."),
    run=lambda *, actor, target, **data: closure.incident_close(actor=actor, incident=target, **data),
)

register(CLOSE)
