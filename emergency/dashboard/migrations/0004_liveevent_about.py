from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("dashboard", "0003_liveevent_apply")]

    operations = [
        migrations.AddField(model_name="liveevent", name="about",
                            field=models.CharField(blank=True, default="", max_length=60)),
    ]
