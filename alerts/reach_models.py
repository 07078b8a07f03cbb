"""The last mile of a warning (city 3.2.2 2); customs 3.2 (2)): the special populations and places
that broadcasts do not reach, each with the targeted means that does, and the record of each being
reached for each warning message."""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class WarningTarget(models.Model):
    """A population or place a warning over its unit's area must reach by a targeted means."""

    scope_lookup = "unit"

    class Kind(models.TextChoices):
        ELDERLY = "elderly", _("The elderly (care homes, elderly living alone)")
        CHILDREN = "children", _("Children (kindergartens)")
        SICK = "sick", _("The sick (hospitals, clinics)")
        DISABLED = "disabled", _("People with disabilities")
        PREGNANT = "pregnant", _("Pregnant women")
        SCHOOL = "school", _("Schools")
        BLIND_SPOT = "blind_spot", _("Alarm blind spots (out of broadcast and signal reach)")
        PLACE = "place", _("Other special places (ports, stations, sites in operation)")
        PERIOD = "period", _("Special periods (night shifts, holidays)")

    class Channel(models.TextChoices):
        DOOR_TO_DOOR = "door_to_door", _("Door-to-door notice (逐户通知)")
        PHONE = "phone", _("Phone call to the contact")
        SMS = "sms", _("Text message")
        LOUDSPEAKER = "loudspeaker", _("Village loudspeaker (大喇叭)")
        VAN = "van", _("Publicity van")
        GROUP_CHAT = "group_chat", _("Work group chat")
        LIAISON = "liaison", _("Liaison officer on site")

    unit = models.ForeignKey("org.OrgUnit", on_delete=models.PROTECT, related_name="warning_targets",
                             verbose_name=_("unit"))
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=200)
    channel = models.CharField(_("targeted means"), max_length=16, choices=Channel.choices)
    contact = models.CharField(_("contact"), max_length=200, blank=True)
    people = models.PositiveIntegerField(_("people"), null=True, blank=True)
    lat = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    lon = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    basis = models.CharField(_("basis"), max_length=200, blank=True)

    class Meta:
        ordering = ["unit_id", "kind", "name"]
        verbose_name = _("special population or place")
        verbose_name_plural = _("special populations and places")
        constraints = [models.UniqueConstraint(fields=["unit", "name"], name="warning_target_unique_name")]

    def __str__(self) -> str:
        return self.name


class WarningReach(models.Model):
    """A target reached (or found unreachable) for one warning message. Append-only: a later attempt
    is a new row."""

    message = models.ForeignKey("alerts.WarningMessage", on_delete=models.PROTECT, related_name="reaches")
    target = models.ForeignKey(WarningTarget, on_delete=models.PROTECT, related_name="reaches")
    reached = models.BooleanField(_("reached"))
    channel = models.CharField(_("means used"), max_length=16, choices=WarningTarget.Channel.choices)
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"))

    class Meta:
        ordering = ["message_id", "target_id", "recorded_at", "id"]
        indexes = [models.Index(fields=["message", "target"])]
