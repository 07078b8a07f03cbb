"""Forms of the resources pages; every model choice is scoped to the user (ScopedForm)."""
from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from emergency.org.fields import ScopedForm, ScopedModelChoiceField, ScopedModelMultipleChoiceField
from emergency.org.models import OrgUnit, User

from .models import (DeliveryPoint, Equipment, Requisition, ResourceRequest, Sanction, Stock, Store, SupplyItem, Team,
                     TrainingSession)


class RequestForm(ScopedForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=ResourceRequest.Kind.choices)
    team = ScopedModelChoiceField(Team.objects.select_related("unit"), label=_("Rescue team"), required=False)
    equipment = ScopedModelChoiceField(Equipment.objects.select_related("unit"), label=_("Equipment"),
                                       required=False)
    item = ScopedModelChoiceField(SupplyItem.objects.all(), label=_("Supply"), required=False)
    holding_unit = ScopedModelChoiceField(OrgUnit.objects.all(), label=_("Request supplies from"), required=False)
    quantity = forms.IntegerField(label=_("Quantity"), min_value=1, max_value=10**8, initial=1)
    destination = ScopedModelChoiceField(DeliveryPoint.objects.all(), label=_("Deliver to"), required=False)
    reason = forms.CharField(label=_("What it is needed for"), widget=forms.Textarea(attrs={"rows": 2}),
                             max_length=2000)

    def __init__(self, *args, points=None, **kwargs):
        super().__init__(*args, **kwargs)
        if points is not None:
            self.fields["destination"].queryset = points


class DecideForm(forms.Form):
    approve = forms.TypedChoiceField(label=_("Decision"), coerce=lambda v: v == "1",
                                     choices=[("1", _("Approve")), ("0", _("Refuse"))])
    note = forms.CharField(label=_("Note"), required=False, max_length=2000)


class AdvanceForm(ScopedForm):
    state = forms.ChoiceField(label=_("Next step"), choices=ResourceRequest.State.choices)
    store = ScopedModelChoiceField(Store.objects.select_related("unit"), label=_("Dispatch from store"),
                                   required=False)
    quantity = forms.IntegerField(label=_("Quantity"), min_value=0, max_value=10**8, required=False)
    note = forms.CharField(label=_("Note"), required=False, max_length=2000)

    def __init__(self, *args, stores=None, states=None, **kwargs):
        super().__init__(*args, **kwargs)
        if stores is not None:
            self.fields["store"].queryset = stores
        if states is not None:
            self.fields["state"].choices = [c for c in ResourceRequest.State.choices if c[0] in states]


class ReceiptForm(ScopedForm):
    item = ScopedModelChoiceField(SupplyItem.objects.all(), label=_("Supply"))
    quantity = forms.IntegerField(label=_("Quantity"), min_value=1, max_value=10**8)
    batch = forms.CharField(label=_("Batch"), max_length=60)
    expires_on = forms.DateField(label=_("Expires on"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label=_("Note"), required=False, max_length=300)


class ReadinessForm(forms.Form):
    readiness = forms.ChoiceField(label=_("Readiness"), choices=[
        c for c in Team.Readiness.choices if c[0] != Team.Readiness.DEPLOYED])


class PointForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=DeliveryPoint.Kind.choices)
    name = forms.CharField(label=_("Point name"), max_length=200)
    latitude = forms.FloatField(label=_("Latitude"), min_value=-90, max_value=90)
    longitude = forms.FloatField(label=_("Longitude"), min_value=-180, max_value=180)


class RequisitionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Requisition.Kind.choices)
    description = forms.CharField(label=_("what was requisitioned"), max_length=300)
    owner = forms.CharField(label=_("owner"), max_length=200)
    owner_kind = forms.ChoiceField(label=_("owner is"), choices=Requisition.OwnerKind.choices)
    owner_contact = forms.CharField(label=_("owner's contact"), max_length=100, required=False)
    value = forms.DecimalField(label=_("assessed value (yuan)"), min_value=0, max_digits=14, decimal_places=2)


class CompensationForm(forms.Form):
    amount = forms.DecimalField(label=_("amount (yuan)"), min_value=0, max_digits=14, decimal_places=2)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class TrainingForm(ScopedForm):
    unit = ScopedModelChoiceField(OrgUnit.objects.all(), label=_("Unit"))
    kind = forms.ChoiceField(label=_("Kind"), choices=TrainingSession.Kind.choices)
    topic = forms.CharField(label=_("topic"), max_length=300)
    held_on = forms.DateField(label=_("Held on"), widget=forms.DateInput(attrs={"type": "date"}))
    audience = forms.CharField(label=_("audience"), max_length=300, required=False)
    people_reached = forms.IntegerField(label=_("people reached"), min_value=0, max_value=10**8, initial=0)
    participants = ScopedModelMultipleChoiceField(User.objects.all(), label=_("participants"), required=False)
    teams = ScopedModelMultipleChoiceField(Team.objects.all(), label=_("teams trained"), required=False)

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        if units is not None:
            unit_ids = list(units.values_list("pk", flat=True))  # ids: a unit queryset with tree fields is no subquery
            self.fields["unit"].queryset = units
            self.fields["participants"].queryset = User.objects.filter(role_assignments__unit__in=unit_ids).distinct()
            self.fields["teams"].queryset = Team.objects.filter(unit__in=unit_ids)


class SanctionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Sanction.Kind.choices)
    finding = forms.ChoiceField(label=_("finding"), required=False)
    subject = forms.CharField(label=_("who"), max_length=200)
    decision = forms.CharField(label=_("Decision"), widget=forms.Textarea(attrs={"rows": 2}), max_length=4000)
    decided_on = forms.DateField(label=_("decided on"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, findings=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["finding"].choices = [("", _("None (a commendation of its own)"))] + [
            (f.key, f"{f.kind} · {f.what}") for f in findings]


class StandbyForm(ScopedForm):
    team = ScopedModelChoiceField(Team.objects.select_related("unit"), label=_("Rescue team"), required=False)
    stock = ScopedModelChoiceField(Stock.objects.select_related("store", "item"), label=_("Supply in a store"),
                                   required=False)
    equipment = ScopedModelChoiceField(Equipment.objects.select_related("unit"), label=_("Equipment"), required=False)
    quantity = forms.IntegerField(label=_("Quantity"), min_value=1, max_value=10**8, required=False)
