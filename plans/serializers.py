"""What the plan operations take (one input serializer each, bound to JSON by the API and to the form
by the page) and what the API answers."""
from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from emergency.api.fields import DB_INT_MAX, ScopedPrimaryKeyField
from emergency.api.serializers import OutputSerializer
from emergency.org import selectors as org_selectors

from . import selectors
from .forms import SECTIONS_HELP, parse_sections
from .models import ConsultationOpinion, Drill, Evaluation, Plan, PlanEdition, PlanType, RevisionRequest

TEXT = 5000


@extend_schema_field({"oneOf": [{"type": "string"}, {"type": "array", "items": {
    "type": "object", "properties": {"title": {"type": "string"}, "body": {"type": "string"}},
    "required": ["title"]}}]})
class SectionsField(serializers.CharField):
    """A plan's text: a list of {title, body} (JSON), or text where a line "## title" opens a section (a form)."""

    default_error_messages = {"invalid": _("Each section needs a title (and its text).")}

    def __init__(self, **kwargs):
        kwargs.setdefault("style", {"base_template": "textarea.html", "rows": 12})
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if isinstance(data, str):
            if len(data) > 200_000:
                self.fail("invalid")
            return parse_sections(data)
        if not isinstance(data, list) or not all(isinstance(s, dict) and str(s.get("title", "")).strip()
                                                 for s in data):
            self.fail("invalid")
        return [{"title": str(s["title"]).strip()[:200], "body": str(s.get("body", "")).strip()} for s in data]

    def to_representation(self, value):
        return value


class PlanInput(serializers.Serializer):
    unit = ScopedPrimaryKeyField(selectors.plan_admin_units, label=_("Unit"))
    plan_type = serializers.ChoiceField(choices=PlanType.choices, label=_("Type"))
    title = serializers.CharField(max_length=200, label=_("Title"))
    parent = ScopedPrimaryKeyField(selectors.plans_visible, required=False, allow_null=True, label=_("Under the plan"))
    lead_department = ScopedPrimaryKeyField(org_selectors.department_list, required=False, allow_null=True,
                                            label=_("Lead drafting department"))
    sections = SectionsField(required=False, allow_blank=True, default=list, label=_("Text"), help_text=SECTIONS_HELP)


class VersionInput(serializers.Serializer):
    sections = SectionsField(label=_("Text"), help_text=SECTIONS_HELP)
    change_summary = serializers.CharField(label=_("What changed"), max_length=2000, required=False, allow_blank=True,
                                           default="")


class StepInput(serializers.Serializer):
    step = ScopedPrimaryKeyField(selectors.route_steps_visible, label=_("Step"))
    note = serializers.CharField(label=_("Note"), max_length=2000, required=False, allow_blank=True, default="")


class ReclassifyInput(serializers.Serializer):
    major = serializers.BooleanField(label=_("The revision touches key content (full route)"), required=False,
                                     default=False)
    reason = serializers.CharField(label=_("Reason"), max_length=2000, style={"base_template": "textarea.html"})


class OpinionsInput(serializers.Serializer):
    departments = ScopedPrimaryKeyField(org_selectors.department_list, many=True, required=False,
                                        label=_("Departments"))
    experts = ScopedPrimaryKeyField(org_selectors.expert_list, many=True, required=False, label=_("Experts"))
    due_on = serializers.DateField(label=_("Due on"))


class OpinionInput(serializers.Serializer):
    opinion = serializers.CharField(label=_("Opinion"), max_length=TEXT)


class TaskInput(serializers.Serializer):
    department = ScopedPrimaryKeyField(org_selectors.department_list, label=_("Department"))
    responsible_unit = ScopedPrimaryKeyField(org_selectors.units_visible, label=_("Responsible unit"))
    task = serializers.CharField(label=_("Task"), max_length=2000)
    responsible_person = serializers.CharField(label=_("Responsible person"), max_length=100)


class RetireInput(serializers.Serializer):
    reason = serializers.CharField(label=_("Reason"), max_length=2000)


