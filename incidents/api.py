"""REST API of incidents: log one (with its initial report), list and read them, add reports,
send reports up, record releases, set the lead department and the grade, list late deadlines."""
from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action, api_view
from rest_framework.response import Response

from emergency.api.fields import ScopedPrimaryKeyField
from emergency.api.serializers import OutputSerializer
from emergency.api.viewsets import ReadOnlyScopedViewSet
from emergency.errors import NotFound
from emergency.ui.actions import int_or_none, year_or_none
from emergency.org import selectors as org_selectors

from . import selectors, services
from .models import Incident, IncidentReport, PublicRelease, ReportDispatch, ReportingDeadline


class DeadlineSerializer(OutputSerializer):
    class Meta:
        model = ReportingDeadline
        fields = ["id", "kind", "due_at", "state", "met_at", "missed_at"]


class DispatchSerializer(OutputSerializer):
    class Meta:
        model = ReportDispatch
        fields = ["id", "route", "unit", "recipient", "sent_at", "sent_by"]


class ReportSerializer(OutputSerializer):
    dispatches = DispatchSerializer(many=True, read_only=True)

    class Meta:
        model = IncidentReport
        fields = ["id", "sequence", "kind", "body", "author", "submitted_at", "metrics", "checked", "grade",
                  "grade_reasons", "grade_table", "corrects", "correction_reason", "dispatches"]


class IncidentListSerializer(OutputSerializer):
    type = serializers.CharField(source="incident_type.code", read_only=True)
    has_late = serializers.BooleanField(read_only=True)

    class Meta:
        model = Incident
        fields = ["id", "number", "unit", "title", "type", "address", "received_at", "grade", "status",
                  "may_cause_panic", "lead_department", "has_late"]


class IncidentSerializer(IncidentListSerializer):
    secondary_types = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    grade_table = serializers.PrimaryKeyRelatedField(read_only=True)
    deadlines = DeadlineSerializer(many=True, read_only=True)
    reports = ReportSerializer(many=True, read_only=True)

    class Meta(IncidentListSerializer.Meta):
        fields = IncidentListSerializer.Meta.fields + [
            "secondary_types", "latitude", "longitude", "occurred_at", "discovered_at", "metrics", "checked",
            "grade_reasons", "grade_table", "grade_set_by", "grade_set_reason", "created_by",
            "deadlines", "reports"]


class IncidentLogSerializer(serializers.Serializer):
    unit = ScopedPrimaryKeyField(org_selectors.units_visible)
    type = serializers.CharField()
    secondary_types = serializers.ListField(child=serializers.CharField(), required=False, default=list)
    title = serializers.CharField(max_length=200)
    address = serializers.CharField(max_length=300)
    latitude = serializers.DecimalField(max_digits=9, decimal_places=6, required=False, allow_null=True)
    longitude = serializers.DecimalField(max_digits=9, decimal_places=6, required=False, allow_null=True)
    occurred_at = serializers.DateTimeField()
    discovered_at = serializers.DateTimeField(required=False, allow_null=True)
    received_at = serializers.DateTimeField()
    metrics = serializers.JSONField(required=False, default=dict)
    checked = serializers.ListField(child=serializers.CharField(), required=False, default=list)
    may_cause_panic = serializers.BooleanField(required=False, default=False)
    lead_department = ScopedPrimaryKeyField(org_selectors.department_list, required=False, allow_null=True)
    body = serializers.CharField(help_text="The initial report (首报)")


class ReportInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=IncidentReport.Kind.choices, required=False,
                                   default=IncidentReport.Kind.FOLLOW_UP)
    body = serializers.CharField()
    metrics = serializers.JSONField(required=False, default=None)
    checked = serializers.ListField(child=serializers.CharField(), required=False, default=None)
    corrects = serializers.IntegerField(required=False, allow_null=True)
    correction_reason = serializers.CharField(required=False, allow_blank=True, default="")


class ReleaseInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=PublicRelease.Kind.choices)
    released_at = serializers.DateTimeField()
    channel = serializers.CharField(max_length=200)
    text = serializers.CharField()


class GradeInputSerializer(serializers.Serializer):
    grade = serializers.CharField()
    reason = serializers.CharField(allow_blank=True)


class LeadInputSerializer(serializers.Serializer):
    department = ScopedPrimaryKeyField(org_selectors.department_list)


LOGGED_RESPONSE = inline_serializer("IncidentLogged", {
    "id": serializers.IntegerField(), "number": serializers.CharField(), "unit": serializers.IntegerField(),
    "title": serializers.CharField(), "type": serializers.CharField(), "grade": serializers.CharField(),
    "grade_reasons": serializers.ListField(child=serializers.DictField()), "grade_table": serializers.IntegerField(),
    "status": serializers.CharField(), "received_at": serializers.DateTimeField(),
    "deadlines": serializers.ListField(child=serializers.DictField()),
    "reports": serializers.ListField(child=serializers.DictField()),
})


