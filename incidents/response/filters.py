"""The list of responses, filtered (the page and the API share the filter)."""
from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from emergency.org.models import OrgUnit

from .models import Level, Response


class ResponseFilter(django_filters.FilterSet):
    state = django_filters.ChoiceFilter(label=_("State"), choices=Response.State.choices, empty_label=_("Any"))
    level = django_filters.ChoiceFilter(label=_("Level"), choices=Level.choices, empty_label=_("Any"))
    command_unit = django_filters.ModelChoiceFilter(label=_("Commanding unit"), queryset=OrgUnit.objects.all(),
                                                    empty_label=_("Any"))
    incident = django_filters.NumberFilter(label=_("Incident"), field_name="incident_id")  # the API's filter

    class Meta:
        model = Response
        fields = ["state", "level", "command_unit", "incident"]
