"""REST API of warnings: read them (scoped to the user's units, filtered with django-filter) with
their CAP links, and take every operation the pages offer (`alerts/operations.py`), each a POST
action with the same rules: draft, issue, adjust, lift, escalate, assign a measure, report on one."""
from __future__ import annotations

import django_filters

from emergency.api.filters import ScopedFilterBackend
from emergency.api.viewsets import ReadOnlyScopedViewSet
from emergency.operations.api import with_operations

from . import operations, reach_operations  # noqa: F401  (register the warnings' operations)
from .models import EarlyWarning, WarningMeasure
from .selectors import warning_list, warning_measure_list
from .serializers import WarningMeasureOutput, WarningOutput


class WarningFilter(django_filters.FilterSet):
    class Meta:
        model = EarlyWarning
        fields = ["state", "level", "unit"]


@with_operations("warning.draft", model=EarlyWarning)
class WarningViewSet(ReadOnlyScopedViewSet):
    selector = warning_list
    serializer_class = WarningOutput
    filter_backends = [ScopedFilterBackend]
    filterset_class = WarningFilter

    def get_queryset(self):
        return super().get_queryset().prefetch_related("messages", "measures", "area_units", "neighbours",
                                                       "linked_organisations")


class MeasureFilter(django_filters.FilterSet):
    class Meta:
        model = WarningMeasure
        fields = ["warning", "status", "department"]


@with_operations(model=WarningMeasure)
class WarningMeasureViewSet(ReadOnlyScopedViewSet):
    selector = warning_measure_list
    serializer_class = WarningMeasureOutput
    filter_backends = [ScopedFilterBackend]
    filterset_class = MeasureFilter
