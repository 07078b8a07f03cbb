"""The writes on grading tables, declared once: an administrator of the organisation drafts a table
from the one in force, edits its criteria, runs the saved cases and publishes it, from the pages or
the API, with the same rules."""
from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from rest_framework.fields import empty
from rest_framework.utils import html

from emergency.api.fields import ScopedPrimaryKeyField
from emergency.api.serializers import OutputSerializer
from emergency.operations import Lifecycle, Operation, Transition, register
from .selectors import type_choices

from . import engine, selectors, services
from .models import CaseRun, Condition, Criterion, Grade, ThresholdTable

S = ThresholdTable.State
DRAFT_ONLY = _("A published table never changes; start a new draft.")
TABLE = Lifecycle(states=S, transitions={
    verb: Transition(frozenset({S.DRAFT}), S.PUBLISHED if verb == "publish" else None, DRAFT_ONLY)
    for verb in ("run-cases", "publish", "add-criterion", "change", "remove")})


class DraftInput(serializers.Serializer):
    organisation = ScopedPrimaryKeyField(selectors.organisations_graded_by, required=False, allow_null=True,
                                         label=_("Organisation"),
                                         help_text=_("The top unit the table is for (default: your only one)"))
    note = serializers.CharField(label=_("What changes"), required=False, allow_blank=True, default="",
                                 max_length=2000)


class ConditionInput(serializers.Serializer):
    metric = serializers.CharField(max_length=40)
    op = serializers.ChoiceField(choices=Condition.Op.choices)
    value = serializers.DecimalField(max_digits=16, decimal_places=4, min_value=0)


class ConditionsField(serializers.ListField):
    """The conditions, all of which must hold: a JSON list of {metric, op, value}, or a form's lines
    `deaths gte 30`."""

    child = ConditionInput()

    def get_value(self, dictionary):
        if html.is_html_input(dictionary):
            if self.field_name not in dictionary:
                return empty
            rows = []
            for line in str(dictionary.get(self.field_name)).splitlines():
                parts = line.split()
                if parts:
                    rows.append(dict(zip(("metric", "op", "value"), parts)) if len(parts) == 3 else {"metric": line})
            return rows
        return super().get_value(dictionary)


class CriterionInput(serializers.Serializer):
    type = serializers.ChoiceField(label=_("Incident type"), choices=[])
    grade = serializers.ChoiceField(label=_("Grade"), choices=Grade.choices)
    wording = serializers.CharField(label=_("Wording"), max_length=2000, style={"base_template": "textarea.html"})
    wording_en = serializers.CharField(label=_("Wording (English)"), required=False, allow_blank=True, default="",
                                       max_length=2000, style={"base_template": "textarea.html"})
    source = serializers.CharField(label=_("Source"), required=False, allow_blank=True, default="", max_length=120)
    origin = serializers.ChoiceField(label=_("Whose figure"), choices=Criterion.Origin.choices, required=False,
                                     default=Criterion.Origin.ORGANISATION)
    check_key = serializers.SlugField(label=_("Checklist key"), required=False, allow_blank=True, default="",
                                      max_length=60)
    floor = serializers.BooleanField(label=_("Floor grade"), required=False, default=False)
    conditions = ConditionsField(label=_("Conditions (one per line: metric gte|gt|lt|lte value)"), required=False,
                                 default=list, style={"base_template": "textarea.html"})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["type"].choices = type_choices()

    def validate(self, attrs):
        if not attrs.get("floor") and not attrs.get("conditions") and not attrs.get("check_key"):
            raise serializers.ValidationError({"conditions": [
                _("A criterion needs a condition, a checklist key, or to be the floor grade.")]})
        return attrs


class TableOutput(OutputSerializer):
    class Meta:
        model = ThresholdTable
        fields = ["id", "organisation", "version", "state", "standard", "note", "revision", "based_on",
                  "created_at", "published_at"]


class CaseRunOutput(OutputSerializer):
    revision = serializers.IntegerField(source="table_revision", read_only=True)
    passed = serializers.BooleanField(read_only=True)
    failures = serializers.ListField(child=serializers.DictField(), read_only=True)

    class Meta:
        model = CaseRun
        fields = ["revision", "total", "passed", "failures"]


class CriterionOutput(OutputSerializer):
    type = serializers.SlugRelatedField(source="incident_type", slug_field="code", read_only=True)

    class Meta:
        model = Criterion
        fields = ["id", "table", "type", "grade", "source", "origin", "wording", "wording_en", "check_key", "floor"]


def _admin(user, table) -> None:
    services.require_admin(user, table)


def _criterion_admin(user, criterion) -> None:
    services.require_admin(user, criterion.table)


def _publish(*, actor, target):
    table = services.table_publish(actor=actor, table=target)
    engine.compile_table(table)
    return table


def _save(*, actor, target, type, criterion=None, **values):  # noqa: A002 - the API's field name
    table = target if criterion is None else target.table
    return services.criterion_save(actor=actor, table=table, type_code=type, criterion=criterion, **values)


DRAFT = Operation(
    name="threshold-table.draft", label=_("Start a draft from the table in force"), input=DraftInput,
    output=TableOutput, created=True, guard=lambda user, target: services.require_admin(user),
    success=_("Draft created from the published table."),
    run=lambda *, actor, target, **values: services.table_draft_create(actor=actor, **values),
)
RUN = Operation(
    name="threshold-table.run-cases", model=ThresholdTable, label=_("Run the saved cases"), output=CaseRunOutput,
    lifecycle=TABLE, guard=_admin, success=_("The saved cases were run."),
    run=lambda *, actor, target: services.table_run_cases(actor=actor, table=target),
)
PUBLISH = Operation(
    name="threshold-table.publish", model=ThresholdTable, label=_("Publish"), output=TableOutput, lifecycle=TABLE,
    guard=_admin, success=_("Table published."), danger=True, run=_publish,
)
ADD = Operation(
    name="threshold-table.add-criterion", model=ThresholdTable, label=_("Add the criterion"), input=CriterionInput,
    output=CriterionOutput, lifecycle=TABLE, guard=_admin, created=True, success=_("Criterion saved."), run=_save,
)
CHANGE = Operation(
    name="criterion.change", model=Criterion, label=_("Save the criterion"), input=CriterionInput,
    output=CriterionOutput, lifecycle=TABLE, state_attr="table_state", guard=_criterion_admin,
    success=_("Criterion saved."),
    run=lambda *, actor, target, **values: _save(actor=actor, target=target, criterion=target, **values),
)
REMOVE = Operation(
    name="criterion.remove", model=Criterion, label=_("Remove"), lifecycle=TABLE, state_attr="table_state",
    guard=_criterion_admin, success=_("Criterion removed."), danger=True,
    run=lambda *, actor, target: services.criterion_remove(actor=actor, criterion=target),
)

register(DRAFT, RUN, PUBLISH, ADD, CHANGE, REMOVE)
