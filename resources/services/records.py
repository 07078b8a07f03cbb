"""Writes of the records around a response: requisitions and their compensation, teams and stock
put on standby by a warning, training and publicity sessions, commendations and sanctions."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from emergency import live
from emergency.audit.services import audit_record, snapshot
from emergency.errors import Conflict, NotPermitted, ValidationFailed
from emergency.org.models import OrgUnit, User
from emergency.org.roles import Role
from emergency.org.scope import unit_scope
from emergency.org.tree import top_id
from incidents.models import Incident

from ..authority import require_keeper, require_requester, require_visible, role_names
from ..models import Compensation, Equipment, Requisition, Sanction, Standby, Stock, Team, TrainingSession

# Who decides commendations and sanctions for a unit (customs 5.6, city 5.6: 依规依纪依法).
DECIDERS = (Role.PRINCIPAL, Role.PARTY_COMMITTEE, Role.SYSTEM_ADMIN)
MONEY_MAX = Decimal("999999999999.99")


def _text(value: str, field: str) -> str:
    if not value.strip():
        raise ValidationFailed(_("Some fields are missing or invalid."), fields={field: [_("This field is required.")]})
    return value.strip()


def _money(value: Decimal, field: str) -> Decimal:
    if not Decimal(0) <= value <= MONEY_MAX:
        raise ValidationFailed(_("Give an amount of zero or more."), fields={field: [_("Zero or more.")]})
    return value


@transaction.atomic
def requisition_record(*, actor: User, incident: Incident, kind: str, description: str, owner: str,
                       owner_kind: str, value: Decimal, requisitioned_at: datetime | None = None,
                       owner_contact: str = "") -> Requisition:
    """Goods or premises requisitioned for the response (征用), with their owner and value."""
    require_requester(actor, incident.unit_id)
    if kind not in Requisition.Kind.values or owner_kind not in Requisition.OwnerKind.values:
        raise ValidationFailed(_("Some fields are missing or invalid."))
    at = requisitioned_at or timezone.now()
    if at > timezone.now():
        raise ValidationFailed(_("The time cannot be in the future."), fields={"requisitioned_at": [
            _("The time cannot be in the future.")]})
    requisition = Requisition.objects.create(
        incident=incident, kind=kind, description=_text(description, "description"), owner=_text(owner, "owner"),
        owner_kind=owner_kind, owner_contact=owner_contact.strip(), value=_money(value, "value"), requisitioned_at=at,
        recorded_by=actor)
    audit_record(actor=actor, unit_id=incident.unit_id, action="resources.requisition.record", target=requisition,
                 after=snapshot(requisition, ("incident", "kind", "description", "owner", "owner_kind", "value")))
    return requisition


@transaction.atomic
def compensation_record(*, actor: User, requisition: Requisition, amount: Decimal, note: str = "") -> Compensation:
    """What is paid for a requisition after the response (补偿). One per requisition."""
    requisition = Requisition.objects.select_for_update(of=("self",)).select_related("incident").get(pk=requisition.pk)
    require_requester(actor, requisition.incident.unit_id)
    if requisition.compensations.exists():
        raise Conflict(_("This requisition has already been compensated."))
    compensation = Compensation.objects.create(requisition=requisition, amount=_money(amount, "amount"),
                                               note=note.strip()[:300], decided_by=actor, decided_at=timezone.now())
    audit_record(actor=actor, unit_id=requisition.incident.unit_id, action="resources.compensation.record",
                 target=compensation, after={"requisition": requisition.pk, "amount": compensation.amount})
    return compensation


@transaction.atomic
def standby_set(*, actor: User, warning, team: Team | None = None, stock: Stock | None = None,
                quantity: int | None = None, equipment: Equipment | None = None) -> Standby:
    """A warning's measures put a team, a piece of equipment, or a quantity of a supply in a store, on
    standby (预置, city 3.2.2 3) "视情预置有关队伍、装备、物资")."""
    warning = type(warning).objects.get(pk=warning.pk)  # its state as committed, not as the caller last saw it
    require_visible(actor, warning.unit_id)
    if warning.state != "issued":
        raise Conflict(_("Only a warning in force puts resources on standby."))
    if sum(x is not None for x in (team, stock, equipment)) != 1:
        raise ValidationFailed(_("Name one team, piece of equipment or supply in a store."),
                               fields={"team": [_("This field is required.")]})
    holder = team.unit_id if team else equipment.unit_id if equipment else stock.store.unit_id
    if top_id(holder) != top_id(warning.unit_id):
        raise ValidationFailed(_("The resource belongs to another organisation."))
    require_keeper(actor, holder)
    if team is not None:
        team = Team.objects.select_for_update().get(pk=team.pk)
        if team.readiness != Team.Readiness.READY:
            raise Conflict(_("The team is %(readiness)s.") % {"readiness": team.get_readiness_display()})
        team.readiness = Team.Readiness.STANDBY
        team.save(update_fields=["readiness"])
        quantity = None
    elif equipment is not None:
        equipment = Equipment.objects.select_for_update().get(pk=equipment.pk)
        if equipment.status != Equipment.Status.AVAILABLE:
            raise Conflict(_("The equipment is %(status)s.") % {"status": equipment.get_status_display()})
        equipment.status = Equipment.Status.STANDBY
        equipment.save(update_fields=["status"])
        quantity = None
    elif not quantity or not 0 < quantity <= stock.quantity:
        raise ValidationFailed(_("Put between 1 and what the store holds on standby."),
                               fields={"quantity": [_("Put between 1 and what the store holds on standby.")]})
    standby = Standby.objects.create(warning=warning, team=team, stock=stock, equipment=equipment, quantity=quantity,
                                     set_by=actor, set_at=timezone.now())
    audit_record(actor=actor, unit_id=warning.unit_id, action="resources.standby.set", target=standby,
                 after={"team": team.pk if team else None, "stock": stock.pk if stock else None,
                        "equipment": equipment.pk if equipment else None, "quantity": quantity})
    _announce(standby, warning, "resources.standby.set")
    return standby


def _locked_standby(actor: User, standby: Standby) -> Standby:
    standby = (Standby.objects.select_for_update(of=("self",))
               .select_related("warning", "team", "equipment", "stock__store", "stock__item").get(pk=standby.pk))
    require_visible(actor, standby.warning.unit_id)
    require_keeper(actor, standby.holder_id)
    return standby


def _announce(standby: Standby, warning, event: str) -> None:
    """The warning's screens show its standby: the frame carries the warning's entry with every
    standby of it as it stands after commit (emergency.dashboard.frames.warning_apply)."""
    what = (standby.team or standby.equipment).name if standby.stock_id is None else (
        f"{standby.stock.item.name} × {standby.quantity}")
    live.publish(event=event, unit_id=warning.unit_id, about=("warning", warning.pk),
                 data={"warning": warning.pk, "standby": standby.pk, "state": standby.state,
                       "title": f"{warning.title} · {what}"})


@transaction.atomic
def standby_in_place(*, actor: User, standby: Standby) -> Standby:
    """The keeper reports the team or supply in position where the warning pre-positioned it (预置到位)."""
    standby = _locked_standby(actor, standby)
    if standby.state != Standby.State.STANDBY:
        raise Conflict(_("Only resources on standby can be reported in position."))
    standby.state = Standby.State.IN_PLACE
    standby.save(update_fields=["state"])
    audit_record(actor=actor, unit_id=standby.warning.unit_id, action="resources.standby.in_place", target=standby,
                 before={"state": "standby"}, after={"state": "in_place"})
    _announce(standby, standby.warning, "resources.standby.in_place")
    return standby


@transaction.atomic
def standby_release(*, actor: User, standby: Standby) -> Standby:
    standby = _locked_standby(actor, standby)
    if standby.state == Standby.State.RELEASED:
        raise Conflict(_("Already released."))
    before = standby.state
    standby.state, standby.released_at = Standby.State.RELEASED, timezone.now()
    standby.save(update_fields=["state", "released_at"])
    _ready_again([standby])
    audit_record(actor=actor, unit_id=standby.warning.unit_id, action="resources.standby.release", target=standby,
                 before={"state": before}, after={"state": "released"})
    _announce(standby, standby.warning, "resources.standby.release")
    return standby


@transaction.atomic
def standby_lift(*, actor: User | None, warning, ended: str = "lift") -> int:
    """The warning ends, lifted or expired: the measures taken end with it (city 3.2.2 4) "終止預警期，
    解除已經採取的有關措施"), so what it put on standby is released and its teams are ready again.
    Called by the ending (alerts.expiry.on_lift) in its transaction: on the lifter's authority, or by
    nobody when it expired (`actor` None); the keepers need not release each one."""
    held = list(Standby.objects.select_for_update().filter(warning=warning)
                .exclude(state=Standby.State.RELEASED).order_by("id"))
    now = timezone.now()
    for standby in held:
        before = standby.state
        standby.state, standby.released_at = Standby.State.RELEASED, now
        standby.save(update_fields=["state", "released_at"])
        audit_record(actor=actor, unit_id=warning.unit_id, action="resources.standby.release", target=standby,
                     before={"state": before}, after={"state": "released", "with": f"warning.{ended}"})
    _ready_again(held)
    return len(held)


def _ready_again(released: list[Standby]) -> None:
    """Released teams and equipment are ready for the next call (unless dispatched meanwhile)."""
    Team.objects.filter(pk__in=[s.team_id for s in released if s.team_id], readiness=Team.Readiness.STANDBY).update(
        readiness=Team.Readiness.READY)
    Equipment.objects.filter(pk__in=[s.equipment_id for s in released if s.equipment_id],
                             status=Equipment.Status.STANDBY).update(status=Equipment.Status.AVAILABLE)


@transaction.atomic
def training_record(*, actor: User, unit: OrgUnit, kind: str, topic: str, held_on: date, audience: str = "",
                    people_reached: int = 0, participants: Iterable[User] = (),
                    teams: Iterable[Team] = ()) -> TrainingSession:
    """A training session or a publicity campaign the unit held, with who took part."""
    require_keeper(actor, unit.pk)
    if kind not in TrainingSession.Kind.values:
        raise ValidationFailed(_("Some fields are missing or invalid."), fields={"kind": [_("This field is required.")]})
    if held_on > timezone.localdate():
        raise ValidationFailed(_("The date cannot be in the future."), fields={"held_on": [
            _("The date cannot be in the future.")]})
    participants, teams = list(participants), list(teams)
    scope = unit_scope(actor)
    if any(not scope.can_see(team.unit_id) for team in teams):
        raise ValidationFailed(_("A team is outside your units."))
    session = TrainingSession.objects.create(unit=unit, kind=kind, topic=_text(topic, "topic"), held_on=held_on,
                                             audience=audience.strip(), people_reached=people_reached,
                                             recorded_by=actor)
    session.participants.set(participants)
    session.teams.set(teams)
    audit_record(actor=actor, unit_id=unit.pk, action="resources.training.record", target=session,
                 after={"kind": kind, "topic": session.topic, "held_on": held_on,
                        "participants": [p.pk for p in participants], "teams": [t.pk for t in teams]})
    return session


@transaction.atomic
def sanction_record(*, actor: User, unit: OrgUnit, year: int, kind: str, subject: str, decision: str,
                    decided_on: date, finding: str = "") -> Sanction:
    """A commendation or a sanction decided for the unit's year, against the finding it answers."""
    require_visible(actor, unit.pk)
    if not (actor.is_superuser or unit.pk in unit_scope(actor).units_with(*DECIDERS)):
        raise NotPermitted(_("Commendations and sanctions are entered by the %(roles)s.")
                           % {"roles": role_names(DECIDERS)})
    if kind not in Sanction.Kind.values:
        raise ValidationFailed(_("Some fields are missing or invalid."), fields={"kind": [_("This field is required.")]})
    if not 2000 <= year <= timezone.localdate().year or decided_on > timezone.localdate():
        raise ValidationFailed(_("The year or the date is out of range."))
    sanction = Sanction.objects.create(unit=unit, year=year, kind=kind, finding=finding.strip()[:60],
                                       subject=_text(subject, "subject"), decision=_text(decision, "decision"),
                                       decided_on=decided_on, recorded_by=actor, recorded_at=timezone.now())
    audit_record(actor=actor, unit_id=unit.pk, action="resources.sanction.record", target=sanction,
                 after=snapshot(sanction, ("unit", "year", "kind", "finding", "subject", "decision", "decided_on")))
    return sanction
