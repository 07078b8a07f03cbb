"""The input of every response operation, one serializer each: the page's form and the API's body.
Choices name only what the user's organisations own and, for a response, what its commanding unit
can call on (its own, its superiors' and its subordinates' departments)."""
from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from emergency.api.fields import ScopedPrimaryKeyField
from emergency.org import selectors as org_selectors
from emergency.org.tree import reach_ids

from .checklist import EVERY
from .help_models import HelpAnswer
from .measures import catalogue_for
from .models import Decision, Level, Order, Response, WorkingGroup
from .selectors import groups_of, key_period_organisations, order_acknowledge_default
from .suggest import CONTEXT_FLAGS, suggest_level

TEXT = 4000
TEXTAREA = {"base_template": "textarea.html"}
CONTEXT_LABELS = {
    "cross_county": _("Across counties"), "cross_city": _("Across cities"), "fairly_serious": _("Fairly serious"),
    "sensitive": _("Sensitive"), "key_area": _("In a key area"), "extreme": _("Extreme low-probability, high-risk event"),
}


class ReachDepartmentField(ScopedPrimaryKeyField):
    """A department of the user's organisations that the target response's commanding unit can call on."""

    def __init__(self, **kwargs):
        super().__init__(org_selectors.department_list, **kwargs)

    def get_queryset(self):
        queryset = super().get_queryset().select_related("unit").order_by("unit_id", "position")
        target = self.context.get("target") if hasattr(self, "context") else None
        if isinstance(target, Response):
            queryset = queryset.filter(unit_id__in=reach_ids(target.command_unit))
        return queryset


class GroupField(ScopedPrimaryKeyField):
    """One of the target response's working groups."""

    def __init__(self, **kwargs):
        super().__init__(groups_of, **kwargs)

    def get_queryset(self):
        queryset = super().get_queryset()
        target = self.context.get("target")
        return queryset.filter(post__response=target) if isinstance(target, Response) else queryset


class ProposeInput(serializers.Serializer):
    level = serializers.ChoiceField(label=_("Proposed level"), choices=Level.choices)
    reasons = serializers.CharField(label=_("Reasons"), max_length=TEXT, style=TEXTAREA)
    attachment_name = serializers.CharField(label=_("Attachment"), max_length=200, required=False, allow_blank=True,
                                            default="")
    attachment_url = serializers.URLField(label=_("Attachment link"), max_length=500, required=False,
                                          allow_blank=True, default="")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for flag in CONTEXT_FLAGS:
            self.fields[flag] = serializers.BooleanField(label=CONTEXT_LABELS[flag], required=False, default=False)
        incident = self.context.get("target")
        if incident is not None:  # the form opens at the suggested level
            self.fields["level"].initial = suggest_level(incident=incident).level


class StartInput(serializers.Serializer):
    level = serializers.ChoiceField(label=_("Level"), choices=Level.choices)
    reason = serializers.CharField(label=_("Reason"), max_length=TEXT, style=TEXTAREA)


class DecideInput(serializers.Serializer):
    outcome = serializers.ChoiceField(label=_("Decision"), choices=[
        (Decision.Outcome.APPROVED, _("Approve")), (Decision.Outcome.APPROVED_OTHER, _("Approve another level")),
        (Decision.Outcome.REJECTED, _("Reject"))])
    level = serializers.ChoiceField(label=_("Other level"), choices=Level.choices, required=False, allow_null=True,
                                    default=None)
    reason = serializers.CharField(label=_("Reason (needed to reject)"), max_length=TEXT, required=False,
                                   allow_blank=True, default="", style=TEXTAREA)


class ReasonInput(serializers.Serializer):
    reason = serializers.CharField(label=_("Reason"), max_length=TEXT, style=TEXTAREA)


class HelpRequestInput(serializers.Serializer):
    asked = serializers.CharField(label=_("Help and guidance to ask for"), max_length=TEXT, style=TEXTAREA)


