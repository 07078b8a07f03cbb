from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from emergency.org.fields import ScopedForm, ScopedModelChoiceField, ScopedModelMultipleChoiceField
from emergency.org.models import OrgUnit

from .models import MEASURES, WarningLevel

DATETIME = {"type": "datetime-local", "step": "60"}


class WarningForm(ScopedForm):
    unit = ScopedModelChoiceField(label=_("Issuing unit"), queryset=None)
    type_code = forms.ChoiceField(label=_("Type"))
    level = forms.TypedChoiceField(label=_("Level"), choices=WarningLevel.choices, coerce=int)
    title = forms.CharField(label=_("Title"), max_length=200)
    signs = forms.CharField(label=_("Signs and monitoring information"), widget=forms.Textarea(attrs={"rows": 3}))
    assessment = forms.CharField(label=_("Assessment"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    points = forms.CharField(label=_("Warning points"), widget=forms.Textarea(attrs={"rows": 2}))
    measures_text = forms.CharField(label=_("Measures to take"), widget=forms.Textarea(attrs={"rows": 2}),
                                    required=False)
    starts_at = forms.DateTimeField(label=_("Starts at"), widget=forms.DateTimeInput(DATETIME))
    expected_end = forms.DateTimeField(label=_("Expected end"), widget=forms.DateTimeInput(DATETIME), required=False)
    area_desc = forms.CharField(label=_("Area"), max_length=300)
    area_units = ScopedModelMultipleChoiceField(label=_("Units in the area"), queryset=None, required=False)
    polygon = forms.CharField(label=_("Polygon"), required=False,
                              help_text=_('"lat,lon lat,lon …", the last point equal to the first'))
    circle = forms.CharField(label=_("Circle"), required=False, help_text=_('"lat,lon radius_km"'))
    neighbours = ScopedModelMultipleChoiceField(label=_("Neighbouring units to inform"), queryset=None, required=False)
    linked_organisations = ScopedModelMultipleChoiceField(
        label=_("Linked organisations to inform"), queryset=None, required=False, within="linked",
        help_text=_("Reaches their duty room as a unit (联动单位)."))

    def __init__(self, *args, units, types, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["area_units"].queryset = OrgUnit.objects.order_by("code")
        self.fields["neighbours"].queryset = OrgUnit.objects.order_by("code")
        self.fields["linked_organisations"].queryset = OrgUnit.objects.filter(parent__isnull=True).order_by("code")
        if not self.fields["linked_organisations"].queryset.exists():
            del self.fields["linked_organisations"]  # the organisation informs no other
        self.fields["type_code"].choices = [("", "—")] + types
        if not self.is_bound:
            self.initial.setdefault("starts_at", timezone.localtime().strftime("%Y-%m-%dT%H:%M"))


class MeasureForm(ScopedForm):
    key = forms.ChoiceField(label=_("Measure"), choices=MEASURES)
    department = ScopedModelChoiceField(label=_("Department"), queryset=None)

    def __init__(self, *args, departments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = departments
