"""Which warnings are in force: issued (or escalated into a response, which updates the warning and
does not lift it), and not yet expired. The public outputs (Atom feed, public page) and the dashboard
read warnings through here."""
from __future__ import annotations

from datetime import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone

from emergency.org.models import OrgUnit
from emergency.org.scope import linked_organisations, scoped, unit_scope

from .authority import DRAFT_ROLES
from .models import AlertingProfile, EarlyWarning, WarningMeasure

IN_FORCE_STATES = (EarlyWarning.State.ISSUED, EarlyWarning.State.ESCALATED)


def in_force_q(now: datetime | None = None) -> Q:
    now = now or timezone.now()
    return Q(state__in=IN_FORCE_STATES) & (Q(expires_at__isnull=True) | Q(expires_at__gt=now))


def warnings_in_force(*, unit_ids, now: datetime | None = None) -> QuerySet[EarlyWarning]:
    return EarlyWarning.objects.filter(in_force_q(now), unit_id__in=unit_ids)


def alerting_profile(organisation_id: int) -> AlertingProfile | None:
    return AlertingProfile.objects.filter(organisation_id=organisation_id).first()


def warning_list(*, user) -> QuerySet[EarlyWarning]:
    """The warnings of the user's units, newest first."""
    return (EarlyWarning.objects.filter(unit_id__in=unit_scope(user).visible)
            .select_related("unit", "incident_type").order_by("-pk"))


def warning_measure_list(*, user) -> QuerySet[WarningMeasure]:
    return (WarningMeasure.objects.filter(warning__unit_id__in=unit_scope(user).visible)
            .select_related("warning", "warning__unit", "department"))


def draft_units(*, user) -> QuerySet[OrgUnit]:
    """The units in which the user may draft a warning."""
    return OrgUnit.objects.filter(pk__in=unit_scope(user).units_with(*DRAFT_ROLES)).order_by("code")


def organisation_units(*, user) -> QuerySet[OrgUnit]:
    """Units of the user's own organisations: a warning's area, its neighbours, whom it reports to."""
    return scoped(OrgUnit.objects.order_by("code"), user)


def linked_organisation_choices(*, user) -> list[tuple[int, str]]:
    """The organisations linked to the user's (联动单位): a warning informs their duty room."""
    return [(u.pk, u.display_name) for u in OrgUnit.objects.filter(pk__in=linked_organisations(user)).order_by("code")]
