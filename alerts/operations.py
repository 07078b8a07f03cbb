"""The writes on warnings, declared once: the pages and the API both dispatch through these.

Each operation's input serializer holds the field checks (required, lengths, choices, scoped ids);
the services keep the domain rules (authority, lifecycle, geometry, recipients)."""
from __future__ import annotations

from types import SimpleNamespace

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from emergency.api.fields import ScopedPrimaryKeyField
from emergency.operations import Operation, register
from emergency.org.models import OrgUnit
from emergency.org.selectors import department_list
from incidents.grading.selectors import type_choices

from . import lifecycles, measures, selectors, services
from .authority import require_authority, require_drafter, require_escalator
from .catalogue import CITY, CUSTOMS, measures_for
from .models import EarlyWarning, WarningLevel, WarningMeasure
from .serializers import WarningMeasureOutput, WarningMessageOutput, WarningOutput

TEXTAREA = {"base_template": "textarea.html"}
# a required choice with no default: the page shows "—" first and the officer must choose
CHOOSE = {"placeholder": True}


def _authority(user, warning: EarlyWarning) -> None:
    require_authority(user, warning, warning.level)


class SuperiorField(ScopedPrimaryKeyField):
    """A unit above the warning's issuing unit (report up, or skip levels: 必要时越级上报)."""

    def __init__(self, **kwargs):
        super().__init__(selector=selectors.organisation_units, **kwargs)

    def get_queryset(self):
        queryset = super().get_queryset()
        target = self.context.get("target")
        if isinstance(target, EarlyWarning):
            queryset = queryset.filter(pk__in=[u.pk for u in OrgUnit.objects.ancestors(target.unit)])
        return queryset


class LinkedOrganisationsField(serializers.MultipleChoiceField):
    """Organisations linked to the user's (联动单位): their duty room is informed as a unit."""

    def __init__(self, **kwargs):
        super().__init__(choices=[], **kwargs)

    def bind(self, field_name, parent):
        super().bind(field_name, parent)
        request = self.context.get("request")
        if request is not None:
            self.choices = selectors.linked_organisation_choices(user=request.user)

    def to_internal_value(self, data):
        return list(OrgUnit.objects.filter(pk__in=[int(pk) for pk in super().to_internal_value(data)]))


@extend_schema_field(OpenApiTypes.STR)
class IncidentTypeCodeField(serializers.ChoiceField):
    """An incident type's code: the types live in the database, so the schema names no fixed set."""


def _level(**kwargs) -> serializers.ChoiceField:
    return serializers.ChoiceField(label=_("Level"), choices=WarningLevel.choices, style=CHOOSE, **kwargs)


class AreaFields(serializers.Serializer):
    area_desc = serializers.CharField(label=_("Area"), max_length=300)
    polygon = serializers.CharField(label=_("Polygon"), required=False, allow_blank=True, max_length=4000,
                                    help_text=_('"lat,lon lat,lon …", the last point equal to the first'))
    circle = serializers.CharField(label=_("Circle"), required=False, allow_blank=True, max_length=80,
                                   help_text=_('"lat,lon radius_km"'))


class DraftContent(serializers.Serializer):
    unit = ScopedPrimaryKeyField(selectors.draft_units, label=_("Issuing unit"))
    type_code = IncidentTypeCodeField(label=_("Type"), choices=[], style=CHOOSE)
    level = _level()
    title = serializers.CharField(label=_("Title"), max_length=200)
    signs = serializers.CharField(label=_("Signs and monitoring information"), max_length=10000, style=TEXTAREA)
    assessment = serializers.CharField(label=_("Assessment"), max_length=10000, required=False, allow_blank=True,
                                       style=TEXTAREA)
    points = serializers.CharField(label=_("Warning points"), max_length=10000, style=TEXTAREA)
    measures_text = serializers.CharField(label=_("Measures to take"), max_length=10000, required=False,
                                          allow_blank=True, style=TEXTAREA)
    starts_at = serializers.DateTimeField(label=_("Starts at"),
                                          initial=lambda: timezone.localtime().strftime("%Y-%m-%dT%H:%M"))
    expected_end = serializers.DateTimeField(label=_("Expected end"), required=False, allow_null=True)


