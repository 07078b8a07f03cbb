"""REST API of attachments: list (by record), read, download, and attach (multipart)."""
from __future__ import annotations

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.decorators import action

from emergency.api.viewsets import ReadOnlyScopedViewSet
from emergency.operations.api import with_operations

from . import operations
from .selectors import attachment_list, attachment_visible, owner_filter
from .views import serve


@extend_schema(parameters=[OpenApiParameter("owner_kind", str), OpenApiParameter("owner_id", int)])
@with_operations("attachment.add")
class AttachmentViewSet(ReadOnlyScopedViewSet):
    selector = attachment_list
    serializer_class = operations.AttachmentSerializer
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self):
        params = self.request.query_params
        record_id = params.get("owner_id")
        # an attachment's unit is its record's: the unit scope is the record's scope
        return super().get_queryset().filter(owner_filter(params.get("owner_kind"),
                                                          int(record_id) if (record_id or "").isdigit() else None))

    def get_object(self):
        attachment = attachment_visible(user=self.request.user, pk=self.kwargs["pk"])
        if attachment is None:
            raise Http404
        return attachment

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"])
    def content(self, request, pk=None):
        return serve(self.get_object())
