"""The append-only audit trail. Each row carries the hash of the row before it."""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEntry(models.Model):
    at = models.DateTimeField(_("at"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("actor"),
    )
    unit = models.ForeignKey(
        "org.OrgUnit", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("unit"),
    )
    action = models.CharField(_("action"), max_length=80)
    object_type = models.CharField(_("object type"), max_length=80)
    object_id = models.CharField(_("object id"), max_length=64)
    object_repr = models.CharField(_("object"), max_length=300)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        indexes = [
            models.Index(fields=["unit", "-id"]),
            models.Index(fields=["object_type", "object_id"]),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.action} {self.object_repr}"

    @property
    def scope_unit_id(self) -> int | None:
        return self.unit_id


class AuditCheck(models.Model):
    """The result of one verification of the whole chain (periodic task or command)."""

    at = models.DateTimeField(_("at"), auto_now_add=True)
    entries_checked = models.PositiveBigIntegerField(_("entries checked"))
    ok = models.BooleanField(_("chain intact"))
    first_broken_id = models.BigIntegerField(_("first broken entry"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=300, blank=True)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("audit chain check")
        verbose_name_plural = _("audit chain checks")


class AuditHead(models.Model):
    """The chain's head: how many entries it holds and the newest one's id and hash.

    One row, advanced by a trigger on every appended entry (a SECURITY DEFINER function owned by
    the migrations' role): the application's role may read it and nothing else, so entries deleted
    from the end of the chain leave a head that no longer matches (`audit_chain_report`).
    """

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    entries = models.PositiveBigIntegerField(_("entries"))
    last_entry_id = models.BigIntegerField(_("newest entry"))
    last_hash = models.CharField(_("newest hash"), max_length=64)
    updated_at = models.DateTimeField(_("updated at"))

    class Meta:
        verbose_name = _("audit chain head")
        verbose_name_plural = _("audit chain heads")
        constraints = [models.CheckConstraint(condition=models.Q(id=1), name="audit_head_single_row")]

    def __str__(self) -> str:
        return f"{self.entries} #{self.last_entry_id}"
