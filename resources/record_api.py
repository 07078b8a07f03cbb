"""REST API of the records around a response: requisitions and compensation, standby for a warning,
training and publicity, accountability findings and the decisions entered against them."""
from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action, api_view
from rest_framework.response import Response

from emergency.api.fields import ScopedPrimaryKeyField
from emergency.api.serializers import OutputSerializer
from emergency.api.viewsets import ReadOnlyScopedViewSet
from emergency.errors import NotFound
from emergency.org import selectors as org_selectors
from emergency.ui.actions import year_or_none
from incidents import selectors as incident_selectors

from . import reports, selectors
from .models import Compensation, Requisition, Sanction, Standby, TrainingSession
from .services import records


class CompensationSerializer(OutputSerializer):
    class Meta:
        model = Compensation
        fields = ["id", "amount", "note", "decided_by", "decided_at"]


class RequisitionSerializer(OutputSerializer):
    compensations = CompensationSerializer(many=True, read_only=True)

    class Meta:
        model = Requisition
        fields = ["id", "incident", "kind", "description", "owner", "owner_kind", "owner_contact", "value",
                  "requisitioned_at", "recorded_by", "compensations"]


class RequisitionInput(serializers.Serializer):
    incident = ScopedPrimaryKeyField(incident_selectors.incident_list)
    kind = serializers.ChoiceField(choices=Requisition.Kind.choices)
    description = serializers.CharField(max_length=300)
    owner = serializers.CharField(max_length=200)
    owner_kind = serializers.ChoiceField(choices=Requisition.OwnerKind.choices)
    owner_contact = serializers.CharField(max_length=100, required=False, default="", allow_blank=True)
    value = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=0)
    requisitioned_at = serializers.DateTimeField(required=False, allow_null=True, default=None)


class CompensationInput(serializers.Serializer):
    amount = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=0)
    note = serializers.CharField(max_length=300, required=False, default="", allow_blank=True)


class RequisitionViewSet(mixins.CreateModelMixin, ReadOnlyScopedViewSet):
    """Requisitions of my units' incidents; `?waiting=1` keeps those awaiting compensation."""

    serializer_class = RequisitionSerializer

    def get_queryset(self):
        rows = reports.requisition_list(user=self.request.user).order_by("-requisitioned_at", "-id")
        return rows.filter(compensations__isnull=True) if self.request.query_params.get("waiting") == "1" else rows

    @extend_schema(request=RequisitionInput, responses={201: RequisitionSerializer})
    def create(self, request):
        return self.respond(records.requisition_record(actor=request.user, **self.parse(RequisitionInput)),
                            created=True)

    @extend_schema(request=CompensationInput, responses={201: CompensationSerializer})
    @action(detail=True, methods=["post"])
    def compensate(self, request, pk=None):
        compensation = records.compensation_record(actor=request.user, requisition=self.get_object(),
                                                   **self.parse(CompensationInput))
        return Response(CompensationSerializer(compensation).data, status=status.HTTP_201_CREATED)


class StandbySerializer(OutputSerializer):
    class Meta:
        model = Standby
        fields = ["id", "warning", "team", "stock", "equipment", "quantity", "state", "set_by", "set_at", "released_at"]


def _warnings(*, user):
    from alerts.models import EarlyWarning
    from emergency.org.scope import unit_scope

    return EarlyWarning.objects.filter(unit_id__in=unit_scope(user).visible)


def _stock(*, user):
    from .models import Stock

    return Stock.objects.filter(store__in=selectors.store_list(user=user)).select_related("store", "item")


class StandbyInput(serializers.Serializer):
    warning = ScopedPrimaryKeyField(_warnings)
    team = ScopedPrimaryKeyField(selectors.team_list, required=False, allow_null=True, default=None)
    stock = ScopedPrimaryKeyField(_stock, required=False, allow_null=True, default=None)
    equipment = ScopedPrimaryKeyField(selectors.equipment_list, required=False, allow_null=True, default=None)
    quantity = serializers.IntegerField(min_value=1, max_value=10**8, required=False, allow_null=True, default=None)


