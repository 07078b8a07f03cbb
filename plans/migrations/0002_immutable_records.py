"""Published editions and the steps taken on a route are official records: append-only."""
from django.db import migrations

from emergency.audit.db import append_only


class Migration(migrations.Migration):
    dependencies = [("plans", "0001_initial"), ("audit", "0002_append_only")]
    operations = [append_only("plans_planedition"), append_only("plans_steprecord")]
