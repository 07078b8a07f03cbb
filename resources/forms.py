"""Forms of the resources pages; every model choice is scoped to the user (ScopedForm)."""
from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from emergency.org.fields import ScopedForm, ScopedModelChoiceField
from emergency.org.models import OrgUnit

from .models import DeliveryPoint, Equipment, ResourceRequest, Store, SupplyItem, Team


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
