from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("dashboard", "0002_relayed")]

    operations = [
        migrations.AddField(model_name="liveevent", name="apply", field=models.JSONField(blank=True, null=True)),
    ]
