from django.db import migrations

from emergency.audit.db import append_only


class Migration(migrations.Migration):
    dependencies = [("incidents", "0003_investigations")]
    operations = [append_only("incidents_investigation")]
