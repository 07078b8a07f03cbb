from rest_framework import serializers

from emergency.api.serializers import OutputSerializer
from emergency.api.viewsets import ReadOnlyScopedViewSet

from .models import AuditEntry
from .selectors import audit_entry_list


class AuditEntrySerializer(OutputSerializer):
    actor = serializers.CharField(source="actor.username", default=None, read_only=True,
                                  allow_null=True)  # null: a system entry (loader, timer, sweeper)

    class Meta:
        model = AuditEntry
        fields = ["id", "at", "actor", "unit", "action", "object_type", "object_id", "object_repr", "before", "after",
                  "prev_hash", "hash"]


class AuditEntryViewSet(ReadOnlyScopedViewSet):
    """The audit trail of the units where the caller is system administrator or principal."""

    serializer_class = AuditEntrySerializer
    selector = audit_entry_list
    filterset_fields = ["unit", "action", "object_type", "object_id"]
