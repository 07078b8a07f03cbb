from datetime import timedelta

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import migrations, models
from django.db.models import Max, Q


def set_expiry(apps, schema_editor):
    """Warnings issued before the column: in force until their expected end, or 24 hours after their
    latest message (the default validity)."""
    EarlyWarning = apps.get_model("alerts", "EarlyWarning")
    for warning in EarlyWarning.objects.filter(state__in=["issued", "escalated"]).annotate(
            latest=Max("messages__sent_at")):
        warning.expires_at = warning.expected_end or (warning.latest or warning.created_at) + timedelta(hours=24)
        warning.save(update_fields=["expires_at"])


class Migration(migrations.Migration):

    dependencies = [
        ("alerts", "0003_state_label"),
        ("org", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="earlywarning",
            name="expires_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="in force until"),
        ),
        migrations.CreateModel(
            name="AlertingProfile",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("sender", models.CharField(help_text="e.g. yjj@guigang.gov.cn, no spaces", max_length=120,
                                            verbose_name="CAP sender")),
                ("contact", models.CharField(blank=True, max_length=200, verbose_name="public contact")),
                ("agency_code", models.CharField(blank=True, max_length=3, verbose_name="agency code (GB/T 4657)")),
                ("default_validity_hours", models.PositiveIntegerField(
                    default=24, validators=[MinValueValidator(1), MaxValueValidator(720)],
                    verbose_name="validity without an expected end (hours)")),
                ("organisation", models.OneToOneField(on_delete=models.deletion.CASCADE,
                                                      related_name="alerting_profile", to="org.orgunit")),
            ],
            options={
                "constraints": [
                    models.CheckConstraint(condition=Q(agency_code="") | Q(agency_code__regex="^[0-9]{3}$"),
                                           name="agency_code_three_digits"),
                    models.CheckConstraint(condition=~Q(sender__regex="[\\s,<&]") & ~Q(sender=""),
                                           name="cap_sender_has_no_space_comma_lt_amp"),
                ],
            },
        ),
        migrations.RunPython(set_expiry, migrations.RunPython.noop),
    ]
