"""Browser forms for plans. Sections are typed as text: a line starting with "## " opens a section."""
from django import forms
from django.utils.translation import gettext_lazy as _

from emergency.org.fields import ScopedForm, ScopedModelChoiceField

from .models import Drill, Evaluation, PlanType, RevisionRequest


def parse_sections(text: str) -> list[dict[str, str]]:
    sections: list[dict[str, str]] = []
    for line in text.splitlines():
        if line.startswith("## "):
            sections.append({"title": line[3:].strip(), "body": ""})
        elif sections:
            sections[-1]["body"] += line + "\n"
        elif line.strip():
            sections.append({"title": str(_("General")), "body": line + "\n"})
    return [{"title": s["title"], "body": s["body"].strip()} for s in sections]


def sections_text(sections: list[dict]) -> str:
    return "\n\n".join(f"## {s['title']}\n{s['body']}" for s in sections)


SECTIONS_HELP = _('Start each section with a line "## title", e.g. "## 1 总则".')


class PlanForm(ScopedForm):
    unit = ScopedModelChoiceField(label=_("Unit"), queryset=None)
    plan_type = forms.ChoiceField(label=_("Type"), choices=PlanType.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    parent = ScopedModelChoiceField(label=_("Under the plan"), queryset=None, required=False)
    lead_department = ScopedModelChoiceField(label=_("Lead drafting department"), queryset=None, required=False)
    sections = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 10}), required=False,
                               help_text=SECTIONS_HELP)

    def __init__(self, *args, units, plans, departments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["parent"].queryset = plans
        self.fields["lead_department"].queryset = departments


class VersionForm(forms.Form):
    sections = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 14}), help_text=SECTIONS_HELP)
    change_summary = forms.CharField(label=_("What changed"), required=False)
    touches_key_content = forms.BooleanField(
        label=_("Touches command and duties, response procedures, main measures or grading criteria"), required=False)


class DrillForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Drill.Kind.choices)
    held_on = forms.DateField(label=_("Held on"), widget=forms.DateInput(attrs={"type": "date"}))
    findings = forms.CharField(label=_("Findings"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    revision_needed = forms.BooleanField(label=_("The findings call for a revision"), required=False)


class EvaluationForm(forms.Form):
    held_on = forms.DateField(label=_("Held on"), widget=forms.DateInput(attrs={"type": "date"}))
    conclusion = forms.ChoiceField(label=_("Conclusion"), choices=Evaluation.Conclusion.choices)
    findings = forms.CharField(label=_("Findings"), widget=forms.Textarea(attrs={"rows": 2}))


class RevisionRequestForm(forms.Form):
    trigger = forms.ChoiceField(label=_("Trigger"), choices=RevisionRequest.Trigger.choices)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 2}))
