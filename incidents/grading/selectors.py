"""Reads of the grading tables, limited to what the user may see: the shipped tables and those
of the organisations they work in."""
from __future__ import annotations

import time

from django.db.models import Q, QuerySet
from django.utils import translation

from emergency.org.models import OrgUnit, User
from emergency.org.selectors import organisation_ids

from .models import IncidentCategory, ThresholdTable
from .rules import grading_organisations


def tables_visible(*, user: User) -> QuerySet[ThresholdTable]:
    return ThresholdTable.objects.filter(Q(organisation__isnull=True) | Q(organisation_id__in=organisation_ids(user=user)))


def organisations_graded_by(*, user: User) -> QuerySet[OrgUnit]:
    """The top units whose tables the user maintains."""
    return OrgUnit.objects.filter(pk__in=grading_organisations(user))


_type_choices: dict[str, tuple[float, list]] = {}
TYPE_CHOICES_TTL_SECONDS = 60.0


def type_choices() -> list:
    """The incident types grouped by category, in the user's language. The taxonomy is the
    platform's shipped data (loaded by migrations, `incidents.grading.loader`): each process keeps
    its choices for a minute, so an incident's input does not read it on every write."""
    language = translation.get_language() or ""
    kept = _type_choices.get(language)
    if kept is not None and time.monotonic() - kept[0] < TYPE_CHOICES_TTL_SECONDS:
        return kept[1]
    choices = [(c.display_name, [(t.code, t.display_name) for t in c.types.all()])
               for c in IncidentCategory.objects.prefetch_related("types")]
    _type_choices[language] = (time.monotonic(), choices)
    return choices


def forget_type_choices() -> None:
    """After the taxonomy is loaded in this process (and between tests)."""
    _type_choices.clear()
