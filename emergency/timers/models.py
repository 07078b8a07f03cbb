"""Every deadline and reminder is a row: Celery executes it, the database remembers it.

Only duties due within the enqueue horizon get a Celery message (eta=due_at); the sweeper
queues the rest as they come near, so no message waits hours in the broker.

A duty fires once: firing locks the row, checks it is still scheduled (and, for a queued
message, that its token still matches), runs the handler and marks the row fired, all in
one transaction. A lost or duplicated message therefore changes nothing; the sweeper
fires what a lost message missed.
"""
import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _


class TimedDuty(models.Model):
    class State(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        FIRED = "fired", _("Fired")
        CANCELLED = "cancelled", _("Cancelled")

    kind = models.CharField(_("kind"), max_length=80)
    subject_type = models.CharField(_("subject type"), max_length=80)
    subject_id = models.BigIntegerField(_("subject id"))
    unit = models.ForeignKey("org.OrgUnit", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    due_at = models.DateTimeField(_("due at"))
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.SCHEDULED)
    token = models.UUIDField(default=uuid.uuid4)
    payload = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    fired_at = models.DateTimeField(_("fired at"), null=True, blank=True)
    enqueued_at = models.DateTimeField(null=True, blank=True,
                                       help_text="When a message for the current token was queued (near duties only)")
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_at", "id"]
        verbose_name = _("timed duty")
        verbose_name_plural = _("timed duties")
        indexes = [
            models.Index(fields=["due_at"], condition=models.Q(state="scheduled"), name="timed_duty_pending_due"),
            models.Index(fields=["due_at"], condition=models.Q(state="scheduled", enqueued_at__isnull=True),
                         name="timed_duty_not_enqueued"),
            models.Index(fields=["subject_type", "subject_id"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(state="fired") | models.Q(fired_at__isnull=False), name="fired_duty_has_fired_at"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.subject_type}:{self.subject_id} @ {self.due_at:%Y-%m-%d %H:%M:%S}"
