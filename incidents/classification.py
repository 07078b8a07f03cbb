"""An incident's 密级 (classification): set by those who send its reports up, audited, and printed at
the top left of every document made of it (its reports, the situation reports of its responses, the
investigation report, its duty log). Declared once as an operation for the incident page and the
API (`POST /api/v1/incidents/{id}/classify/`)."""
from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from emergency import live
from emergency.documents.classify import ClassificationInput, classification_set
from emergency.operations import Operation, register
from emergency.org.models import User
from emergency.org.services import require

from .models import Incident


def require_may_classify(actor: User, incident: Incident) -> None:
    require(actor, "incidents.classify", incident)


@transaction.atomic
def incident_classify(*, actor: User, incident: Incident, classification: str) -> Incident:
    """Set (or clear, with "") the incident's 密级; an unchanged one writes nothing."""
    from .services import incident_summary

    incident = Incident.objects.select_for_update(of=("self",)).select_related("incident_type").get(pk=incident.pk)
    require_may_classify(actor, incident)
    if classification_set(actor=actor, record=incident, classification=classification, unit_id=incident.unit_id,
                          action="incident.classify"):
        live.publish(event="incident.updated", unit_id=incident.unit_id, data=incident_summary(incident),
                     about=("incident", incident.pk))
    return incident


class ClassificationOutput(serializers.ModelSerializer):
    class Meta:
        model = Incident
        fields = ["id", "number", "classification"]
        read_only_fields = fields


CLASSIFY = Operation(
    name="incident.classify", model=Incident, label=_("Set the classification"), input=ClassificationInput,
    output=ClassificationOutput, guard=require_may_classify, success=_("Classification set."),
    run=lambda *, actor, target, classification: incident_classify(actor=actor, incident=target,
                                                                   classification=classification),
)

register(CLASSIFY)
