"""The duty log (值班记录, issue 16 item 5): free-text entries written as things happen by the duty
officers of the incident's unit and by the command post of its responses. Append-only: a correction
is a new entry naming the one it corrects (PostgreSQL refuses UPDATE and DELETE, `response/0007`)."""
from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from emergency import live
from emergency.audit.labels import register
from emergency.audit.services import audit_record
from emergency.errors import NotFound, NotPermitted, ValidationFailed
from emergency.org.models import OrgUnit, RoleAssignment, User
from emergency.org.roles import Role
from emergency.org.scope import unit_scope
from incidents.models import Incident
from incidents.selectors import incident_list

from . import command
from .dutylog_models import DutyLogEntry
from .models import Response, WorkingGroup

MAX_TEXT = 4000
CLOCK_SKEW = timedelta(minutes=5)  # a moment "now" on a browser's clock a little ahead is still now

register({"incident.log_entry": _("Duty log entry written"),
          "incident.log_entry.correct": _("Duty log entry corrected")})


def _post_member_unit(user: User, response: Response) -> int | None:
    """The unit through which the user serves on the response's command post: its commander, those
    who command it (`command.require_command`), or the people of its working groups' departments."""
    post = getattr(response, "command_post", None)
    if post is not None and post.commander_id == user.pk:
        return response.command_unit_id
    try:
        command.require_command(user, response)
        return response.command_unit_id
    except (NotPermitted, NotFound):
        pass
    if post is None:
        return None
    groups = WorkingGroup.objects.filter(post=post)
    departments = groups.values("lead_department_id").union(groups.values("departments"))
    served = (RoleAssignment.objects.filter(user=user, department_id__in=departments)
              .values_list("department__unit_id", flat=True).first())
    return served


def writer_unit(user: User, incident: Incident) -> int:
    """The unit the user writes for: a duty officer of the incident's unit, or a member of the command
    post of one of its active responses. Raises the reason otherwise."""
    scope = unit_scope(user)
    if not scope.can_see(incident.unit_id):
        raise NotFound(_("Not found."))
    if scope.has_role(Role.DUTY_OFFICER, incident.unit_id):
        return incident.unit_id
    active = (Response.objects.filter(incident=incident, state=Response.State.ACTIVE)
              .select_related("incident", "command_unit", "command_post"))
    for response in active:
        unit_id = _post_member_unit(user, response)
        if unit_id is not None:
            return unit_id
    raise NotPermitted(_("Only the duty officers of %(unit)s and the command post of its response write "
                         "in this incident's duty log.") % {"unit": OrgUnit.objects.get(pk=incident.unit_id).name})


def require_may_write(user: User, incident: Incident) -> None:
    writer_unit(user, incident)


def entry_list(*, user: User) -> QuerySet[DutyLogEntry]:
    """The entries of the incidents the user may see."""
    return DutyLogEntry.objects.filter(incident__in=incident_list(user=user)).select_related(
        "author", "unit", "incident")


def _invalid(**fields) -> ValidationFailed:
    return ValidationFailed(_("Some fields are missing or invalid."), fields={k: [v] for k, v in fields.items()})


@transaction.atomic
def duty_log_write(*, actor: User, incident: Incident, text: str, happened_at: datetime | None = None,
                   response: Response | None = None, corrects: DutyLogEntry | None = None) -> DutyLogEntry:
    """Write one entry in the incident's duty log (or a correction of an earlier one)."""
    incident = Incident.objects.select_for_update(of=("self",)).get(pk=incident.pk)
    unit_id = writer_unit(actor, incident)
    now = timezone.now()
    happened_at = happened_at or now
    text = (text or "").strip()
    if not text:
        raise _invalid(text=_("This field is required."))
    if len(text) > MAX_TEXT:
        raise _invalid(text=_("At most %(n)s characters.") % {"n": MAX_TEXT})
    if happened_at > now + CLOCK_SKEW:
        raise _invalid(happened_at=_("A log entry records what has happened: the time cannot be in the future."))
    if response is not None and response.incident_id != incident.pk:
        raise _invalid(response=_("The response must be one of this incident's."))
    if corrects is not None and corrects.incident_id != incident.pk:
        raise _invalid(corrects=_("A correction corrects an entry of the same incident's log."))
    if corrects is not None and response is None:
        response = corrects.response
    entry = DutyLogEntry.objects.create(incident=incident, response=response, unit_id=unit_id, author=actor,
                                        happened_at=happened_at, recorded_at=now, text=text, corrects=corrects)
    audit_record(actor=actor, unit_id=incident.unit_id, target=entry,
                 action="incident.log_entry.correct" if corrects else "incident.log_entry",
                 after={"incident": incident.pk, "response": response.pk if response else None,
                        "corrects": corrects.pk if corrects else None, "happened_at": happened_at})
    live.publish(event="incident.log_entry", unit_id=incident.unit_id,
                 data={"incident": incident.pk, "entry": entry.pk}, about=("incident", incident.pk))
    return entry


def corrected_ids(entries: QuerySet[DutyLogEntry]) -> dict[int, int]:
    """Which of these entries a later one corrects: {corrected id: the newest correction's id}."""
    rows = DutyLogEntry.objects.filter(Q(corrects__in=entries.values("pk"))).order_by("id")
    return dict(rows.values_list("corrects_id", "id"))
