"""In-app notifications: what the platform tells a person (a reminder, a deadline missed, an order)."""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications",
                                  verbose_name=_("recipient"))
    unit = models.ForeignKey("org.OrgUnit", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                             verbose_name=_("unit"))
    kind = models.CharField(_("kind"), max_length=80)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("body"), blank=True)
    link = models.CharField(_("link"), max_length=300, blank=True)
    source_key = models.CharField(max_length=120, help_text="What caused it, e.g. timers.timedduty:42")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [models.Index(fields=["recipient", "read_at", "-created_at"])]
        constraints = [
            # the same cause never notifies the same person twice
            models.UniqueConstraint(fields=["recipient", "source_key"], name="notification_once_per_cause"),
        ]

    def __str__(self) -> str:
        return self.title


class Delivery(models.Model):
    """One notification sent over one outside channel (e-mail, or the webhook an SMS or broadcast
    gateway sits behind): queued → sent, or failed with its reason and retried with backoff."""

    class Channel(models.TextChoices):
        EMAIL = "email", _("E-mail")
        WEBHOOK = "webhook", _("SMS / broadcast gateway")

    class State(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    notification = models.ForeignKey(Notification, on_delete=models.CASCADE, related_name="deliveries")
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    address = models.CharField(_("address"), max_length=200)
    state = models.CharField(_("state"), max_length=8, choices=State.choices, default=State.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(_("last error"), max_length=300, blank=True)
    next_attempt_at = models.DateTimeField(db_index=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [models.UniqueConstraint(fields=["notification", "channel"], name="one_delivery_per_channel")]
        indexes = [models.Index(fields=["next_attempt_at"], condition=models.Q(state="queued"),
                                name="delivery_due")]


class DutyRoomDelivery(models.Model):
    """One message delivered to a linked organisation's duty room as a unit: what the sender may
    know of it ("delivered to 贵港市 duty room at 07:16"), without the people behind it."""

    source_key = models.CharField(max_length=120, help_text="What was sent, e.g. warning.message:42")
    from_unit = models.ForeignKey("org.OrgUnit", on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("sending unit"))
    organisation = models.ForeignKey("org.OrgUnit", on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("organisation"))
    reached = models.PositiveIntegerField(_("duty officers reached"), default=0)
    delivered_at = models.DateTimeField(_("delivered at"))

    class Meta:
        ordering = ["delivered_at", "id"]
        verbose_name = _("duty-room delivery")
        verbose_name_plural = _("duty-room deliveries")
        constraints = [models.UniqueConstraint(fields=["source_key", "organisation"], name="duty_room_once")]
