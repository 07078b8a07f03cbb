"""Grading API: the preview the incident form calls as the officer types, the taxonomy it is
built from, and the threshold tables that administrators draft, test and publish."""
from __future__ import annotations

from django.db.models import Count, Prefetch
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action, api_view
from rest_framework.response import Response

from emergency.api.fields import ScopedPrimaryKeyField
from emergency.api.serializers import OutputSerializer
from emergency.errors import NotFound
from emergency.org import selectors as org_selectors

from . import engine, selectors, services
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

class ConditionSerializer(serializers.Serializer):
    metric = serializers.CharField()
    op = serializers.ChoiceField(choices=Condition.Op.choices)
    value = serializers.DecimalField(max_digits=16, decimal_places=4, min_value=0)


class CriterionSerializer(OutputSerializer):
    type = serializers.SlugRelatedField(source="incident_type", slug_field="code", read_only=True)
    conditions = serializers.SerializerMethodField()
    check_key = serializers.CharField(read_only=True)  # blank for a criterion without a check

    class Meta:
        model = Criterion
        fields = ["id", "type", "grade", "source", "wording", "wording_en", "check_key", "floor", "conditions"]

    def get_conditions(self, criterion) -> list[dict]:
        return [{"metric": c.metric.key, "op": c.op, "value": str(c.value)} for c in criterion.conditions.all()]


class CriterionInputSerializer(serializers.Serializer):
    type = serializers.CharField()
    grade = serializers.CharField()
    wording = serializers.CharField()
    wording_en = serializers.CharField(required=False, allow_blank=True, default="")
    source = serializers.CharField(required=False, allow_blank=True, default="")
    check_key = serializers.SlugField(required=False, allow_blank=True, default="")
    floor = serializers.BooleanField(required=False, default=False)
    conditions = ConditionSerializer(many=True, required=False, default=list)


class DraftInputSerializer(serializers.Serializer):
    organisation = ScopedPrimaryKeyField(selectors.organisations_graded_by, required=False, allow_null=True,
                                         help_text="The top unit the table is for (default: the caller's only one)")
    note = serializers.CharField(required=False, allow_blank=True, default="")


class ThresholdTableSerializer(OutputSerializer):
    criterion_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = ThresholdTable
        fields = ["id", "organisation", "version", "state", "note", "revision", "based_on", "created_at", "published_at",
                  "criterion_count"]


class ThresholdTableViewSet(viewsets.ReadOnlyModelViewSet):
    """Each organisation reads its own tables and the shipped one; its top unit's plan or system
    administrators draft, test and publish its tables."""

    serializer_class = ThresholdTableSerializer

    def get_queryset(self):
        return selectors.tables_visible(user=self.request.user).annotate(criterion_count=Count("criteria"))

    @extend_schema(request=DraftInputSerializer)
    def create(self, request):
        data = DraftInputSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        draft = services.table_draft_create(actor=request.user, **data.validated_data)
        return Response(self.get_serializer(self.get_queryset().get(pk=draft.pk)).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses=CriterionSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None)  # all of a table's criteria, not a page
    def criteria(self, request, pk=None):
        rows = self.get_object().criteria.select_related("incident_type").prefetch_related(
            Prefetch("conditions", queryset=Condition.objects.select_related("metric")))
        return Response(CriterionSerializer(rows, many=True).data)

    @extend_schema(request=CriterionInputSerializer, responses={201: CriterionSerializer})
    @criteria.mapping.post
    def add_criterion(self, request, pk=None):
        data = CriterionInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        criterion = services.criterion_save(actor=request.user, table=self.get_object(),
                                            type_code=values.pop("type"), **values)
        return Response(CriterionSerializer(criterion).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None)
    @action(detail=True, methods=["delete"], url_path=r"criteria/(?P<criterion_id>\d+)")
    def remove_criterion(self, request, pk=None, criterion_id=None):
        criterion = Criterion.objects.filter(table=self.get_object(), pk=criterion_id).first()
        if criterion is None:
            raise NotFound(_("Not found."))
        services.criterion_remove(actor=request.user, criterion=criterion)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=None, responses=inline_serializer("CaseRun", {
        "revision": serializers.IntegerField(), "total": serializers.IntegerField(),
        "passed": serializers.BooleanField(), "failures": serializers.ListField(child=serializers.DictField())}))
    @action(detail=True, methods=["post"], url_path="run-cases")
    def run_cases(self, request, pk=None):
        run = services.table_run_cases(actor=request.user, table=self.get_object())
        return Response({"revision": run.table_revision, "total": run.total, "passed": run.passed,
                         "failures": run.failures})

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        table = services.table_publish(actor=request.user, table=self.get_object())
        engine.compile_table(table)
        return Response(self.get_serializer(self.get_queryset().get(pk=table.pk)).data)
