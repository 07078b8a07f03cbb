"""Public releases are drafted, then approved by the authority of the incident's grade (customs 3.3.5
"经审批对外发布"; city 3.3.5 2)); a release recorded before approvals existed keeps counting as published."""
from django.conf import settings
from django.db import migrations, models
import django.db.models.deletion

from emergency.audit.db import append_only


def _approve_recorded(apps, schema_editor):
    PublicRelease = apps.get_model("incidents", "PublicRelease")
    ReleaseDecision = apps.get_model("incidents", "ReleaseDecision")
    ReleaseDecision.objects.bulk_create(
        ReleaseDecision(release_id=r.pk, approved=True, decided_by_id=r.recorded_by_id, decided_at=r.drafted_at,
                        decided_as="recorded before release approval")
        for r in PublicRelease.objects.all())


class Migration(migrations.Migration):
    dependencies = [
        ("incidents", "0007_report_contents_and_reporting_regardless_of_grade"),
        ("org", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]
    operations = [
        migrations.RenameField("publicrelease", "released_at", "drafted_at"),
        migrations.AlterField("publicrelease", "drafted_at", models.DateTimeField(verbose_name="drafted at")),
        migrations.AlterModelOptions("publicrelease", options={
            "ordering": ["drafted_at", "id"], "verbose_name": "public release",
            "verbose_name_plural": "public releases"}),
        migrations.CreateModel(
            name="ReleaseDecision",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("approved", models.BooleanField(verbose_name="approved")),
                ("reason", models.TextField(blank=True, verbose_name="reason")),
                ("decided_as", models.CharField(blank=True, max_length=200, verbose_name="decided as")),
                ("decided_at", models.DateTimeField(verbose_name="decided at")),
                ("decided_by", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="+",
                                                 to=settings.AUTH_USER_MODEL)),
                ("release", models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name="decision",
                                                 to="incidents.publicrelease")),
            ],
            options={"verbose_name": "release decision", "verbose_name_plural": "release decisions",
                     "constraints": [models.CheckConstraint(condition=models.Q(("approved", True), models.Q(("reason", ""), _negated=True), _connector="OR"),
                                                            name="release_rejection_has_reason")]},
        ),
        migrations.CreateModel(
            name="ReleaseAuthority",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("grade", models.CharField(blank=True, choices=[("I", "Grade I (especially serious)"), ("II", "Grade II (serious)"), ("III", "Grade III (fairly serious)"), ("IV", "Grade IV (ordinary)")], max_length=3, verbose_name="grade")),
                ("roles", models.JSONField(default=list, verbose_name="approving roles")),
                ("held_at", models.CharField(choices=[("top", "The organisation itself (e.g. 西安海关, 贵港市)"), ("incident_unit", "The incident's unit or a superior of it")], max_length=16, verbose_name="where the approving role is held")),
                ("basis", models.CharField(blank=True, max_length=300, verbose_name="basis")),
                ("from_plan", models.BooleanField(default=False, verbose_name="stated by the plan")),
                ("organisation", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="release_authorities", to="org.orgunit")),
            ],
            options={"verbose_name": "release authority", "verbose_name_plural": "release authorities",
                     "constraints": [models.UniqueConstraint(fields=("organisation", "grade"), name="one_release_rule_per_grade")]},
        ),
        migrations.RunPython(_approve_recorded, migrations.RunPython.noop),
        append_only("incidents_releasedecision"),
    ]
