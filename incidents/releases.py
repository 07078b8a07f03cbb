"""Public releases: drafted by who is on duty, published once the authority of the incident's grade
approves them (customs 3.3.5 "按相关规定，经审批对外发布新闻"; city 3.3.5 2) "特別重大、重大和較大突發事件的
信息發佈，由履行統一領導職責的黨委、政府設立的應急指揮機構負責", and 4) "未經…應急指揮機構批准…不得擅自對外發布").

Who approves each grade is data per organisation (ReleaseAuthority); without a rule, the principal or
commander of the incident's unit (city 3.3.5 1) "事發地黨委、政府或應急指揮機構"). The 5-hour release and the
24-hour press conference are met by the approved publication, not by the draft."""
from __future__ import annotations

from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from emergency import live
from emergency.audit import labels
from emergency.audit.services import audit_record, snapshot
from emergency.errors import Conflict, NotFound, NotPermitted, ValidationFailed
from emergency.notify.services import notification_send
from emergency.org.models import OrgUnit, RoleAssignment, User
from emergency.org.roles import Role
from emergency.org.scope import unit_scope
from emergency.org.services import require
from emergency.org.tree import top_id, unit_path

from . import deadlines
from .models import Incident, PublicRelease, ReleaseAuthority, ReleaseDecision, ReportingDeadline

APPROVAL = "incident.release.approval"  # the approvers' inbox: waits until the release is decided
DECIDED = "incident.release.decided"    # the drafter's: the release was published or rejected
DEFAULT_ROLES = [Role.PRINCIPAL, Role.COMMANDER]
HeldAt = ReleaseAuthority.HeldAt
labels.register({"incident.release.draft": _("Public release drafted"),
                 "incident.release.approve": _("Public release approved and published"),
                 "incident.release.reject": _("Public release rejected")})


def authority_for(incident: Incident) -> tuple[list[str], str, str]:
    """(roles, held_at, basis) approving releases of the incident at its grade now."""
    rules = {r.grade: r for r in ReleaseAuthority.objects.filter(organisation_id=top_id(incident.unit_id),
                                                                  grade__in={incident.grade, ""})}
    rule = rules.get(incident.grade) or rules.get("")
    if rule is None:
        return list(DEFAULT_ROLES), HeldAt.INCIDENT_UNIT, ""
    return list(rule.roles), rule.held_at, rule.basis


def _place_id(incident: Incident, held_at: str) -> int:
    return top_id(incident.unit_id) if held_at == HeldAt.TOP else incident.unit_id


def role_names(roles: list[str]) -> str:
    return " / ".join(str(Role(role).label) for role in roles)


def approver_text(incident: Incident) -> str:
    """Who approves this incident's releases, for the page: "指挥长 / 单位主要负责人（贵港市）"."""
    roles, held_at, _basis = authority_for(incident)
    name = OrgUnit.objects.filter(pk=_place_id(incident, held_at)).values_list("name", flat=True).first()
    return f"{role_names(roles)}（{name}）"


def require_approver(actor: User, release: PublicRelease) -> str:
    """The role the actor approves or rejects `release` as; else NotPermitted naming who may."""
    incident = release.incident
    scope = unit_scope(actor)
    if not scope.can_see(incident.unit_id):
        raise NotFound(_("Not found."))
    roles, held_at, _basis = authority_for(incident)
    place = _place_id(incident, held_at)
    role = next((r for r in roles if scope.has_role(r, place)), None)
    if role is None:
        grade = incident.get_grade_display() if incident.grade else _("an ungraded incident")
        raise NotPermitted(_("A release about %(grade)s is approved by the %(who)s.")
                           % {"grade": grade, "who": approver_text(incident)})
    if release.recorded_by_id == actor.pk:
        raise NotPermitted(_("Whoever drafted a release may not also approve it."))
    return str(Role(role).label)


