"""Warnings already in force get the expiry duty that issuing schedules from now on (alerts.expiry)."""
import uuid

from django.db import migrations
from django.db.models import Q
from django.utils import timezone


def schedule(apps, schema_editor):
    EarlyWarning = apps.get_model("alerts", "EarlyWarning")
    TimedDuty = apps.get_model("timers", "TimedDuty")
    warnings = EarlyWarning.objects.filter(state__in=("issued", "escalated"), expires_at__isnull=False)
    had = set(TimedDuty.objects.filter(kind="alerts.warning.expire", state="scheduled")
              .values_list("subject_id", flat=True))
    TimedDuty.objects.bulk_create([
        TimedDuty(kind="alerts.warning.expire", subject_type="alerts.earlywarning", subject_id=w.pk, unit_id=w.unit_id,
                  due_at=w.expires_at, token=uuid.uuid4(), payload={}, created_at=timezone.now())
        for w in warnings.filter(~Q(pk__in=had))])  # the sweeper queues or fires them


class Migration(migrations.Migration):

    dependencies = [
        ("alerts", "0007_warning_last_mile"),
        ("timers", "0002_enqueue_horizon"),
    ]

    operations = [migrations.RunPython(schedule, migrations.RunPython.noop)]
