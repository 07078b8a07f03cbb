"""Closing what was not an incident (issue 16, item 6): a report found false, or a duplicate of
another incident, is closed with its reason by the unit that logged it. The incident and its
reports stay (never deleted); its reporting clocks stop; the annual review counts it apart."""
from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from emergency import live
from emergency.audit.services import audit_record
from emergency.errors import Conflict, NotPermitted, ValidationFailed
from emergency.org.models import RoleAssignment, User
from emergency.timers.services import duties_cancel

from .models import Incident, IncidentClosure, ReportingDeadline
from .selectors import incident_list

RUNNING = (ReportingDeadline.State.OPEN, ReportingDeadline.State.LATE)


def require_may_close(actor: User, incident: Incident) -> None:
    """Only people of the unit that logged it, and only before any response or proposal; raises the
    reason otherwise (the page and the API offer closing only when this passes)."""
    if not RoleAssignment.objects.filter(user=actor, unit_id=incident.unit_id).exists():
        raise NotPermitted(_("Only the unit that logged the report may close it."))
    if incident.status == Incident.Status.CLOSED:
        raise Conflict(_("The report was closed as no incident."))
    if incident.status != Incident.Status.REPORTED or incident.proposals.exists():
        raise Conflict(_("A response has been proposed or started for it: it cannot be closed as no incident."))


def may_close(*, actor: User, incident: Incident) -> bool:
    try:
        require_may_close(actor, incident)
    except (NotPermitted, Conflict):
        return False
    return True


@transaction.atomic
def incident_close(*, actor: User, incident: Incident, reason: str, explanation: str,
                   duplicate_of: Incident | None = None) -> IncidentClosure:
    incident = Incident.objects.select_for_update(of=("self",)).select_related("incident_type").get(pk=incident.pk)
    require_may_close(actor, incident)
    errors = {}
    if reason not in IncidentClosure.Reason.values:
        errors["reason"] = [_("Choose why it is closed.")]
    if not (explanation or "").strip():
        errors["explanation"] = [_("This field is required.")]
    if reason == IncidentClosure.Reason.DUPLICATE:
        if duplicate_of is None or not incident_list(user=actor).filter(pk=duplicate_of.pk).exists():
            errors["duplicate_of"] = [_("Name the incident it duplicates.")]
        elif duplicate_of.pk == incident.pk or duplicate_of.status == Incident.Status.CLOSED:
            errors["duplicate_of"] = [_("It cannot duplicate itself or a report closed as no incident.")]
    elif duplicate_of is not None:
        errors["duplicate_of"] = [_("Only a duplicate names another incident.")]
    if errors:
        raise ValidationFailed(_("Some fields are missing or invalid."), fields=errors)
    closure = IncidentClosure.objects.create(incident=incident, reason=reason, explanation=explanation.strip(),
                                             duplicate_of=duplicate_of, closed_by=actor, closed_at=timezone.now())
    stopped = {}
    for deadline in ReportingDeadline.objects.select_for_update().filter(incident=incident, state__in=RUNNING):
        duties_cancel(subject=deadline)
        stopped[deadline.kind] = deadline.state
        deadline.state = ReportingDeadline.State.STOPPED
        deadline.save(update_fields=["state"])
    before = incident.status
    incident.status = Incident.Status.CLOSED
    incident.save(update_fields=["status", "updated_at"])
    audit_record(actor=actor, unit_id=incident.unit_id, action="incident.close", target=closure,
                 before={"status": before, "deadlines": stopped},
                 after={"reason": reason, "duplicate_of": duplicate_of.pk if duplicate_of else None,
                        "explanation": closure.explanation})
    from .services import incident_summary

    live.publish(event="incident.updated", unit_id=incident.unit_id, data=incident_summary(incident),
                 about=("incident", incident.pk))
    return closure
