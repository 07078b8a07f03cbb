from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import MEASURES, WarningLevel

DATETIME = {"type": "datetime-local", "step": "60"}


class WarningForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Issuing unit"), queryset=None)
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
    area_units = forms.ModelMultipleChoiceField(label=_("Units in the area"), queryset=None, required=False)
    polygon = forms.CharField(label=_("Polygon"), required=False,
                              help_text=_('"lat,lon lat,lon …", the last point equal to the first'))
    circle = forms.CharField(label=_("Circle"), required=False, help_text=_('"lat,lon radius_km"'))
    neighbours = forms.ModelMultipleChoiceField(label=_("Neighbouring units to inform"), queryset=None, required=False)

    def __init__(self, *args, units, all_units, types, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["area_units"].queryset = all_units
        self.fields["neighbours"].queryset = all_units
        self.fields["type_code"].choices = [("", "—")] + types
        if not self.is_bound:
            self.initial.setdefault("starts_at", timezone.localtime().strftime("%Y-%m-%dT%H:%M"))


class MeasureForm(forms.Form):
    key = forms.ChoiceField(label=_("Measure"), choices=MEASURES)
    department = forms.ModelChoiceField(label=_("Department"), queryset=None)

    def __init__(self, *args, departments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = departments
