"""The lifecycle of a person's account: active, or deactivated (kept, with its history and roles,
but unable to sign in); a deactivated account can be reactivated."""
from django.db import models
from django.utils.translation import gettext_lazy as _

from emergency.operations import Lifecycle, Transition


class AccountState(models.TextChoices):
    ACTIVE = "active", _("Enabled")
    DEACTIVATED = "deactivated", _("Deactivated")


_ACTIVE = frozenset({AccountState.ACTIVE})
_DEACTIVATED = frozenset({AccountState.DEACTIVATED})

ACCOUNT = Lifecycle(states=AccountState, transitions={
    "grant": Transition(_ACTIVE, refusal=_("A deactivated account is given no role: reactivate it first.")),
    "reset-password": Transition(_ACTIVE, refusal=_("Reactivate the account before setting its password.")),
    "deactivate": Transition(_ACTIVE, AccountState.DEACTIVATED, refusal=_("The account is already deactivated.")),
    "reactivate": Transition(_DEACTIVATED, AccountState.ACTIVE, refusal=_("The account is active.")),
})
