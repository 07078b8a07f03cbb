"""The duty log's free-text entries (值班记录): what the duty room and the command post write down
as it happens. Append-only in PostgreSQL (migration `response/0007`): a correction is a new entry
naming the one it corrects, never an edit."""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class DutyLogEntry(models.Model):
    scope_lookup = "incident__unit"

    incident = models.ForeignKey("incidents.Incident", on_delete=models.PROTECT, related_name="duty_log",
                                 verbose_name=_("incident"))
    response = models.ForeignKey("response.Response", on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="duty_log", verbose_name=_("response"))
    unit = models.ForeignKey("org.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("author"))
    happened_at = models.DateTimeField(_("happened at"))
    recorded_at = models.DateTimeField(_("recorded at"))
    text = models.TextField(_("text"))
    corrects = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="corrections",
                                 verbose_name=_("corrects"))

    class Meta:
        ordering = ["happened_at", "id"]
        verbose_name = _("duty log entry")
        verbose_name_plural = _("duty log entries")
        indexes = [models.Index(fields=["incident", "happened_at"]), models.Index(fields=["response", "happened_at"])]
        constraints = [models.CheckConstraint(condition=~models.Q(text=""), name="duty_log_entry_has_text")]

    def __str__(self) -> str:
        return f"#{self.pk} {self.text[:60]}"

    @property
    def scope_unit_id(self) -> int:
        return self.incident.unit_id
