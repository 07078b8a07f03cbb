from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Level
from .suggest import CONTEXT_FLAGS

CONTEXT_LABELS = {
    "cross_county": _("Across counties"), "fairly_serious": _("Fairly serious"), "sensitive": _("Sensitive"),
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
