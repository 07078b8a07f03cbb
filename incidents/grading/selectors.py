"""Reads of the grading tables, limited to what the user may see: the shipped tables and those
of the organisations they work in."""
from __future__ import annotations

from django.db.models import Q, QuerySet

from emergency.org.models import OrgUnit, User
from emergency.org.selectors import organisation_ids

from .models import IncidentCategory, ThresholdTable
from .rules import grading_organisations


def tables_visible(*, user: User) -> QuerySet[ThresholdTable]:
    return ThresholdTable.objects.filter(Q(organisation__isnull=True) | Q(organisation_id__in=organisation_ids(user=user)))


def organisations_graded_by(*, user: User) -> QuerySet[OrgUnit]:
    """The top units whose tables the user maintains."""
    return OrgUnit.objects.filter(pk__in=grading_organisations(user))


def type_choices() -> list:
    """The incident types grouped by category, in the user's language."""
    return [(c.display_name, [(t.code, t.display_name) for t in c.types.all()])
            for c in IncidentCategory.objects.prefetch_related("types")]