class StandbyViewSet(mixins.CreateModelMixin, ReadOnlyScopedViewSet):
    """Teams, equipment and supplies put on standby by my units' warnings."""

    serializer_class = StandbySerializer

    def get_queryset(self):
        return Standby.objects.filter(warning__in=_warnings(user=self.request.user)).order_by("-set_at")

    @extend_schema(request=StandbyInput, responses={201: StandbySerializer})
    def create(self, request):
        return self.respond(records.standby_set(actor=request.user, **self.parse(StandbyInput)), created=True)

    @extend_schema(request=None, responses=StandbySerializer)
    @action(detail=True, methods=["post"])
    def release(self, request, pk=None):
        return self.respond(records.standby_release(actor=request.user, standby=self.get_object()))

    @extend_schema(request=None, responses=StandbySerializer)
    @action(detail=True, methods=["post"], url_path="in-place")
    def in_place(self, request, pk=None):
        return self.respond(records.standby_in_place(actor=request.user, standby=self.get_object()))


class TrainingSerializer(OutputSerializer):
    class Meta:
        model = TrainingSession
        fields = ["id", "unit", "kind", "topic", "held_on", "audience", "people_reached", "participants", "teams",
                  "recorded_by"]


class TrainingInput(serializers.Serializer):
    unit = ScopedPrimaryKeyField(org_selectors.units_visible)
    kind = serializers.ChoiceField(choices=TrainingSession.Kind.choices)
    topic = serializers.CharField(max_length=300)
    held_on = serializers.DateField()
    audience = serializers.CharField(max_length=300, required=False, default="", allow_blank=True)
    people_reached = serializers.IntegerField(min_value=0, max_value=10**8, required=False, default=0)
    participants = ScopedPrimaryKeyField(selectors.people_of_units, many=True, required=False, default=list)
    teams = ScopedPrimaryKeyField(selectors.team_list, many=True, required=False, default=list)


class TrainingViewSet(mixins.CreateModelMixin, ReadOnlyScopedViewSet):
    """Training sessions and publicity campaigns of my units."""

    selector = staticmethod(reports.training_list)
    serializer_class = TrainingSerializer

    @extend_schema(request=TrainingInput, responses={201: TrainingSerializer})
    def create(self, request):
        return self.respond(records.training_record(actor=request.user, **self.parse(TrainingInput)), created=True)


class SanctionSerializer(OutputSerializer):
    class Meta:
        model = Sanction
        fields = ["id", "unit", "year", "kind", "finding", "subject", "decision", "decided_on", "recorded_by"]


class SanctionInput(serializers.Serializer):
    unit = ScopedPrimaryKeyField(org_selectors.units_visible)
    year = serializers.IntegerField(min_value=2000, max_value=9999)
    kind = serializers.ChoiceField(choices=Sanction.Kind.choices)
    finding = serializers.CharField(max_length=60, required=False, default="", allow_blank=True)
    subject = serializers.CharField(max_length=200)
    decision = serializers.CharField(max_length=4000)
    decided_on = serializers.DateField()


class SanctionViewSet(mixins.CreateModelMixin, ReadOnlyScopedViewSet):
    """Commendations and sanctions entered for my units."""

    serializer_class = SanctionSerializer

    def get_queryset(self):
        from emergency.org.scope import unit_scope

        return Sanction.objects.filter(unit_id__in=unit_scope(self.request.user).visible)

    @extend_schema(request=SanctionInput, responses={201: SanctionSerializer})
    def create(self, request):
        return self.respond(records.sanction_record(actor=request.user, **self.parse(SanctionInput)), created=True)


@extend_schema(parameters=[OpenApiParameter("year", int, required=False)], responses=inline_serializer(
    "AccountabilityFinding", {"key": serializers.CharField(), "kind": serializers.CharField(),
                              "what": serializers.CharField(), "due": serializers.DateField(),
                              "decisions": serializers.ListField(child=serializers.IntegerField())}, many=True))
@api_view(["GET"])
def findings(request, pk: int):
    """A unit's accountability findings for a year, each with the ids of the decisions entered."""
    unit = org_selectors.units_visible(user=request.user).filter(pk=pk).first()
    if unit is None:
        raise NotFound(_("Not found."))
    year = year_or_none(request.query_params.get("year")) or timezone.localdate().year
    rows, _decisions = reports.accountability(user=request.user, unit=unit, year=year)
    return Response([{"key": f.key, "kind": f.kind, "what": f.what, "due": f.due,
                      "decisions": [d.pk for d in f.decisions]} for f in rows])