class HelpAnswerInput(serializers.Serializer):
    outcome = serializers.ChoiceField(label=_("Answer"), choices=HelpAnswer.Outcome.choices)
    content = serializers.CharField(label=_("Guidance given, help sent, or the reason declined"), max_length=TEXT,
                                    style=TEXTAREA)
    answered_by = serializers.CharField(label=_("Who answered there (empty: you, for a unit on the platform)"),
                                        max_length=200, required=False, allow_blank=True, default="")
    answered_at = serializers.DateTimeField(label=_("Answered at (empty: now)"), required=False, allow_null=True,
                                            default=None)


class OutsideAcceptanceInput(serializers.Serializer):
    accepted_by = serializers.CharField(label=_("Who accepted command there"), max_length=200)


class TransferDecisionInput(serializers.Serializer):
    accept = serializers.BooleanField(label=_("Take over command"), required=False, default=False)


class PostInput(serializers.Serializer):
    name = serializers.CharField(label=_("Command post name"), max_length=200)
    location = serializers.CharField(label=_("Location"), max_length=300)


class GroupInput(serializers.Serializer):
    kind = serializers.ChoiceField(label=_("Working group"), choices=WorkingGroup.Kind.choices)
    lead_department = ReachDepartmentField(label=_("Lead department"))
    departments = ReachDepartmentField(label=_("Member departments"), many=True, required=False)

    def validate(self, data):
        data.setdefault("departments", [])
        return data


class OrderInput(serializers.Serializer):
    text = serializers.CharField(label=_("Order"), max_length=TEXT, style=TEXTAREA)
    group = GroupField(label=_("Working group"), required=False, allow_null=True, default=None)
    department = ReachDepartmentField(label=_("Department"), required=False, allow_null=True, default=None)
    acknowledge_within_minutes = serializers.IntegerField(
        label=_("Acknowledge within (minutes)"), min_value=1, max_value=24 * 60, required=False, allow_null=True,
        default=None, help_text=_("Left empty: the organisation's setting for this level."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        target = self.context.get("target")
        if isinstance(target, Response):  # the form shows the organisation's own figure, labelled as such
            minutes = order_acknowledge_default(target)
            field = self.fields["acknowledge_within_minutes"]
            field.initial = minutes
            field.help_text = _("Default %(minutes)s minutes: the organisation's setting (the plans give no figure).") % {
                "minutes": minutes}


class OrderReportInput(serializers.Serializer):
    status = serializers.ChoiceField(label=_("Status"), choices=[(Order.Status.IN_PROGRESS, Order.Status.IN_PROGRESS.label),
                                                                 (Order.Status.DONE, Order.Status.DONE.label)])
    note = serializers.CharField(label=_("Progress note"), max_length=TEXT, required=False, allow_blank=True,
                                 default="", style=TEXTAREA)


class NoteInput(serializers.Serializer):
    note = serializers.CharField(label=_("Progress note"), max_length=TEXT, required=False, allow_blank=True,
                                 default="")


class OrderCancelInput(serializers.Serializer):
    note = serializers.CharField(label=_("Reason for cancelling"), max_length=TEXT, required=False, allow_blank=True,
                                 default="")


class KeyPeriodInput(serializers.Serializer):
    organisation = ScopedPrimaryKeyField(key_period_organisations, label=_("Organisation"))
    name = serializers.CharField(label=_("Name"), max_length=200)
    starts_at = serializers.DateTimeField(label=_("Starts at"))
    ends_at = serializers.DateTimeField(label=_("Ends at"))



class ResponseMeasureAssignInput(serializers.Serializer):
    """One measure of the plan's list for the target response's incident."""

    key = serializers.ChoiceField(label=_("Measure"), choices=[], style={"placeholder": True})
    department = ReachDepartmentField(label=_("Department"), style={"placeholder": True})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        target = self.context.get("target")
        # without a response (the schema), every plan's measures; the service refuses a closed one
        kinds = catalogue_for(target) if isinstance(target, Response) else EVERY
        self.fields["key"].choices = [(kind.key, kind.display) for kind in kinds]


class MeasureNoteInput(serializers.Serializer):
    note = serializers.CharField(label=_("Progress note"), max_length=TEXT, required=False, allow_blank=True,
                                 default="")


class MeasureReasonInput(serializers.Serializer):
    note = serializers.CharField(label=_("Why it does not apply"), max_length=TEXT)
