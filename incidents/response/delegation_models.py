"""A recorded grant of deciding authority (city 1.4.2 "或其授权的领导同志"): one who holds the deciding role
for a level in a commanding unit grants a named user of that unit the authority to decide proposals of that
level, for a period, with the reason. Withdrawn or expired, it no longer counts."""
from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import LEVEL_VALIDATORS, Level


class DelegationGrant(models.Model):
    scope_lookup = "unit"

    unit = models.ForeignKey("org.OrgUnit", on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("commanding unit"))
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices, validators=LEVEL_VALIDATORS)
    grantor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("granted by"))
    grantor_role = models.CharField(_("granted as"), max_length=32)
    grantee = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("granted to"))
    reason = models.TextField(_("reason"))
    granted_at = models.DateTimeField(_("granted at"))
    ends_at = models.DateTimeField(_("valid until"))
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+", verbose_name=_("withdrawn by"))

    class Meta:
        ordering = ["-granted_at", "-id"]
        verbose_name = _("delegation of deciding authority")
        verbose_name_plural = _("delegations of deciding authority")
        indexes = [models.Index(fields=["grantee", "unit", "level"])]

    @property
    def scope_unit_id(self) -> int:
        return self.unit_id

    @property
    def in_force(self) -> bool:
        return self.withdrawn_at is None and self.granted_at <= timezone.now() < self.ends_at

    def __str__(self) -> str:
        return f"{self.grantor} → {self.grantee} ({self.unit}, {self.get_level_display()})"
