"""What each write on an incident takes, declared once: the API binds these serializers to JSON, the
pages to their form posts (a form sends its figures as `metric_<key>` fields and lines of text where
the API sends an object or a list). The services keep the domain rules."""
from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.fields import empty
from rest_framework.utils import html

from emergency.api.fields import ScopedPrimaryKeyField
from emergency.errors import DomainError
from emergency.org import selectors as org_selectors
from incidents.grading import authority as grading_authority
from incidents.grading import engine
from incidents.grading.models import Grade

from .copies import when_needed_rule
from .grading.selectors import type_choices
from .models import IncidentReport, PublicRelease
from .selectors import lead_department_choices, plans_to_revise

FIGURE_PREFIX = "metric_"


def local_now() -> str:
    return timezone.localtime().strftime("%Y-%m-%dT%H:%M")


class FiguresField(serializers.JSONField):
    """The figures: an object of metric keys and numbers, or a form's `metric_<key>` fields (a form
    that shows figures says so with `metrics_present`, so that clearing every figure is a change)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("style", {"input_type": "hidden"})  # a form shows each figure as its own input
        super().__init__(**kwargs)

    def get_value(self, dictionary):
        if html.is_html_input(dictionary):
            figures = {key[len(FIGURE_PREFIX):]: value for key, value in dictionary.items()
                       if key.startswith(FIGURE_PREFIX) and str(value).strip()}
            return figures if figures or "metrics_present" in dictionary else empty
        return super().get_value(dictionary)

    def to_internal_value(self, data):
        if not isinstance(data, dict):
            raise serializers.ValidationError(_("Metrics must be an object of metric keys and numbers."))
        return super().to_internal_value(data)


class ChecksField(serializers.ListField):
    """The checklist items ticked (their keys); a form's blank values are none."""

    child = serializers.CharField(max_length=60)

    def __init__(self, **kwargs):
        kwargs.setdefault("style", {"input_type": "hidden"})
        kwargs.setdefault("initial", None)  # a generic form posts nothing for it, not "[]"
        super().__init__(**kwargs)

    def get_value(self, dictionary):
        if html.is_html_input(dictionary):
            keys = [key for key in dictionary.getlist(self.field_name) if str(key).strip()]
            return keys or empty
        return super().get_value(dictionary)


class LinesField(serializers.ListField):
    """A list of texts: a JSON list, or one line each of a form's text area."""

    child = serializers.CharField(max_length=2000)

    def get_value(self, dictionary):
        if html.is_html_input(dictionary) and self.field_name in dictionary:
            return [line for value in dictionary.getlist(self.field_name) for line in str(value).splitlines()
                    if line.strip()]
        return super().get_value(dictionary)


CONTENT_TEXT = {"max_length": 4000, "required": False, "allow_blank": True,
                "style": {"base_template": "textarea.html"}}


class ReportContents(serializers.Serializer):
    """The contents a report carries, as the plans list them (city plan 3.3.1 2): 时间、地点、信息来源、
    性质、简要经过、影响范围、人员伤亡和失联情况、基础设施损毁情况、已经采取的措施; customs plan 3.3.1 (1):
    时间、地点、信息来源、事件性质、影响范围及损害程度、人员伤亡和失联情况、发展趋势、已经采取的措施;
    and the support needed (customs 3.3.1 (1) "必要时，提出支援需求"). A form sends them as `contents.<name>`."""

    time = serializers.CharField(label=_("Time"), max_length=200, required=False, allow_blank=True)
    place = serializers.CharField(label=_("Place"), max_length=300, required=False, allow_blank=True)
    source = serializers.CharField(label=_("Source of the information"), max_length=300, required=False,
                                   allow_blank=True)
    cause = serializers.CharField(label=_("Nature, cause and brief course"), **CONTENT_TEXT)
    casualties = serializers.CharField(label=_("Casualties and missing"), **CONTENT_TEXT)
    losses = serializers.CharField(label=_("Scope and losses (buildings, infrastructure, environment)"),
                                   **CONTENT_TEXT)
    measures = serializers.CharField(label=_("Measures already taken"), **CONTENT_TEXT)
    trend = serializers.CharField(label=_("Trend"), **CONTENT_TEXT)
    requests = serializers.CharField(label=_("Support requested"), **CONTENT_TEXT)

    def to_internal_value(self, data):
        return {key: value.strip() for key, value in super().to_internal_value(data).items() if value.strip()}


