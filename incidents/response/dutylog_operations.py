"""Writing in an incident's duty log (incidents/response/dutylog.py), declared once as an operation
for the duty-log page and the API (`POST /api/v1/incidents/{id}/log-entry/`)."""
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from emergency.api.fields import ScopedPrimaryKeyField
from emergency.operations import Operation, register

from . import dutylog, selectors
from .dutylog_models import DutyLogEntry
from .models import ResponseIncident


class EntrySerializer(serializers.ModelSerializer):
    class Meta:
        model = DutyLogEntry
        fields = ["id", "incident", "response", "unit", "author", "happened_at", "recorded_at", "text", "corrects"]
        read_only_fields = fields


class EntryInput(serializers.Serializer):
    text = serializers.CharField(label=_("What happened"), max_length=dutylog.MAX_TEXT,
                                 style={"base_template": "textarea.html"})
    happened_at = serializers.DateTimeField(label=_("Happened at"), required=False, allow_null=True,
                                            help_text=_("Leave empty for now."))
    # Set by the page (the response page, the "correct" link of an entry): hidden, never a long list.
    response = ScopedPrimaryKeyField(selectors.response_list, label=_("Response"), required=False, allow_null=True,
                                     style={"input_type": "hidden"})
    corrects = ScopedPrimaryKeyField(dutylog.entry_list, label=_("Corrects entry"), required=False, allow_null=True,
                                     style={"input_type": "hidden"})


LOG_ENTRY = Operation(
    name="incident.log-entry", model=ResponseIncident, label=_("Write in the duty log"), input=EntryInput,
    output=EntrySerializer, created=True, guard=dutylog.require_may_write, success=_("Written in the duty log."),
    run=lambda *, actor, target, **values: dutylog.duty_log_write(actor=actor, incident=target, **values),
)

register(LOG_ENTRY)
