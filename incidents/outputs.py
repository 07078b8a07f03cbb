"""What the API answers about incidents: the records, and what each operation returns."""
from __future__ import annotations

from rest_framework import serializers

from emergency.api.serializers import OutputSerializer
from plans.models import AnnualReviewDuty

from .models import (Incident, IncidentReport, Investigation, PublicRelease, ReleaseDecision, ReportCopy,
                     ReportDispatch, ReportingDeadline)


class DeadlineSerializer(OutputSerializer):
    class Meta:
        model = ReportingDeadline
        fields = ["id", "kind", "due_at", "state", "met_at", "missed_at"]


class DispatchSerializer(OutputSerializer):
    class Meta:
        model = ReportDispatch
        fields = ["id", "route", "unit", "recipient", "sent_at", "sent_by"]


class ReportCopyOutput(OutputSerializer):
    """A copy (抄送) of a report: to whom, why (the clause), sent and acknowledged when."""
    state = serializers.CharField(read_only=True)

    class Meta:
        model = ReportCopy
        fields = ["id", "report", "dispatch", "unit", "department", "recipient", "basis", "sent_at", "state",
                  "acknowledged_at", "acknowledged_by"]


class ReportSerializer(OutputSerializer):
    dispatches = DispatchSerializer(many=True, read_only=True)
    copies = ReportCopyOutput(many=True, read_only=True)

    class Meta:
        model = IncidentReport
        fields = ["id", "incident", "sequence", "kind", "body", "author", "submitted_at", "metrics", "checked",
                  "grade", "grade_reasons", "grade_table", "corrects", "correction_reason", "contents", "dispatches",
                  "copies"]


class SentOutput(serializers.Serializer):
    """The dispatches a send just made, and the copies made with them."""
    dispatches = DispatchSerializer(many=True, read_only=True)
    copies = ReportCopyOutput(many=True, read_only=True)


class IncidentListSerializer(OutputSerializer):
    type = serializers.CharField(source="incident_type.code", read_only=True)
    has_late = serializers.BooleanField(read_only=True)

    class Meta:
        model = Incident
        fields = ["id", "number", "unit", "title", "type", "address", "received_at", "grade", "status",
                  "may_cause_panic", "reported_regardless", "lead_department", "has_late"]


class IncidentSerializer(IncidentListSerializer):
    secondary_types = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    grade_table = serializers.PrimaryKeyRelatedField(read_only=True)
    deadlines = DeadlineSerializer(many=True, read_only=True)
    reports = ReportSerializer(many=True, read_only=True)

    class Meta(IncidentListSerializer.Meta):
        fields = IncidentListSerializer.Meta.fields + [
            "secondary_types", "latitude", "longitude", "occurred_at", "discovered_at", "metrics", "checked",
            "grade_reasons", "grade_table", "grade_set_by", "grade_set_reason", "created_by", "classification",
            "deadlines", "reports"]


class IncidentStateOutput(OutputSerializer):
    """An incident after an operation on it: its grade, status, lead department and deadlines."""
    deadlines = DeadlineSerializer(many=True, read_only=True)

    class Meta:
        model = Incident
        fields = ["id", "number", "grade", "grade_set_by", "grade_set_reason", "status", "may_cause_panic",
                  "lead_department", "deadlines"]


class IncidentLoggedOutput(serializers.Serializer):
    """The answer to logging an incident, built from what the service just wrote (no reads)."""
    id = serializers.IntegerField()
    number = serializers.CharField()
    unit = serializers.IntegerField()
    title = serializers.CharField()
    type = serializers.CharField()
    grade = serializers.CharField()
    grade_reasons = serializers.ListField(child=serializers.DictField())
    grade_table = serializers.IntegerField()
    status = serializers.CharField()
    received_at = serializers.DateTimeField()
    deadlines = serializers.ListField(child=serializers.DictField())
    reports = serializers.ListField(child=serializers.DictField())

    def to_representation(self, incident):
        return {
            "id": incident.pk, "number": incident.number, "unit": incident.unit_id, "title": incident.title,
            "type": incident.incident_type.code, "grade": incident.grade, "grade_reasons": incident.grade_reasons,
            "grade_table": incident.grade_table_id, "status": incident.status,
            "received_at": incident.received_at,
            "deadlines": [{"id": d.pk, "kind": d.kind, "due_at": d.due_at,
                           "state": d.state} for d in incident.deadlines.all()],
            "reports": [{"id": r.pk, "sequence": r.sequence, "kind": r.kind,
                         "submitted_at": r.submitted_at,
                         "grade": r.grade} for r in incident.reports.all()],
        }


class ReleaseOutput(OutputSerializer):
    class Meta:
        model = PublicRelease
        fields = ["id", "incident", "kind", "drafted_at", "channel", "text", "recorded_by", "state", "published_at"]

    state = serializers.ChoiceField(choices=PublicRelease.State.choices, read_only=True)
    published_at = serializers.DateTimeField(read_only=True, allow_null=True)


class ReleaseDecisionOutput(OutputSerializer):
    class Meta:
        model = ReleaseDecision
        fields = ["id", "release", "approved", "reason", "decided_by", "decided_as", "decided_at"]


class InvestigationOutput(OutputSerializer):
    class Meta:
        model = Investigation
        fields = ["id", "incident", "summary", "causes", "losses", "responsibility", "recovery", "lessons",
                  "submitted_by", "submitted_at"]


class ReviewDutyOutput(OutputSerializer):
    class Meta:
        model = AnnualReviewDuty
        fields = ["id", "unit", "year", "due_on", "done_at", "done_by"]
