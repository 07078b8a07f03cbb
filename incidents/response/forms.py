from django import forms
from django.utils.translation import gettext_lazy as _

from emergency.org.fields import ScopedForm, ScopedModelChoiceField, ScopedModelMultipleChoiceField

from .models import Level
from .suggest import CONTEXT_FLAGS

CONTEXT_LABELS = {
    "cross_county": _("Across counties"), "cross_city": _("Across cities"), "fairly_serious": _("Fairly serious"),
    "sensitive": _("Sensitive"),
    "key_area": _("In a key area"), "extreme": _("Extreme low-probability, high-risk event"),
}


class ProposalForm(forms.Form):
    level = forms.TypedChoiceField(label=_("Proposed level"), choices=Level.choices, coerce=int)
    reasons = forms.CharField(label=_("Reasons"), widget=forms.Textarea(attrs={"rows": 3}))
    attachment_name = forms.CharField(label=_("Attachment"), required=False, max_length=200)
    attachment_url = forms.URLField(label=_("Attachment link"), required=False, max_length=500)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for flag in CONTEXT_FLAGS:
            self.fields[flag] = forms.BooleanField(label=CONTEXT_LABELS[flag], required=False)

    def context_flags(self) -> dict[str, bool]:
        return {flag: self.cleaned_data.get(flag, False) for flag in CONTEXT_FLAGS}

    def attachments(self) -> list[dict[str, str]]:
        name = self.cleaned_data.get("attachment_name", "").strip()
        return [{"name": name, "url": self.cleaned_data.get("attachment_url", "")}] if name else []


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(choices=[("approved", _("Approve")), ("approved_other", _("Approve another level")),
                                         ("rejected", _("Reject"))])
    level = forms.TypedChoiceField(label=_("Level"), choices=[("", "—")] + list(Level.choices), coerce=int,
                                   required=False, empty_value=None)
    reason = forms.CharField(label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    confirm = forms.BooleanField(label=_("I confirm this decision"))


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))
    confirm = forms.BooleanField(label=_("I confirm"))


class DirectStartForm(ReasonForm):
    level = forms.TypedChoiceField(label=_("Level"), choices=Level.choices, coerce=int)


class PostForm(forms.Form):
    name = forms.CharField(label=_("Command post name"), max_length=200)
    location = forms.CharField(label=_("Location"), max_length=300)


class GroupForm(ScopedForm):
    kind = forms.ChoiceField(label=_("Working group"))
    lead_department = ScopedModelChoiceField(label=_("Lead department"), queryset=None)
    departments = ScopedModelMultipleChoiceField(label=_("Member departments"), queryset=None, required=False)

    def __init__(self, *args, departments=None, **kwargs):
        from .models import WorkingGroup

        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = WorkingGroup.Kind.choices
        self.fields["lead_department"].queryset = departments
        self.fields["departments"].queryset = departments


class OrderForm(ScopedForm):
    text = forms.CharField(label=_("Order"), widget=forms.Textarea(attrs={"rows": 2}))
    department = ScopedModelChoiceField(label=_("Department"), queryset=None, required=False)
    group = ScopedModelChoiceField(label=_("Working group"), queryset=None, required=False)
    acknowledge_within_minutes = forms.IntegerField(label=_("Acknowledge within (minutes)"), min_value=1,
                                                    max_value=1440, initial=10)

    def __init__(self, *args, departments=None, groups=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = departments
        self.fields["group"].queryset = groups


class KeyPeriodForm(ScopedForm):
    organisation = ScopedModelChoiceField(label=_("Organisation"), queryset=None)
    name = forms.CharField(label=_("Name"), max_length=200)
    starts_at = forms.DateTimeField(label=_("Starts at"), widget=forms.DateTimeInput({"type": "datetime-local"}))
    ends_at = forms.DateTimeField(label=_("Ends at"), widget=forms.DateTimeInput({"type": "datetime-local"}))

    def __init__(self, *args, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
