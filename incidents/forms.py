"""Browser forms for incidents. They parse input; the services decide and write."""
from __future__ import annotations

from django import forms
from django.db.models import Case, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from emergency.errors import ValidationFailed
from emergency.org import selectors as org_selectors
from emergency.org.fields import ScopedForm, ScopedModelChoiceField
from emergency.org.models import Department, OrgUnit
from emergency.org.roles import Role
from emergency.org.scope import unit_scope
from emergency.org.tree import unit_path
from incidents.grading import engine
from incidents.grading.models import IncidentCategory, Metric

from .models import IncidentReport, PublicRelease

DATETIME = {"type": "datetime-local", "step": "60"}


def _local_now() -> str:
    return timezone.localtime().strftime("%Y-%m-%dT%H:%M")


def type_choices() -> list:
    return [(c.display_name, [(t.code, t.display_name) for t in c.types.all()])
            for c in IncidentCategory.objects.prefetch_related("types")]


class IncidentForm(ScopedForm):
    unit = ScopedModelChoiceField(label=_("Unit"), queryset=OrgUnit.objects.none())
    type_code = forms.ChoiceField(label=_("Type"))
    secondary_types = forms.MultipleChoiceField(label=_("Secondary and derived types"), required=False,
                                                widget=forms.SelectMultiple(attrs={"size": 4}))
    title = forms.CharField(label=_("Title"), max_length=200)
    address = forms.CharField(label=_("Place"), max_length=300)
    latitude = forms.DecimalField(label=_("Latitude"), required=False, max_digits=9, decimal_places=6,
                                  min_value=-90, max_value=90)
    longitude = forms.DecimalField(label=_("Longitude"), required=False, max_digits=9, decimal_places=6,
                                   min_value=-180, max_value=180)
    occurred_at = forms.DateTimeField(label=_("Occurred at"), widget=forms.DateTimeInput(DATETIME))
    discovered_at = forms.DateTimeField(label=_("Discovered at"), required=False,
                                        widget=forms.DateTimeInput(DATETIME))
    received_at = forms.DateTimeField(label=_("Received at"), widget=forms.DateTimeInput(DATETIME))
    may_cause_panic = forms.BooleanField(label=_("May cause public panic (press conference within 24 hours)"),
                                         required=False)
    body = forms.CharField(label=_("Initial report"), widget=forms.Textarea(attrs={"rows": 5}),
                           help_text=_("Time, place, source, nature, scope, trend and the measures already taken."))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.user = user
        scope = unit_scope(user)
        units = scope.units_with(Role.DUTY_OFFICER, Role.LEAD_OFFICER, Role.COMMANDER, Role.PRINCIPAL)
        self.fields["unit"].queryset = OrgUnit.objects.with_tree_fields().filter(pk__in=units)
        choices = type_choices()
        self.fields["type_code"].choices = [("", "—")] + choices
        self.fields["secondary_types"].choices = choices
        self.metrics = list(Metric.objects.all())
        if not self.is_bound:
            now = _local_now()
            self.initial.setdefault("occurred_at", now)
            self.initial.setdefault("received_at", now)
            if len(units) >= 1:
                self.initial.setdefault("unit", min(units, key=lambda pk: pk))
        self.metric_values = {m.key: (self.data.get(f"metric_{m.key}", "") if self.is_bound else "")
                              for m in self.metrics}
        self.checked = self.data.getlist("checked") if self.is_bound else []
        self.metric_errors: dict[str, list] = {}

    def clean(self):
        """Check the figures here too, so every mistake shows at once (the service checks again)."""
        cleaned = super().clean()
        try:
            unit = cleaned.get("unit")
            table = engine.current_table_for_unit(unit.pk) if unit else engine.current_table_for_user(self.user)
            engine.clean_metrics(engine.compile_table(table), self.metric_input())
        except ValidationFailed as error:
            for name, messages in error.fields.items():
                self.metric_errors[name.split(".", 1)[-1]] = messages
            self.add_error(None, error.message)
        return cleaned

    def metric_input(self) -> dict[str, str]:
        return {key: value for key, value in self.metric_values.items() if str(value).strip()}


class ReportForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=[(IncidentReport.Kind.FOLLOW_UP, _("Follow-up report")),
                                                       (IncidentReport.Kind.FINAL, _("Final report"))])
    body = forms.CharField(label=_("Report"), widget=forms.Textarea(attrs={"rows": 4}))
    corrects = forms.IntegerField(required=False, widget=forms.HiddenInput)
    correction_reason = forms.CharField(label=_("Why it is corrected"), required=False)


class ReleaseForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=PublicRelease.Kind.choices)
    released_at = forms.DateTimeField(label=_("Released at"), widget=forms.DateTimeInput(DATETIME))
    channel = forms.CharField(label=_("Channel or place"), max_length=200)
    text = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("released_at", _local_now())


class LeadDepartmentForm(ScopedForm):
    """The lead department (牵头部门): one of the incident unit's or its superiors' departments."""
    department = ScopedModelChoiceField(label=_("Lead department"), queryset=Department.objects.none())

    def __init__(self, *args, incident, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["department"].queryset = lead_department_choices(incident=incident, user=user)
        if not self.is_bound and incident.lead_department_id:
            self.initial["department"] = incident.lead_department_id


def lead_department_choices(*, incident, user):
    """Departments the user sees that serve the incident's unit: its own unit's first, then up the tree."""
    path = [pk for pk, _code in unit_path(incident.unit_id)]
    nearest_first = Case(*[When(unit_id=pk, then=-depth) for depth, pk in enumerate(path)])
    return (org_selectors.department_list(user=user).filter(unit_id__in=path)
            .order_by(nearest_first, "name"))


class GradeForm(forms.Form):
    grade = forms.ChoiceField(label=_("Grade"), choices=[("III", _("Grade III (fairly serious)")),
                                                         ("IV", _("Grade IV (ordinary)"))])
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))
