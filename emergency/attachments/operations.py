"""Attaching a file, declared once for the pages and the API."""
from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from emergency.api.serializers import OutputSerializer
from emergency.operations import Operation, register

from . import services
from .models import Attachment
from .owners import kinds


class AttachInput(serializers.Serializer):
    owner_kind = serializers.ChoiceField(label=_("Attached to"), choices=[], style={"input_type": "hidden"})
    owner_id = serializers.IntegerField(label=_("Record"), min_value=1, style={"input_type": "hidden"})
    file = serializers.FileField(label=_("File"), help_text=_("A photo (JPEG, PNG, WebP), a PDF or a Word or Excel "
                                                            "document, up to 10 MB."))
    description = serializers.CharField(label=_("Description"), max_length=300, required=False, allow_blank=True,
                                        default="")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner_kind"].choices = kinds()


class AttachmentSerializer(OutputSerializer):
    class Meta:
        model = Attachment
        fields = ["id", "owner_kind", "owner_id", "name", "content_type", "size", "sha256", "description",
                  "uploaded_by", "uploaded_at"]


ADD = Operation(
    name="attachment.add", label=_("Attach"), input=AttachInput, output=AttachmentSerializer, created=True,
    success=_("File attached."),
    run=lambda *, actor, target, **data: services.attachment_add(actor=actor, **data),
)

register(ADD)
