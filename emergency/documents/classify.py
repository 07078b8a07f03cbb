"""Setting the 密级 of a record its documents are made of (an incident, a plan): the one write both
apps' services call under their own lock and authority check. Validates, saves, audits."""
from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from emergency.audit.services import audit_record
from emergency.errors import ValidationFailed

from . import Classification


def classification_set(*, actor, record: models.Model, classification: str, unit_id: int, action: str) -> bool:
    """Set (or clear, with "") `record.classification`; returns whether it changed (unchanged writes nothing).
    The caller holds the row locked and has checked the actor's authority."""
    if classification not in Classification.values:
        raise ValidationFailed(_("Some fields are missing or invalid."), fields={
            "classification": [_("Choose one of the classifications.")]})
    if classification == record.classification:
        return False
    before = record.classification
    record.classification = classification
    names = {f.name for f in record._meta.concrete_fields}
    record.save(update_fields=["classification", *(["updated_at"] if "updated_at" in names else [])])
    audit_record(actor=actor, unit_id=unit_id, action=action, target=record,
                 before={"classification": before}, after={"classification": classification})
    return True


class ClassificationInput(serializers.Serializer):
    classification = serializers.ChoiceField(
        label=_("Classification"), choices=Classification.choices, allow_blank=True,
        error_messages={"invalid_choice": _("Choose one of the classifications.")})
