from django.db import migrations

from emergency.audit.db import append_only


class Migration(migrations.Migration):
    dependencies = [("alerts", "0001_initial"), ("audit", "0002_append_only")]
    operations = [append_only("alerts_warningmessage")]
