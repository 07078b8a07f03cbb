"""REST API of incidents: list and read them and their reports; every write is an operation
(`incidents/operations.py`) the pages take too, a POST action here with the same rules."""
from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.decorators import api_view
from rest_framework.response import Response

from emergency.api.viewsets import ReadOnlyScopedViewSet
from emergency.operations.api import with_operations
from emergency.ui.actions import int_or_none, year_or_none

from . import inputs, operations, outputs, selectors
from plans.models import AnnualReviewDuty

from .models import Incident, IncidentReport, PublicRelease, ReportCopy


FILTERS = [OpenApiParameter(name, str, required=False) for name in ("unit", "type", "grade", "status", "late")]


@with_operations("incident.log", model=Incident)
class IncidentViewSet(mixins.CreateModelMixin, ReadOnlyScopedViewSet):
    selector = selectors.incident_list
    filter_backends = []

    def get_serializer_class(self):
        return outputs.IncidentListSerializer if self.action == "list" else outputs.IncidentSerializer

    def get_queryset(self):
        if self.action == "list":
            params = self.request.query_params
            late = params.get("late")
            return selectors.incident_filter(
                selectors.incident_list(user=self.request.user), unit=int_or_none(params.get("unit")),
                type_code=params.get("type"), grade=params.get("grade"), status=params.get("status"),
                late=None if late in (None, "") else late in ("1", "true", "yes"))
        if self.action != "retrieve":  # an operation reads its target afresh, under its lock
            return selectors.incident_list(user=self.request.user)
        return selectors.incident_list(user=self.request.user).prefetch_related(
            "deadlines", "secondary_types", "reports__dispatches").select_related("grade_table")

    @extend_schema(parameters=FILTERS)
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(request=inputs.IncidentLogInput, responses={201: outputs.IncidentLoggedOutput})
    def create(self, request, *args, **kwargs):
        """`POST /incidents/`: the same operation as `POST /incidents/log/` (incident.log)."""
        operation = operations.LOG
        bound = operation.bind(data=request.data, request=request, target=None)
        bound.is_valid(raise_exception=True)
        incident = operation.execute(user=request.user, target=None, validated=dict(bound.validated_data))
        return Response(outputs.IncidentLoggedOutput(incident).data, status=status.HTTP_201_CREATED)


@with_operations(model=IncidentReport)
class IncidentReportViewSet(ReadOnlyScopedViewSet):
    """One report of an incident, and the operations on it: send it up, correct it."""

    serializer_class = outputs.ReportSerializer

    def get_queryset(self):
        return selectors.report_list(user=self.request.user)


@with_operations(model=PublicRelease)
class ReleaseViewSet(ReadOnlyScopedViewSet):
    """A drafted public release and its approval or rejection by the authority of the incident's grade."""

    serializer_class = outputs.ReleaseOutput

    def get_queryset(self):
        return selectors.release_list(user=self.request.user)


@with_operations(model=ReportCopy)
class ReportCopyViewSet(ReadOnlyScopedViewSet):
    """The copies (抄送) of the reports the caller sees, and acknowledging one."""

    serializer_class = outputs.ReportCopyOutput
    selector = selectors.report_copy_list


@with_operations(model=AnnualReviewDuty)
class ReviewDutyViewSet(ReadOnlyScopedViewSet):
    """The annual reviews the caller's units owe, and marking one done."""

    serializer_class = outputs.ReviewDutyOutput
    selector = selectors.review_duty_list


class LateDeadlineSerializer(outputs.DeadlineSerializer):
    incident_number = serializers.CharField(source="incident.number")
    incident_title = serializers.CharField(source="incident.title")
    unit = serializers.IntegerField(source="incident.unit_id")

    class Meta(outputs.DeadlineSerializer.Meta):
        fields = outputs.DeadlineSerializer.Meta.fields + ["incident", "incident_number", "incident_title", "unit"]


@extend_schema(parameters=[OpenApiParameter("year", int, required=False)],
               responses=LateDeadlineSerializer(many=True))
@api_view(["GET"])
def late_deadlines(request):
    """Every late reporting deadline in the caller's units (迟报清单), for the annual review."""
    rows = selectors.late_deadlines(user=request.user, year=year_or_none(request.query_params.get("year")))
    return Response(LateDeadlineSerializer(rows, many=True).data)

