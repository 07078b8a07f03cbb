from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Department


class DepartmentForm(forms.ModelForm):
    class Meta:
        model = Department
        fields = ["name", "name_en", "duties", "duties_en"]
        widgets = {
            "duties": forms.Textarea(attrs={"rows": 10}),
            "duties_en": forms.Textarea(attrs={"rows": 5}),
        }
        help_texts = {"duties": _("Word the duties as the plan words them.")}