def check_figures(figures, unit_id: int | None) -> None:
    """Each figure known, a number, within its bound: the errors sit beside their figure
    (`metrics.<key>`)."""
    if figures:
        engine.clean_metrics(engine.compile_table(engine.current_table_for_unit(unit_id)), figures)


class IncidentLogInput(serializers.Serializer):
    unit = ScopedPrimaryKeyField(org_selectors.units_visible, label=_("Unit"))
    type = serializers.ChoiceField(label=_("Type"), choices=[])
    secondary_types = serializers.ListField(child=serializers.CharField(max_length=40), required=False,
                                            default=list, label=_("Secondary and derived types"))
    title = serializers.CharField(label=_("Title"), max_length=200)
    address = serializers.CharField(label=_("Place"), max_length=300)
    latitude = serializers.DecimalField(label=_("Latitude"), max_digits=9, decimal_places=6, min_value=-90,
                                        max_value=90, required=False, allow_null=True)
    longitude = serializers.DecimalField(label=_("Longitude"), max_digits=9, decimal_places=6, min_value=-180,
                                         max_value=180, required=False, allow_null=True)
    occurred_at = serializers.DateTimeField(label=_("Occurred at"), initial=local_now)
    discovered_at = serializers.DateTimeField(label=_("Discovered at"), required=False, allow_null=True)
    received_at = serializers.DateTimeField(label=_("Received at"), initial=local_now)
    metrics = FiguresField(required=False, default=dict, label=_("Figures"))
    checked = ChecksField(required=False, default=list)
    may_cause_panic = serializers.BooleanField(
        label=_("May cause public panic (press conference within 24 hours)"), required=False, default=False)
    reported_regardless = serializers.BooleanField(
        label=_("Sensitive, in a key area or period, or may escalate: report up regardless of grade"),
        required=False, default=False)
    lead_department = ScopedPrimaryKeyField(org_selectors.department_list, required=False, allow_null=True,
                                            label=_("Lead department"))
    body = serializers.CharField(label=_("Initial report"), help_text=_(
        "Time, place, source, nature, scope, trend and the measures already taken."))
    contents = ReportContents(required=False, label=_("Contents"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["type"].choices = type_choices()

    def to_internal_value(self, data):
        # A form leaves unset optional fields blank: blank is "not given" for the optional ones.
        if html.is_html_input(data):
            data = data.copy()
            for name in ("latitude", "longitude", "discovered_at", "lead_department"):
                if data.get(name, None) == "":
                    data.pop(name)
        return super().to_internal_value(data)

    def validate(self, attrs):
        check_figures(attrs.get("metrics"), attrs["unit"].pk)
        return attrs

    def run_validation(self, data=empty):
        """Every mistake at once: the figures are checked even when another field is wrong."""
        try:
            return super().run_validation(data)
        except serializers.ValidationError as error:
            if isinstance(error.detail, dict) and html.is_html_input(data):
                unit, figures = str(data.get("unit") or ""), FiguresField().get_value(data)
                try:
                    if unit.isdigit() and figures is not empty:
                        check_figures(figures, int(unit))
                except DomainError as figures:
                    error.detail.update({key: list(map(str, messages)) for key, messages in figures.fields.items()})
            raise


class ReportInput(serializers.Serializer):
    """A follow-up (续报) or final (终报) report; its figures, when given, regrade the incident."""

    kind = serializers.ChoiceField(label=_("Kind"), default=IncidentReport.Kind.FOLLOW_UP, choices=[
        (IncidentReport.Kind.FOLLOW_UP, _("Follow-up report")), (IncidentReport.Kind.FINAL, _("Final report"))])
    body = serializers.CharField(label=_("Report"), style={"base_template": "textarea.html"})
    contents = ReportContents(required=False, label=_("Contents"))
    metrics = FiguresField(required=False, default=None, label=_("Figures"))
    checked = ChecksField(required=False, default=None)

    def validate(self, attrs):
        check_figures(attrs.get("metrics"), self.context["target"].unit_id if self.context.get("target") else None)
        return attrs


class CorrectionInput(serializers.Serializer):
    """A correction of one report: a new report that says what it corrects and why."""

    correction_reason = serializers.CharField(label=_("Why it is corrected"), max_length=2000)
    body = serializers.CharField(label=_("Corrected text"), style={"base_template": "textarea.html"})
    metrics = FiguresField(required=False, default=None, label=_("Figures"))
    checked = ChecksField(required=False, default=None)

    def validate(self, attrs):
        report = self.context.get("target")
        check_figures(attrs.get("metrics"), report.incident.unit_id if report else None)
        return attrs


class SendInput(serializers.Serializer):
    """Sending a report up. `copy_when_needed`: the officer's judgement for a copy its organisation's
    plan words "必要时" (customs 3.3.1 (1) "必要时，报告相关所在地党委和政府"); left out, the rule's default."""

    copy_when_needed = serializers.BooleanField(label=_("Report also to the local Party committee and government"),
                                                required=False, allow_null=True, default=None)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        target = self.context.get("target")
        if not isinstance(target, IncidentReport):
            return
        rule = when_needed_rule(target)
        if rule is None:  # nothing for the officer to judge: the form is a button
            self.fields.pop("copy_when_needed")
            return
        field = self.fields["copy_when_needed"]
        field.label = _("Report also to %(recipient)s (必要时)") % {"recipient": rule.recipient}
        field.initial, field.help_text = rule.needed_by_default, rule.basis


class ReleaseInput(serializers.Serializer):
    kind = serializers.ChoiceField(label=_("Kind"), choices=PublicRelease.Kind.choices)
    channel = serializers.CharField(label=_("Channel or place"), max_length=200)
    text = serializers.CharField(label=_("Text"), style={"base_template": "textarea.html"})


class ReleaseRejectInput(serializers.Serializer):
    reason = serializers.CharField(label=_("Reason"), max_length=2000, style={"base_template": "textarea.html"},
                                   error_messages={"blank": _("Give the reason for rejecting the release."),
                                                   "required": _("Give the reason for rejecting the release.")})


class GradeInput(serializers.Serializer):
    """The grade set by hand: the page offers only the grades left to the hand on this incident;
    the service refuses the others (and whoever the organisation does not name for the grade)."""

    grade = serializers.ChoiceField(label=_("Grade"), choices=Grade.choices,
                                    error_messages={"invalid_choice": _("Unknown grade.")})
    reason = serializers.CharField(label=_("Reason"), max_length=2000, style={"base_template": "textarea.html"},
                                   error_messages={"blank": _("Give the reason for the grade."),
                                                   "required": _("Give the reason for the grade.")})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        incident = self.context.get("target")
        if incident is not None:
            left = grading_authority.hand_grades(incident)
            if left:
                field = self.fields["grade"]
                field.choices = [c for c in Grade.choices if c[0] in left]
                field.error_messages["invalid_choice"] = (
                    _("Where no rule decides, the lead department sets grade III or IV.") if left == ["III", "IV"]
                    else _("Where no row of the table decides, this incident is graded %(grades)s by hand.")
                    % {"grades": " / ".join(left)})


class LeadDepartmentField(ScopedPrimaryKeyField):
    """One of the departments the user sees of the incident's unit and its superiors, nearest first."""

    default_error_messages = {"does_not_exist": _("Choose one of the departments of the incident's unit or its "
                                                  "superiors.")}

    def __init__(self, **kwargs):
        super().__init__(org_selectors.department_list, **kwargs)

    def get_queryset(self):
        incident = self.context.get("target")
        if incident is None:
            return super().get_queryset()
        return lead_department_choices(incident=incident, user=self.context["request"].user)


class LeadDepartmentInput(serializers.Serializer):
    department = LeadDepartmentField(label=_("Lead department"))


class InvestigationInput(serializers.Serializer):
    """The investigation and assessment report (3.4.2); its lessons may open revisions of plans."""

    summary = serializers.CharField(label=_("What happened"), style={"base_template": "textarea.html"})
    causes = serializers.CharField(label=_("Causes"), style={"base_template": "textarea.html"})
    losses = serializers.CharField(label=_("Losses"), required=False, allow_blank=True, default="",
                                   style={"base_template": "textarea.html"})
    responsibility = serializers.CharField(label=_("Responsibility"), required=False, allow_blank=True, default="",
                                           style={"base_template": "textarea.html"})
    recovery = serializers.CharField(label=_("Recovery measures"), required=False, allow_blank=True, default="",
                                     style={"base_template": "textarea.html"})
    lessons = LinesField(label=_("Lessons (one per line)"), required=False, default=list)
    revise_plans = serializers.ListField(child=serializers.IntegerField(min_value=1), required=False, default=list,
                                         label=_("The lessons call for revising"))

    def validate_revise_plans(self, value):
        incident = self.context.get("target")
        if not value:
            return []
        found = list(plans_to_revise(incident=incident, user=self.context["request"].user).filter(pk__in=value))
        if len(found) != len(set(value)):
            raise serializers.ValidationError(_("Not found."))
        return found
