"""What the notification inbox knows of incidents: a reporting-deadline reminder or lateness
notice waits to be acted on until the report it asks for is made (the deadline is met), and the
names of the incidents' notification kinds."""
from django.utils.translation import gettext_lazy as _

from emergency.notify import hooks

from .deadlines import DUE, REMIND
from .models import PublicRelease, ReportingDeadline
from .releases import APPROVAL, DECIDED

NOT_MET = (ReportingDeadline.State.OPEN, ReportingDeadline.State.LATE)


def _deadline_keys(kind: str):
    return hooks.timed_duty_keys(kind=kind, subject_type=ReportingDeadline._meta.label_lower,
                                 subject_ids=ReportingDeadline.objects.filter(state__in=NOT_MET).values("pk"))


hooks.pending(REMIND)(lambda: _deadline_keys(REMIND))
hooks.pending(DUE)(lambda: _deadline_keys(DUE))
hooks.kind_label("incident", _("Incident"))
hooks.kind_label(REMIND, _("Reporting deadline reminder"))
hooks.kind_label(DUE, _("Report late"))

# A drafted release waits in its approvers' inbox until it is approved or rejected.
hooks.pending(APPROVAL)(lambda: hooks.keys_of(f"{APPROVAL}:", PublicRelease.objects.filter(decision__isnull=True)))
hooks.kind_label(APPROVAL, _("Release to approve"))
hooks.kind_label(DECIDED, _("Release decided"))
