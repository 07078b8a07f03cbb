"""The delegation operations, page and API: grant a level's deciding authority, withdraw a grant."""
from django.utils.translation import gettext_lazy as _

from emergency.operations import Operation, register

from . import delegation as D
from .delegation_models import DelegationGrant

GRANT = Operation(
    name="delegation.grant", label=_("Delegate"), input=D.DelegationGrantInput, output=D.DelegationGrantSerializer,
    guard=D.may_grant, created=True, danger=True, success=_("Deciding authority delegated."),
    run=lambda *, actor, target, unit, level, grantee, ends_at, reason: D.delegation_grant(
        actor=actor, unit=unit, level=int(level), grantee=grantee, ends_at=ends_at, reason=reason),
    extra={"model": DelegationGrant},
)
WITHDRAW = Operation(
    name="delegation.withdraw", model=DelegationGrant, label=_("Withdraw the delegation"),
    input=D.DelegationWithdrawInput, output=D.DelegationGrantSerializer, guard=D.may_withdraw, danger=True,
    success=_("Delegation withdrawn."),
    run=lambda *, actor, target, reason="": D.delegation_withdraw(actor=actor, grant=target, reason=reason),
)

register(GRANT, WITHDRAW)
