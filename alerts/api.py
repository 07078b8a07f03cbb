"""REST API of warnings: read them (scoped to the user's units) and take every operation the pages
offer (`alerts/operations.py`), each a POST action with the same rules."""
from __future__ import annotations

from emergency.api.serializers import OutputSerializer
from emergency.api.viewsets import ReadOnlyScopedViewSet
from emergency.operations.api import with_operations

from . import operations, reach_operations  # noqa: F401  (register the warnings' operations)
from .models import EarlyWarning
from .selectors import warning_list


class WarningSerializer(OutputSerializer):
    class Meta:
        model = EarlyWarning
        fields = ["id", "unit", "incident_type", "level", "title", "state", "area_desc", "signs", "points",
                  "expires_at", "incident"]


@with_operations(model=EarlyWarning)
class WarningViewSet(ReadOnlyScopedViewSet):
    selector = warning_list
    serializer_class = WarningSerializer