def logged(incident: Incident) -> dict:
    """The answer to logging an incident, built from what the service just wrote (no reads)."""
    return {
        "id": incident.pk, "number": incident.number, "unit": incident.unit_id, "title": incident.title,
        "type": incident.incident_type.code, "grade": incident.grade, "grade_reasons": incident.grade_reasons,
        "grade_table": incident.grade_table_id, "status": incident.status, "received_at": incident.received_at,
        "deadlines": [{"id": d.pk, "kind": d.kind, "due_at": d.due_at, "state": d.state}
                      for d in incident.deadlines.all()],
        "reports": [{"id": r.pk, "sequence": r.sequence, "kind": r.kind, "submitted_at": r.submitted_at,
                     "grade": r.grade} for r in incident.reports.all()],
    }


FILTERS = [OpenApiParameter(name, str, required=False) for name in ("unit", "type", "grade", "status", "late")]


class IncidentViewSet(mixins.CreateModelMixin, ReadOnlyScopedViewSet):
    selector = selectors.incident_list
    filter_backends = []

    def get_serializer_class(self):
        return IncidentListSerializer if self.action == "list" else IncidentSerializer

    def get_queryset(self):
        if self.action == "list":
            params = self.request.query_params
            late = params.get("late")
            return selectors.incident_filter(
                selectors.incident_list(user=self.request.user), unit=int_or_none(params.get("unit")),
                type_code=params.get("type"), grade=params.get("grade"), status=params.get("status"),
                late=None if late in (None, "") else late in ("1", "true", "yes"))
        return selectors.incident_list(user=self.request.user).prefetch_related(
            "deadlines", "secondary_types", "reports__dispatches").select_related("grade_table")

    @extend_schema(parameters=FILTERS)
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(request=IncidentLogSerializer, responses=LOGGED_RESPONSE)
    def create(self, request, *args, **kwargs):
        data = dict(self.parse(IncidentLogSerializer))
        incident = services.incident_log(actor=request.user, type_code=data.pop("type"), **data)
        return Response(logged(incident), status=status.HTTP_201_CREATED)

    @extend_schema(request=ReportInputSerializer, responses={201: ReportSerializer})
    @action(detail=True, methods=["post"])
    def reports(self, request, pk=None):
        incident = self.get_object()
        data = dict(self.parse(ReportInputSerializer))
        corrects = data.pop("corrects", None)
        if corrects is not None:
            corrects = incident.reports.filter(pk=corrects).first()
            if corrects is None:
                raise NotFound(_("Not found."))
        report = services.report_submit(actor=request.user, incident=incident, corrects=corrects, **data)
        return Response(ReportSerializer(report).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={201: DispatchSerializer(many=True)})
    @action(detail=True, methods=["post"], url_path=r"reports/(?P<report_id>\d+)/send",
            pagination_class=None)  # the dispatches just made, not a page
    def send_report(self, request, pk=None, report_id=None):
        report = self.get_object().reports.filter(pk=report_id).first()
        if report is None:
            raise NotFound(_("Not found."))
        sent = services.report_send_up(actor=request.user, report=report)
        return Response(DispatchSerializer(sent, many=True).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ReleaseInputSerializer, responses=IncidentSerializer)
    @action(detail=True, methods=["post"])
    def releases(self, request, pk=None):
        incident = self.get_object()
        services.release_record(actor=request.user, incident=incident, **self.parse(ReleaseInputSerializer))
        return self.respond(self.get_queryset().get(pk=incident.pk), created=True)

    @extend_schema(request=GradeInputSerializer, responses=IncidentSerializer)
    @action(detail=True, methods=["post"], url_path="set-grade")
    def set_grade(self, request, pk=None):
        incident = services.incident_set_grade(actor=request.user, incident=self.get_object(),
                                               **self.parse(GradeInputSerializer))
        return self.respond(self.get_queryset().get(pk=incident.pk))

    @extend_schema(request=LeadInputSerializer, responses=IncidentSerializer)
    @action(detail=True, methods=["post"], url_path="lead-department")
    def lead_department(self, request, pk=None):
        data = self.parse(LeadInputSerializer)
        incident = services.incident_assign_lead(actor=request.user, incident=self.get_object(),
                                                 department=data["department"])
        return self.respond(self.get_queryset().get(pk=incident.pk))

    @extend_schema(request=None, responses=IncidentSerializer)
    @action(detail=True, methods=["post"], url_path="flag-panic")
    def flag_panic(self, request, pk=None):
        incident = services.incident_flag_panic(actor=request.user, incident=self.get_object())
        return self.respond(self.get_queryset().get(pk=incident.pk))


class LateDeadlineSerializer(DeadlineSerializer):
    incident_number = serializers.CharField(source="incident.number")
    incident_title = serializers.CharField(source="incident.title")
    unit = serializers.IntegerField(source="incident.unit_id")

    class Meta(DeadlineSerializer.Meta):
        fields = DeadlineSerializer.Meta.fields + ["incident", "incident_number", "incident_title", "unit"]


@extend_schema(parameters=[OpenApiParameter("year", int, required=False)],
               responses=LateDeadlineSerializer(many=True))
@api_view(["GET"])
def late_deadlines(request):
    """Every late reporting deadline in the caller's units (迟报清单), for the annual review."""
    rows = selectors.late_deadlines(user=request.user, year=year_or_none(request.query_params.get("year")))
    return Response(LateDeadlineSerializer(rows, many=True).data)

