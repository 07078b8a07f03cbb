"""Choices the pages' forms share with other apps' forms (the warning form offers the same types)."""
from __future__ import annotations

from incidents.grading.models import IncidentCategory


def type_choices() -> list:
    """The incident types grouped by category, in the user's language."""
    return [(c.display_name, [(t.code, t.display_name) for t in c.types.all()])
            for c in IncidentCategory.objects.prefetch_related("types")]
