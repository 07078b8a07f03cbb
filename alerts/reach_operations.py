"""Recording the last mile of a warning, declared once for the page and the API."""
from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from emergency.api.serializers import OutputSerializer
from emergency.operations import Operation, register

from . import reach
from .models import EarlyWarning, WarningReach, WarningTarget


class ReachInput(serializers.Serializer):
    subject = serializers.PrimaryKeyRelatedField(label=_("Who or where"), queryset=WarningTarget.objects.none())
    reached = serializers.BooleanField(label=_("Reached"), required=False, default=True)
    channel = serializers.ChoiceField(label=_("Means used"), choices=WarningTarget.Channel.choices, required=False,
                                      allow_blank=True, default="")
    note = serializers.CharField(label=_("Note"), max_length=300, required=False, allow_blank=True, default="")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        warning = self.context.get("target")
        area = reach._area(warning) if isinstance(warning, EarlyWarning) else []
        self.fields["subject"].queryset = WarningTarget.objects.filter(unit_id__in=area)
        self.fields["subject"].error_messages["does_not_exist"] = _("Not found.")


class ReachOutput(OutputSerializer):
    class Meta:
        model = WarningReach
        fields = ["id", "message", "target", "reached", "channel", "note", "recorded_by", "recorded_at"]


REACH = Operation(
    name="warning.reach", model=EarlyWarning, label=_("Record who has been reached"), input=ReachInput,
    output=ReachOutput, guard=reach.require_may_record, created=True, success=_("Recorded."),
    run=lambda *, actor, target, subject, **data: reach.reach_record(actor=actor, warning=target, target=subject,
                                                                     **data),
)

register(REACH)
