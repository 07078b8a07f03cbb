"""A plan's 密级 (classification): set by its unit's plan administrators, audited, and printed at the
top left of its editions as filed. An operation for the plan page and the API
(`POST /api/v1/plans/{id}/classify/`)."""
from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from emergency.documents.classify import ClassificationInput, classification_set
from emergency.operations import Operation, register

from .models import Plan
from .operations import may_edit


@transaction.atomic
def plan_classify(*, actor, plan: Plan, classification: str) -> Plan:
    """Set (or clear, with "") the plan's 密级; an unchanged one writes nothing."""
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    may_edit(actor, plan)
    classification_set(actor=actor, record=plan, classification=classification, unit_id=plan.unit_id,
                       action="plan.classify")
    return plan


class PlanClassificationOutput(serializers.ModelSerializer):
    class Meta:
        model = Plan
        fields = ["id", "title", "classification"]
        read_only_fields = fields


register(Operation(
    name="plan.classify", model=Plan, label=_("Set the classification"), input=ClassificationInput,
    output=PlanClassificationOutput, guard=may_edit, success=_("Classification set."),
    run=lambda *, actor, target, classification: plan_classify(actor=actor, plan=target,
                                                               classification=classification),
))
