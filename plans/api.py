"""REST API of the plan hierarchy: the tree (with filters), a plan, and the steps that change it."""
from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from emergency.api.fields import NOT_FOUND, ScopedPrimaryKeyField
from emergency.api.serializers import OutputSerializer
from emergency.errors import NotFound, ValidationFailed
from emergency.org import selectors as org_selectors

from . import selectors, services
from .models import Drill, Evaluation, Plan, PlanType, RevisionRequest


class PlanSerializer(OutputSerializer):
    depth = serializers.IntegerField(source="tree_depth", read_only=True)
    open_requests = serializers.IntegerField(read_only=True)
    drill_overdue = serializers.BooleanField(read_only=True, allow_null=True)  # null: no edition in force yet
    evaluation_overdue = serializers.BooleanField(read_only=True, allow_null=True)
    edition = serializers.IntegerField(source="published_edition.number", read_only=True, default=None,
                                       allow_null=True)  # null until the plan is published

    class Meta:
        model = Plan
        fields = ["id", "parent", "depth", "unit", "plan_type", "title", "lead_department", "state", "edition",
                  "next_drill_due", "next_evaluation_due", "drill_overdue", "evaluation_overdue", "open_requests"]


class PlanInput(serializers.Serializer):
    unit = ScopedPrimaryKeyField(org_selectors.units_visible)
    plan_type = serializers.ChoiceField(choices=PlanType.choices)
    title = serializers.CharField(max_length=200)
    parent = ScopedPrimaryKeyField(selectors.plans_visible, required=False, allow_null=True)
    lead_department = ScopedPrimaryKeyField(org_selectors.department_list, required=False, allow_null=True)
    sections = serializers.ListField(child=serializers.DictField(child=serializers.CharField()), required=False,
                                     default=list)


class StepInput(serializers.Serializer):
    step = ScopedPrimaryKeyField(selectors.route_steps_visible)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class DrillInput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=Drill.Kind.choices)
    held_on = serializers.DateField()
    findings = serializers.CharField(required=False, allow_blank=True, default="")
    revision_needed = serializers.BooleanField(required=False, default=False)


class EvaluationInput(serializers.Serializer):
    held_on = serializers.DateField()
    conclusion = serializers.ChoiceField(choices=Evaluation.Conclusion.choices)
    findings = serializers.CharField()


class RevisionInput(serializers.Serializer):
    trigger = serializers.ChoiceField(choices=RevisionRequest.Trigger.choices)
    description = serializers.CharField()


FILTERS = [OpenApiParameter(name, str, required=False) for name in ("unit", "type", "state", "overdue")]


class PlanViewSet(viewsets.ReadOnlyModelViewSet):
    """The plan tree in tree order; `?unit=&type=&state=&overdue=1` filter it."""

    serializer_class = PlanSerializer

    def get_queryset(self):
        params = self.request.query_params
        unit = params.get("unit")
        return selectors.plan_filter(selectors.plan_tree(user=self.request.user),
                                     unit=int(unit) if unit and unit.isdigit() else None, plan_type=params.get("type"),
                                     state=params.get("state"), overdue=params.get("overdue") == "1")

    @extend_schema(parameters=FILTERS)
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    def _plan(self):
        return Plan.objects.filter(pk=self.get_object().pk).select_related("unit").get()

    @extend_schema(request=PlanInput, responses=PlanSerializer)
    def create(self, request):
        data = PlanInput(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        plan = services.plan_create(actor=request.user, **data.validated_data)
        return Response(PlanSerializer(self.get_queryset().get(pk=plan.pk)).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=PlanSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        plan = self._plan()
        draft = plan.versions.filter(state="draft").first()
        if draft is None:
            raise NotFound(_("No version is being drafted."))
        services.version_submit(actor=request.user, version=draft)
        return Response(PlanSerializer(self.get_queryset().get(pk=plan.pk)).data)

    @extend_schema(request=StepInput, responses={201: PlanSerializer})
    @action(detail=True, methods=["post"])
    def steps(self, request, pk=None):
        plan = self._plan()
        data = StepInput(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        version = plan.versions.filter(route=data.validated_data["step"].route_id).order_by("-number").first()
        if version is None:  # a step of another route: answered as an unknown step
            raise ValidationFailed(_("Some fields are missing or invalid."), fields={"step": [NOT_FOUND]})
        services.step_take(actor=request.user, version=version, **data.validated_data)
        return Response(PlanSerializer(self.get_queryset().get(pk=plan.pk)).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=DrillInput, responses={201: PlanSerializer})
    @action(detail=True, methods=["post"])
    def drills(self, request, pk=None):
        data = DrillInput(data=request.data)
        data.is_valid(raise_exception=True)
        plan = services.drill_record(actor=request.user, plan=self._plan(), **data.validated_data).plan
        return Response(PlanSerializer(self.get_queryset().get(pk=plan.pk)).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=EvaluationInput, responses={201: PlanSerializer})
    @action(detail=True, methods=["post"])
    def evaluations(self, request, pk=None):
        data = EvaluationInput(data=request.data)
        data.is_valid(raise_exception=True)
        plan = services.evaluation_record(actor=request.user, plan=self._plan(), **data.validated_data).plan
        return Response(PlanSerializer(self.get_queryset().get(pk=plan.pk)).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=RevisionInput, responses={201: inline_serializer("RevisionRequest", {
        "id": serializers.IntegerField(), "trigger": serializers.CharField(), "state": serializers.CharField()})})
    @action(detail=True, methods=["post"], url_path="revision-requests")
    def revision_requests(self, request, pk=None):
        data = RevisionInput(data=request.data)
        data.is_valid(raise_exception=True)
        item = services.revision_request_file(actor=request.user, plan=self._plan(), **data.validated_data)
        return Response({"id": item.pk, "trigger": item.trigger, "state": item.state}, status=status.HTTP_201_CREATED)
