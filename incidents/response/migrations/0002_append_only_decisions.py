"""Decisions on response levels are official records: PostgreSQL refuses to change them."""
from django.db import migrations

from emergency.audit.db import append_only


class Migration(migrations.Migration):
    dependencies = [("response", "0001_initial"), ("audit", "0002_append_only")]
    operations = [append_only("response_decision")]
