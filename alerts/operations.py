"""The writes on warnings, declared once: the pages and the API both dispatch through these."""
from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from emergency.operations import Operation, register

from . import lifecycles, services
from .models import EarlyWarning



def _authority(user, warning: EarlyWarning) -> None:
    services.require_authority(user, warning, warning.level)


class LiftInput(serializers.Serializer):
    reason = serializers.CharField(label=_("Reason"), max_length=2000,
                                   help_text=_("Why the warning no longer applies."),
                                   style={"base_template": "textarea.html"})


class WarningMessageOutput(serializers.Serializer):
    id = serializers.IntegerField()
    sequence = serializers.IntegerField()
    msg_type = serializers.CharField()
    sent_at = serializers.DateTimeField()


LIFT = Operation(
    name="warning.lift", model=EarlyWarning, label=_("Lift the warning"), input=LiftInput,
    output=WarningMessageOutput, lifecycle=lifecycles.WARNING, guard=_authority, created=True,
    success=_("Warning lifted."), danger=True,
    run=lambda *, actor, target, reason: services.warning_lift(actor=actor, warning=target, reason=reason),
)

register(LIFT)
