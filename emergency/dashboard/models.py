"""The outbox of live events: every change a dashboard shows is a row, numbered per organisation
in the transaction of the change, so a screen that missed some can fetch them by number."""
from django.db import models
from django.db.models import Q

# The events whose changes can move this year's figures (an incident received, its grade or type
# set, a response started): a clock met or an order acknowledged leaves the figures as they were.
FIGURE_EVENTS = ("incident.logged", "incident.report", "incident.graded", "response.decided")


class EventSequence(models.Model):
    organisation = models.OneToOneField("org.OrgUnit", on_delete=models.CASCADE, primary_key=True,
                                        related_name="+")
    last = models.BigIntegerField(default=0)
    relayed = models.BigIntegerField(default=0)  # the last number the relay has sent to the screens


class LiveEvent(models.Model):
    organisation = models.ForeignKey("org.OrgUnit", on_delete=models.CASCADE, related_name="+")
    sequence = models.BigIntegerField()
    # indexed by event_unit_newest (unit, -sequence), whose first column serves every unit lookup
    unit = models.ForeignKey("org.OrgUnit", on_delete=models.CASCADE, related_name="+", db_index=False)
    event = models.CharField(max_length=60)
    data = models.JSONField()
    # What a screen applies to its local model (emergency.dashboard.frames), in the state's shapes.
    # Built by the relay when it sends the frame, from the subject named by `about` ("incident:5"):
    # after commit and outside the locks the change held (emergency.live.describe).
    apply = models.JSONField(null=True, blank=True)
    about = models.CharField(max_length=60, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organisation_id", "sequence"]
        constraints = [models.UniqueConstraint(fields=["organisation", "sequence"], name="event_sequence_unique")]
        indexes = [
            # each unit's newest event, and its newest that can move the figures (the state's numbers)
            models.Index(fields=["unit", "-sequence"], name="event_unit_newest"),
            models.Index(fields=["unit", "-sequence"], condition=Q(event__in=FIGURE_EVENTS), name="event_unit_figures"),
            models.Index(fields=["-created_at", "-id"], name="event_newest"),  # the feed, newest first
        ]
