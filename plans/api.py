"""REST API of the plan hierarchy: the tree (with filters), a plan, its editions and their diffs, its
consultation opinions and revision requests; and every operation the pages offer
(`plans/operations.py`), each a POST action with the same rules."""
from __future__ import annotations

import django_filters
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from emergency import operations as registry
from emergency.api.viewsets import ReadOnlyScopedViewSet
from emergency.errors import NotFound
from emergency.operations.api import with_operations

from . import operations  # noqa: F401  (registers the plans' operations)
from . import selectors
from .models import ConsultationOpinion, Plan, PlanType, RevisionRequest
from .serializers import (DiffSerializer, EditionSerializer, EditionSummarySerializer, OpinionSerializer,
                          PlanInput, PlanSerializer, RevisionRequestSerializer)


class PlanFilter(django_filters.FilterSet):
    unit = django_filters.NumberFilter(field_name="unit_id")
    type = django_filters.ChoiceFilter(field_name="plan_type", choices=PlanType.choices)
    state = django_filters.ChoiceFilter(field_name="state", choices=Plan.State.choices)
    overdue = django_filters.BooleanFilter(method="filter_overdue")

    def filter_overdue(self, queryset, name, value):
        return selectors.plan_filter(queryset, overdue=True) if value else queryset

    class Meta:
        model = Plan
        fields = []


@with_operations(model=Plan)
class PlanViewSet(viewsets.ReadOnlyModelViewSet):
    """The plan tree in tree order; `?unit=&type=&state=&overdue=true` filter it."""

    serializer_class = PlanSerializer
    filterset_class = PlanFilter

    def get_queryset(self):
        return selectors.plan_tree(user=self.request.user)

    @extend_schema(request=PlanInput, responses={201: PlanSerializer}, operation_id="plan_add",
                   summary=str(_("Create the plan")))
    def create(self, request):
        """Create a plan (the operation `plan.add`)."""
        operation = registry.get("plan.add")
        bound = operation.bind(data=request.data, request=request, target=None)
        bound.is_valid(raise_exception=True)
        plan = operation.execute(user=request.user, target=None, validated=dict(bound.validated_data))
        return Response(PlanSerializer(plan).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses=EditionSummarySerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None)
    def editions(self, request, pk=None):
        """The plan's published editions, oldest first."""
        plan = self.get_object()
        return Response(EditionSummarySerializer(selectors.editions(plan=plan), many=True).data)

    @extend_schema(responses=EditionSerializer)
    @action(detail=True, methods=["get"], url_path=r"editions/(?P<number>\d+)")
    def edition(self, request, pk=None, number=None):
        """One edition, whole, as it was published."""
        plan = self.get_object()
        return Response(EditionSerializer(get_object_or_404(selectors.editions(plan=plan), number=number)).data)

    @extend_schema(responses=DiffSerializer, parameters=[
        OpenApiParameter("from", int, required=False, description="the older edition (default: the one before `to`)"),
        OpenApiParameter("to", int, required=False, description="the newer edition (default: the latest)")])
    @action(detail=True, methods=["get"])
    def diff(self, request, pk=None):
        """What changed between two editions, section by section."""
        plan = self.get_object()
        numbers = {k: request.query_params.get(k) for k in ("from", "to")}
        compared = selectors.editions_compared(plan=plan, **{
            key: int(value) for key, value in (("before", numbers["from"]), ("after", numbers["to"]))
            if value and value.isdigit()})
        if compared is None:
            raise NotFound(_("These editions cannot be compared."))
        return Response(DiffSerializer(compared).data)


@with_operations(model=ConsultationOpinion)
class OpinionViewSet(ReadOnlyScopedViewSet):
    """Written opinions requested during consultation, of the plans the user sees."""

    selector = selectors.opinions_visible
    serializer_class = OpinionSerializer


@with_operations("revision_request.suggest", model=RevisionRequest)
class RevisionRequestViewSet(ReadOnlyScopedViewSet):
    """Revision requests of the plans the user sees; `suggest` files one against any plan of the
    user's organisations (5.4 4))."""

    selector = selectors.revision_requests_visible
    serializer_class = RevisionRequestSerializer

