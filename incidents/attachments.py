"""Reports take attachments (photos of the scene, scans): those who report on the incident's unit."""
from django.utils.translation import gettext_lazy as _

from emergency.attachments.owners import attachment_owner
from emergency.attachments.rules import held_in_unit
from emergency.org.roles import Role

from . import selectors
from .models import IncidentReport


def _unit(report) -> int:
    return report.incident.unit_id


attachment_owner(
    "incident_report", model=IncidentReport, unit=_unit, label=_("report"),
    visible=lambda *, user: IncidentReport.objects.filter(incident__in=selectors.incident_list(user=user))
    .select_related("incident"),
    may_attach=held_in_unit(Role.DUTY_OFFICER, Role.LEAD_OFFICER, Role.COMMANDER, Role.PRINCIPAL, unit=_unit),
)
