"""Grading API: the preview the incident form calls as the officer types, the taxonomy it is
built from, and the threshold tables that administrators draft, test and publish."""
from __future__ import annotations

from django.db.models import Count, Prefetch
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action, api_view
from rest_framework.response import Response

from emergency.api.fields import ScopedPrimaryKeyField
from emergency.api.serializers import OutputSerializer
from emergency.operations.api import with_operations
from emergency.org import selectors as org_selectors

from . import engine, operations, selectors
from .models import Condition, Criterion, IncidentCategory, IncidentType, Metric, ThresholdTable


class PreviewSerializer(serializers.Serializer):
    unit = ScopedPrimaryKeyField(org_selectors.units_visible, required=False, allow_null=True,
                                 help_text="Graded by this unit's organisation's table (default: the caller's)")
    type = serializers.CharField()
    metrics = serializers.JSONField(required=False, default=dict)
    checked = serializers.ListField(child=serializers.CharField(), required=False, default=list)
    secondary_types = serializers.ListField(child=serializers.CharField(), required=False, default=list)


PREVIEW_RESPONSE = inline_serializer("GradingResult", {
    "type": serializers.CharField(), "grade": serializers.CharField(allow_null=True),
    "reasons": serializers.ListField(child=serializers.DictField()),
})


@extend_schema(request=PreviewSerializer, responses=PREVIEW_RESPONSE)
@api_view(["POST"])
def preview(request):
    """Grade without saving: {"type", "metrics", "checked"?} → {"type", "grade", "reasons"}."""
    data = PreviewSerializer(data=request.data, context={"request": request})
    data.is_valid(raise_exception=True)
    unit = data.validated_data.get("unit")
    table = engine.current_table_for_unit(unit.pk) if unit else engine.current_table_for_user(request.user)
    result = engine.grade(type_code=data.validated_data["type"], metrics=data.validated_data["metrics"],
                          checked=data.validated_data["checked"],
                          secondary_types=data.validated_data["secondary_types"], table=table)
    return Response(result.as_contract())


@extend_schema(responses=inline_serializer("Taxonomy", {
    "categories": serializers.ListField(child=serializers.DictField()),
    "metrics": serializers.ListField(child=serializers.DictField()),
    "table_version": serializers.IntegerField(),
}))
@api_view(["GET"])
def taxonomy(request):
    """Categories, their types with the checklist items of the published table, and metrics."""
    table = engine.current_table_for_user(request.user)
    checklist: dict[int, list[dict]] = {}
    for row in Criterion.objects.filter(table=table).exclude(check_key="").order_by("position"):
        checklist.setdefault(row.incident_type_id, []).append(
            {"key": row.check_key, "grade": row.grade, "wording": row.wording, "wording_en": row.wording_en})
    categories = IncidentCategory.objects.prefetch_related(
        Prefetch("types", queryset=IncidentType.objects.order_by("position")))
    return Response({
        "table_version": table.version,
        "categories": [{
            "code": c.code, "name": c.name, "name_en": c.name_en,
            "types": [{"code": t.code, "name": t.name, "name_en": t.name_en,
                       "checklist": checklist.get(t.pk, [])} for t in c.types.all()],
        } for c in categories],
        "metrics": [{"key": m.key, "name": m.name, "name_en": m.name_en, "unit": m.unit, "unit_en": m.unit_en,
                     "integer": m.integer} for m in Metric.objects.all()],
    })


# --- Threshold tables -------------------------------------------------------------------------

class CriterionSerializer(OutputSerializer):
    type = serializers.SlugRelatedField(source="incident_type", slug_field="code", read_only=True)
    conditions = serializers.SerializerMethodField()
    check_key = serializers.CharField(read_only=True)  # blank for a criterion without a check

    class Meta:
        model = Criterion
        fields = ["id", "type", "grade", "source", "origin", "wording", "wording_en", "check_key", "floor",
                  "conditions"]

    def get_conditions(self, criterion) -> list[dict]:
        return [{"metric": c.metric.key, "op": c.op, "value": str(c.value)} for c in criterion.conditions.all()]


class ThresholdTableSerializer(OutputSerializer):
    criterion_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = ThresholdTable
        fields = ["id", "organisation", "version", "state", "standard", "note", "revision", "based_on", "created_at",
                  "published_at", "criterion_count"]


@with_operations("threshold-table.draft", model=ThresholdTable)
class ThresholdTableViewSet(viewsets.ReadOnlyModelViewSet):
    """Each organisation reads its own tables and the shipped one; its top unit's plan or system
    administrators draft, test and publish its tables."""

    serializer_class = ThresholdTableSerializer

    def get_queryset(self):
        return selectors.tables_visible(user=self.request.user).annotate(criterion_count=Count("criteria"))

    @extend_schema(request=operations.DraftInput, responses={201: operations.TableOutput})
    def create(self, request):
        """`POST /grading/tables/`: the same operation as `POST /grading/tables/draft/`."""
        operation = operations.DRAFT
        bound = operation.bind(data=request.data, request=request, target=None)
        bound.is_valid(raise_exception=True)
        draft = operation.execute(user=request.user, target=None, validated=dict(bound.validated_data))
        return Response(self.get_serializer(self.get_queryset().get(pk=draft.pk)).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses=CriterionSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None)  # all of a table's criteria, not a page
    def criteria(self, request, pk=None):
        rows = self.get_object().criteria.select_related("incident_type").prefetch_related(
            Prefetch("conditions", queryset=Condition.objects.select_related("metric")))
        return Response(CriterionSerializer(rows, many=True).data)



@with_operations(model=Criterion)
class CriterionViewSet(viewsets.ReadOnlyModelViewSet):
    """One criterion of a table the caller reads; a draft's are changed and removed by its administrators."""

    serializer_class = CriterionSerializer

    def get_queryset(self):
        return (Criterion.objects.filter(table__in=selectors.tables_visible(user=self.request.user))
                .select_related("incident_type", "table")
                .prefetch_related(Prefetch("conditions", queryset=Condition.objects.select_related("metric"))))
