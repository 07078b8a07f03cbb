"""Which warnings are in force: issued (or escalated into a response, which updates the warning and
does not lift it), and not yet expired. The public outputs (Atom feed, public page) and the dashboard
read warnings through here."""
from __future__ import annotations

from datetime import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone

from .models import AlertingProfile, EarlyWarning

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
    from emergency.org.scope import unit_scope

    return (EarlyWarning.objects.filter(unit_id__in=unit_scope(user).visible)
            .select_related("unit", "incident_type").order_by("-pk"))