@extend_schema_serializer(component_name="WarningDraftInput")
class DraftInput(DraftContent, AreaFields):
    area_units = ScopedPrimaryKeyField(selectors.organisation_units, many=True, required=False,
                                       label=_("Units in the area"))
    neighbours = ScopedPrimaryKeyField(selectors.organisation_units, many=True, required=False,
                                       label=_("Neighbouring units to inform"))
    linked_organisations = LinkedOrganisationsField(label=_("Linked organisations to inform"), required=False,
                                                    help_text=_("Reaches their duty room as a unit (联动单位)."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["type_code"].choices = type_choices()
        if not self.fields["linked_organisations"].choices:
            del self.fields["linked_organisations"]  # the organisation informs no other


class IssueInput(serializers.Serializer):
    report_to = SuperiorField(label=_("Report to"), required=False, allow_null=True,
                              help_text=_("The superior by default; a higher unit when skipping levels."))


class AdjustContent(serializers.Serializer):
    level = _level()
    title = serializers.CharField(label=_("Title"), max_length=200,
                                  help_text=_("The CAP headline: change it with the level."))
    points = serializers.CharField(label=_("Warning points"), max_length=10000, style=TEXTAREA)
    expected_end = serializers.DateTimeField(label=_("Expected end"), required=False, allow_null=True)


class AdjustInput(AdjustContent, AreaFields):
    """What an adjustment may change; the form opens with the warning's current values."""

    report_to = SuperiorField(label=_("Report to"), required=False, allow_null=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = False  # the API may send only what changes; the page sends every value
        target = self.context.get("target")
        if isinstance(target, EarlyWarning):
            for name in ("level", "title", "points", "area_desc", "polygon", "circle"):
                self.fields[name].initial = getattr(target, name)
            if target.expected_end:
                self.fields["expected_end"].initial = timezone.localtime(target.expected_end).strftime(
                    "%Y-%m-%dT%H:%M")


class LiftInput(serializers.Serializer):
    reason = serializers.CharField(label=_("Reason"), max_length=2000,
                                   help_text=_("Why the warning no longer applies."), style=TEXTAREA)


class EscalateInput(serializers.Serializer):
    body = serializers.CharField(label=_("What happened (the initial report)"), max_length=10000, style=TEXTAREA)
    lead_department = ScopedPrimaryKeyField(department_list, label=_("Lead department"), style=CHOOSE,
                                            help_text=_("It proposes the response level."))


class MeasureAssignInput(serializers.Serializer):
    key = serializers.ChoiceField(label=_("Measure"), choices=[], style=CHOOSE)
    department = ScopedPrimaryKeyField(department_list, label=_("Department"), style=CHOOSE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        target = self.context.get("target")
        # without a warning (the schema), every plan's measures; the service takes only the warning's plan's
        kinds = measures_for(target.unit) if isinstance(target, EarlyWarning) else CITY + CUSTOMS
        self.fields["key"].choices = [(kind.key, kind.display) for kind in kinds]


class MeasureReportInput(serializers.Serializer):
    status = serializers.ChoiceField(label=_("Status"), choices=[
        (WarningMeasure.Status.DOING, _("Under way")), (WarningMeasure.Status.DONE, _("Done"))])
    note = serializers.CharField(label=_("Note"), max_length=2000, required=False, allow_blank=True)


class EscalationOutput(serializers.Serializer):
    incident = serializers.IntegerField(source="incident.pk")
    proposal = serializers.IntegerField(source="proposal.pk")


def _draft(*, actor, target, unit, type_code, **values):
    return services.warning_draft(actor=actor, unit=unit, type_code=type_code, **values)


def _adjust(*, actor, target, report_to=None, **changes):
    return services.warning_adjust(actor=actor, warning=target, report_to=report_to, **changes)


def _escalate(*, actor, target, body, lead_department):
    incident, proposal = services.warning_escalate(actor=actor, warning=target, body=body,
                                                   lead_department=lead_department)
    return SimpleNamespace(incident=incident, proposal=proposal,
                           url=reverse("incident-detail", kwargs={"pk": incident.pk}))


DRAFT = Operation(
    name="warning.draft", label=_("Save the draft"), input=DraftInput, output=WarningOutput, created=True,
    guard=lambda user, _target: require_drafter(user), success=_("Warning drafted."), run=_draft,
)
ISSUE = Operation(
    name="warning.issue", model=EarlyWarning, label=_("Issue the warning"), input=IssueInput,
    output=WarningMessageOutput, lifecycle=lifecycles.WARNING, guard=_authority, created=True,
    success=_("Warning issued."),
    run=lambda *, actor, target, report_to=None: services.warning_issue(actor=actor, warning=target,
                                                                        report_to=report_to),
)
ADJUST = Operation(
    name="warning.adjust", model=EarlyWarning, label=_("Adjust and re-send"), input=AdjustInput,
    output=WarningMessageOutput, lifecycle=lifecycles.WARNING, guard=_authority, created=True,
    success=_("Warning adjusted and re-sent."), run=_adjust,
)
LIFT = Operation(
    name="warning.lift", model=EarlyWarning, label=_("Lift the warning"), input=LiftInput,
    output=WarningMessageOutput, lifecycle=lifecycles.WARNING, guard=_authority, created=True,
    success=_("Warning lifted."), danger=True,
    run=lambda *, actor, target, reason: services.warning_lift(actor=actor, warning=target, reason=reason),
)
ESCALATE = Operation(
    name="warning.escalate", model=EarlyWarning, label=_("Escalate"), input=EscalateInput,
    output=EscalationOutput, lifecycle=lifecycles.WARNING, guard=require_escalator, created=True, danger=True,
    success=_("Escalated into an incident and a response proposal."), run=_escalate,
)
MEASURE_ASSIGN = Operation(
    name="warning.assign-measure", model=EarlyWarning, label=_("Assign"), input=MeasureAssignInput,
    output=WarningMeasureOutput, lifecycle=lifecycles.WARNING, guard=_authority, created=True,
    success=_("Measure assigned."),
    run=lambda *, actor, target, key, department: measures.measure_assign(actor=actor, warning=target, key=key,
                                                                          department=department),
)
MEASURE_REPORT = Operation(
    name="warning_measure.report", model=WarningMeasure, label=_("Update"), input=MeasureReportInput,
    output=WarningMeasureOutput, success=_("Measure updated."),
    guard=lambda user, measure: (lifecycles.WARNING.require("assign-measure", measure.warning),
                                 measures.require_reporter(user, measure)),
    run=lambda *, actor, target, status, note="": measures.measure_update(actor=actor, measure=target,
                                                                          status=status, note=note),
)

register(DRAFT, ISSUE, ADJUST, LIFT, ESCALATE, MEASURE_ASSIGN, MEASURE_REPORT)