class DrillInput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=Drill.Kind.choices, label=_("Kind"))
    held_on = serializers.DateField(label=_("Held on"))
    findings = serializers.CharField(label=_("Findings"), max_length=TEXT, required=False, allow_blank=True,
                                     default="", style={"base_template": "textarea.html"})
    revision_needed = serializers.BooleanField(label=_("The findings call for a revision"), required=False,
                                               default=False)

    def validate_held_on(self, value):
        if value > timezone.localdate():
            raise serializers.ValidationError(_("Record a drill once it has been held."))
        return value


class EvaluationInput(serializers.Serializer):
    held_on = serializers.DateField(label=_("Held on"))
    conclusion = serializers.ChoiceField(choices=Evaluation.Conclusion.choices, label=_("Conclusion"))
    findings = serializers.CharField(label=_("Findings"), max_length=TEXT)


class RevisionInput(serializers.Serializer):
    trigger = serializers.ChoiceField(choices=RevisionRequest.Trigger.choices, label=_("Trigger"))
    description = serializers.CharField(label=_("Description"), max_length=TEXT)


class SuggestionInput(RevisionInput):
    plan = ScopedPrimaryKeyField(selectors.plans_open_to_suggestion, label=_("Plan"))

    class Meta:
        fields = ["plan", "trigger", "description"]


class PublicSuggestionInput(RevisionInput):
    """Signed out: the plan is any published plan, named by its id (every published plan is public)."""

    plan = serializers.IntegerField(label=_("Plan"), min_value=1, max_value=DB_INT_MAX)
    name = serializers.CharField(label=_("Your name"), max_length=100)
    contact = serializers.CharField(label=_("Phone or e-mail"), max_length=200)


@extend_schema_serializer(component_name="RevisionCloseInput")
class CloseInput(serializers.Serializer):
    state = serializers.ChoiceField(label=_("Outcome"), choices=[
        (RevisionRequest.State.ACCEPTED, _("Accept")), (RevisionRequest.State.DONE, _("Done")),
        (RevisionRequest.State.DECLINED, _("Decline"))])
    resolution = serializers.CharField(label=_("Resolution"), max_length=2000)


# --- Answers -------------------------------------------------------------------------------------

class PlanSerializer(OutputSerializer):
    depth = serializers.IntegerField(source="tree_depth", read_only=True)
    open_requests = serializers.IntegerField(read_only=True)
    drill_overdue = serializers.BooleanField(read_only=True, allow_null=True)  # null: no edition in force yet
    evaluation_overdue = serializers.BooleanField(read_only=True, allow_null=True)
    edition = serializers.IntegerField(source="published_edition.number", read_only=True, default=None,
                                       allow_null=True)  # null until the plan is published

    class Meta:
        model = Plan
        fields = ["id", "parent", "depth", "unit", "plan_type", "title", "lead_department", "state", "edition",
                  "next_drill_due", "next_evaluation_due", "drill_overdue", "evaluation_overdue", "open_requests",
                  "classification"]


class EditionSerializer(OutputSerializer):
    class Meta:
        model = PlanEdition
        fields = ["number", "title", "published_at", "sections"]


class EditionSummarySerializer(OutputSerializer):
    class Meta:
        model = PlanEdition
        fields = ["number", "title", "published_at"]


class DiffRowSerializer(serializers.Serializer):
    title = serializers.CharField()
    change = serializers.ChoiceField(choices=["added", "changed", "removed"])
    lines = serializers.ListField(child=serializers.CharField())


class DiffSerializer(serializers.Serializer):
    before = serializers.IntegerField(source="old.number")
    after = serializers.IntegerField(source="new.number")
    sections = DiffRowSerializer(many=True, source="rows")


class RevisionRequestSerializer(OutputSerializer):
    class Meta:
        model = RevisionRequest
        fields = ["id", "plan", "trigger", "description", "source", "state", "resolution", "filed_at", "closed_at"]


class OpinionSerializer(OutputSerializer):
    class Meta:
        model = ConsultationOpinion
        fields = ["id", "version", "department", "expert", "due_on", "opinion", "returned_at"]


class TaskSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    plan = serializers.IntegerField(source="plan_id")
    department = serializers.IntegerField(source="department_id")
    task = serializers.CharField()
    responsible_unit = serializers.IntegerField(source="responsible_unit_id")
    responsible_person = serializers.CharField()