def approver_ids(incident: Incident) -> set[int]:
    roles, held_at, _basis = authority_for(incident)
    place = _place_id(incident, held_at)
    units = [place] if held_at == HeldAt.TOP else [pk for pk, _code in unit_path(place)]
    return set(RoleAssignment.objects.filter(role__in=roles, unit_id__in=units).values_list("user_id", flat=True))


def _summary(incident: Incident, release: PublicRelease) -> dict[str, Any]:
    from .services import incident_summary
    return {**incident_summary(incident), "release": release.kind, "release_id": release.pk, "state": release.state}


@transaction.atomic
def release_draft(*, actor: User, incident: Incident, kind: str, channel: str, text: str) -> PublicRelease:
    """Draft an authoritative public release (5 hours) or a press conference (24 hours); its approvers are told."""
    from .services import _locked
    incident = _locked(incident)
    require(actor, "incidents.record_release", incident)
    if kind not in PublicRelease.Kind.values:
        raise ValidationFailed(_("Some fields are missing or invalid."), fields={"kind": [_("Unknown kind of release.")]})
    release = PublicRelease.objects.create(incident=incident, kind=kind, drafted_at=timezone.now(),
                                           channel=channel.strip(), text=text.strip(), recorded_by=actor)
    audit_record(actor=actor, unit_id=incident.unit_id, action="incident.release.draft", target=release,
                 after=snapshot(release, ("incident", "kind", "drafted_at", "channel")))
    notification_send(recipient_ids=approver_ids(incident) - {actor.pk}, kind=APPROVAL, unit_id=incident.unit_id,
                      source_key=f"{APPROVAL}:{release.pk}",
                      title=str(_("Release to approve: %(title)s") % {"title": incident.title}),
                      body=f"{release.get_kind_display()} · {release.channel}\n{release.text}",
                      link=reverse("incident-detail", kwargs={"pk": incident.pk}))
    live.publish(event="incident.release", unit_id=incident.unit_id, data=_summary(incident, release),
                 about=("incident", incident.pk))
    return release


@transaction.atomic
def release_decide(*, actor: User, release: PublicRelease, approved: bool, reason: str = "") -> ReleaseDecision:
    """Approve (publish) or reject, with the reason, a drafted release: once, by the authority of its grade."""
    release = PublicRelease.objects.select_for_update(of=("self",)).select_related("incident", "incident__unit").get(pk=release.pk)
    if ReleaseDecision.objects.filter(release=release).exists():
        raise Conflict(_("This release has already been decided."))
    decided_as = require_approver(actor, release)
    reason = reason.strip()
    if not approved and not reason:
        raise ValidationFailed(_("Some fields are missing or invalid."),
                               fields={"reason": [_("Give the reason for rejecting the release.")]})
    now = timezone.now()
    decision = ReleaseDecision.objects.create(release=release, approved=approved, reason=reason, decided_by=actor,
                                              decided_as=decided_as, decided_at=now)
    incident = release.incident
    if approved:
        kind = (ReportingDeadline.Kind.PUBLIC_RELEASE if release.kind == PublicRelease.Kind.RELEASE
                else ReportingDeadline.Kind.PRESS_CONFERENCE)
        deadlines.deadline_meet(incident=incident, kind=kind, actor=actor, at=now)
    audit_record(actor=actor, unit_id=incident.unit_id,
                 action="incident.release.approve" if approved else "incident.release.reject", target=release,
                 after={"approved": approved, "reason": reason, "decided_as": decided_as,
                        "decided_at": now.isoformat()})
    release.decision = decision
    title = (_("Release published: %(title)s") if approved else _("Release rejected: %(title)s")) % {
        "title": incident.title}
    notification_send(recipient_ids={release.recorded_by_id} - {actor.pk}, kind=DECIDED, unit_id=incident.unit_id,
                      source_key=f"{DECIDED}:{release.pk}", title=str(title), body=reason,
                      link=reverse("incident-detail", kwargs={"pk": incident.pk}))
    live.publish(event="incident.release", unit_id=incident.unit_id, data=_summary(incident, release),
                 about=("incident", incident.pk))
    return decision

