"""Official records are append-only at the database; incident numbers come from a sequence."""
from django.db import migrations

from emergency.audit.db import append_only


class Migration(migrations.Migration):
    dependencies = [("incidents", "0001_initial"), ("audit", "0002_append_only")]
    operations = [
        append_only("incidents_incidentreport"),
        append_only("incidents_reportdispatch"),
        append_only("incidents_publicrelease"),
        migrations.RunSQL("CREATE SEQUENCE IF NOT EXISTS incidents_number_seq;",
                          "DROP SEQUENCE IF EXISTS incidents_number_seq;"),
    ]
