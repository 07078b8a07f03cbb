"""Delegated deciding authority (city 1.4.2 "或其授权的领导同志"): grant and withdraw, each audited.
Whether a grant counts when a proposal is decided is asked in one place: `authority.delegated`."""
from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from emergency import live
from emergency.api.fields import ScopedPrimaryKeyField
from emergency.audit.services import audit_record
from emergency.errors import Conflict, NotPermitted, ValidationFailed
from emergency.api.serializers import OutputSerializer
from emergency.org.models import OrgUnit, User
from emergency.org.scope import unit_scope

from . import authority
from .delegation_models import DelegationGrant
from .models import AuthorityRule, Level


def _invalid(**fields) -> ValidationFailed:
    return ValidationFailed(_("Some fields are missing or invalid."), fields={k: [v] for k, v in fields.items()})


def _deciding_rules(user: User, unit: OrgUnit) -> list[AuthorityRule]:
    """The levels whose deciding role `user` holds in `unit` (never by a grant: a grantee grants nothing)."""
    rules = AuthorityRule.objects.filter(organisation_id=authority.organisation_id(unit.pk),
                                         scope=AuthorityRule.Scope.COMMAND_UNIT)
    return [rule for rule in rules if authority.held(user, rule.decider_roles, scope=rule.scope, incident=None,
                                                      command_unit=unit)]


def grant_units(*, user: User) -> QuerySet[OrgUnit]:
    """The units in which the user holds a deciding role for some level (where they may grant)."""
    return OrgUnit.objects.filter(pk__in=[pk for pk in unit_scope(user).visible
                                          if _deciding_rules(user, OrgUnit(pk=pk))])


def grant_list(*, user: User) -> QuerySet[DelegationGrant]:
    return DelegationGrant.objects.filter(unit_id__in=unit_scope(user).visible).select_related(
        "unit", "grantor", "grantee", "withdrawn_by")


def may_grant(user: User, _target=None) -> None:
    if not any(_deciding_rules(user, OrgUnit(pk=pk)) for pk in unit_scope(user).visible):
        raise NotPermitted(_("Only who holds the deciding role for a level in a commanding unit may delegate it."))


def may_withdraw(user: User, grant: DelegationGrant) -> None:
    """The grantor, or anyone holding the deciding role of that level in that unit."""
    if grant.withdrawn_at is not None:
        raise Conflict(_("This delegation has already been withdrawn."))
    if grant.grantor_id != user.pk and not any(r.level == grant.level for r in _deciding_rules(user, grant.unit)):
        raise NotPermitted(_("Only the grantor or a decider of that level in %(unit)s may withdraw it.")
                           % {"unit": grant.unit.name})


@transaction.atomic
def delegation_grant(*, actor: User, unit: OrgUnit, level: int, grantee: str, ends_at: datetime,
                     reason: str) -> DelegationGrant:
    """`grantee` is the user name of a person of `unit` (nobody else's existence is revealed)."""
    rule = next((r for r in _deciding_rules(actor, unit) if r.level == int(level)), None)
    if rule is None:
        raise NotPermitted(_("A %(level)s response is decided in %(unit)s by others: you cannot delegate it.")
                           % {"level": authority.level_name(int(level)), "unit": unit.name})
    if not reason.strip():
        raise _invalid(reason=_("Give the reason for the delegation."))
    now = timezone.now()
    if ends_at <= now:
        raise _invalid(ends_at=_("The delegation must end in the future."))
    person = User.objects.filter(username=grantee.strip(), is_active=True, role_assignments__unit=unit).first()
    if person is None:
        raise _invalid(grantee=_("The grantee must be a person of %(unit)s.") % {"unit": unit.name})
    if person.pk == actor.pk:
        raise _invalid(grantee=_("Delegate to another person."))
    grantee = person
    role = authority.held(actor, rule.decider_roles, scope=rule.scope, incident=None, command_unit=unit).role
    grant = DelegationGrant.objects.create(unit=unit, level=rule.level, grantor=actor, grantor_role=role,
                                           grantee=grantee, reason=reason.strip(), granted_at=now, ends_at=ends_at)
    audit_record(actor=actor, unit_id=unit.pk, action="response.delegation.grant", target=grant,
                 after={"unit": unit.pk, "level": grant.level, "grantee": grantee.pk, "as": role,
                        "ends_at": ends_at.isoformat(), "reason": grant.reason})
    # the feed lists it; no dashboard entry changes (a grant changes who decides, not what is shown)
    live.publish(event="response.delegation", unit_id=unit.pk, data={"delegation": grant.pk, "state": "granted"},
                 about=None)
    return grant


@transaction.atomic
def delegation_withdraw(*, actor: User, grant: DelegationGrant, reason: str = "") -> DelegationGrant:
    grant = DelegationGrant.objects.select_for_update(of=("self",)).select_related("unit").get(pk=grant.pk)
    may_withdraw(actor, grant)
    grant.withdrawn_at, grant.withdrawn_by = timezone.now(), actor
    grant.save(update_fields=["withdrawn_at", "withdrawn_by"])
    audit_record(actor=actor, unit_id=grant.unit_id, action="response.delegation.withdraw", target=grant,
                 before={"in_force": True}, after={"withdrawn_at": grant.withdrawn_at.isoformat(),
                                                   "reason": reason.strip()})
    live.publish(event="response.delegation", unit_id=grant.unit_id, about=None, data={"delegation": grant.pk,
                                                                           "state": "withdrawn"})
    return grant


class DelegationGrantInput(serializers.Serializer):
    unit = ScopedPrimaryKeyField(grant_units, label=_("Commanding unit"))
    level = serializers.ChoiceField(label=_("Level"), choices=Level.choices)
    grantee = serializers.CharField(label=_("Granted to (user name)"), max_length=150)
    ends_at = serializers.DateTimeField(label=_("Valid until"))
    reason = serializers.CharField(label=_("Reason"), max_length=4000, style={"base_template": "textarea.html"})


class DelegationWithdrawInput(serializers.Serializer):
    reason = serializers.CharField(label=_("Reason"), max_length=4000, required=False, allow_blank=True, default="")


class DelegationGrantSerializer(OutputSerializer):
    class Meta:
        model = DelegationGrant
        fields = ["id", "unit", "level", "grantor", "grantor_role", "grantee", "reason", "granted_at", "ends_at",
                  "withdrawn_at", "withdrawn_by"]
