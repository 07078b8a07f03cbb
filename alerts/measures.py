"""The warning measures checklist: a measure of the organisation's own list (alerts.catalogue)
assigned to a department within reach of the issuing unit, and its progress reported by that
department (or the warning's authority)."""
from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from emergency.audit.services import audit_record
from emergency.errors import ValidationFailed
from emergency.notify.services import notification_send
from emergency.org.models import Department, RoleAssignment, User
from emergency.org.tree import reach_ids

from . import lifecycles
from .authority import require_authority
from .catalogue import measures_for
from .models import EarlyWarning, WarningMeasure


def _invalid(**fields) -> ValidationFailed:
    return ValidationFailed(_("Some fields are missing or invalid."), fields={k: [v] for k, v in fields.items()})


def serves(user: User, measure: WarningMeasure) -> bool:
    """Whether `user` works in the department the measure is assigned to."""
    return RoleAssignment.objects.filter(user=user, department_id=measure.department_id).exists()


def require_reporter(user: User, measure: WarningMeasure) -> None:
    """The assigned department reports a measure's progress; else the warning's authority."""
    if not serves(user, measure):
        require_authority(user, measure.warning, measure.warning.level)


@transaction.atomic
def measure_assign(*, actor: User, warning: EarlyWarning, key: str, department: Department) -> WarningMeasure:
    warning = EarlyWarning.objects.select_for_update(of=("self",)).select_related("unit").get(pk=warning.pk)
    lifecycles.WARNING.require("assign-measure", warning)
    require_authority(actor, warning, warning.level)
    if key not in {kind.key for kind in measures_for(warning.unit)}:
        raise _invalid(key=_("This measure is not in your organisation's plan."))
    if department.unit_id not in reach_ids(warning.unit):
        raise _invalid(department=_("The department must be within reach of the issuing unit."))
    measure, _created = WarningMeasure.objects.update_or_create(warning=warning, key=key,
                                                                defaults={"department": department})
    notification_send(recipient_ids=set(RoleAssignment.objects.filter(department=department)
                                         .values_list("user_id", flat=True)),
                      kind="warning.measure", unit_id=warning.unit_id, link=f"/warnings/{warning.pk}/",
                      title=f"预警措施：{measure.wording}", source_key=f"warning.measure:{measure.pk}:{department.pk}")
    audit_record(actor=actor, unit_id=warning.unit_id, action="warning.measure.assign", target=measure,
                 after={"key": key, "department": department.pk})
    return measure


@transaction.atomic
def measure_update(*, actor: User, measure: WarningMeasure, status: str, note: str = "") -> WarningMeasure:
    measure = (WarningMeasure.objects.select_for_update(of=("self", "warning")).select_related("warning__unit")
               .get(pk=measure.pk))
    lifecycles.WARNING.require("assign-measure", measure.warning)
    require_reporter(actor, measure)
    before = measure.status
    measure.status, measure.note = status, note.strip() or measure.note
    measure.save()
    audit_record(actor=actor, unit_id=measure.warning.unit_id, action="warning.measure.update", target=measure,
                 before={"status": before}, after={"status": status})
    return measure
