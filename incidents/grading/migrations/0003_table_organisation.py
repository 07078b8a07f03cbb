"""Threshold tables belong to an organisation (issue 20, item 5).

Existing rows: the published and retired tables graded every organisation, so they stay the
platform's shared tables (no organisation): nobody's grading changes at migration. A draft in
progress goes to the organisation its author administers grading for (a plan or system
administrator of a top unit), so only that organisation can go on with it and publish it.
"""
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def drafts_to_their_authors_organisation(apps, schema_editor):
    Table, Assignment = apps.get_model("grading", "ThresholdTable"), apps.get_model("org", "RoleAssignment")
    for draft in Table.objects.filter(state="draft", created_by__isnull=False):
        top = (Assignment.objects.filter(user_id=draft.created_by_id, role__in=["plan_admin", "system_admin"],
                                         unit__parent__isnull=True).order_by("unit_id")
               .values_list("unit_id", flat=True).first())
        if top is not None:
            draft.organisation_id = top
            draft.save(update_fields=["organisation"])


class Migration(migrations.Migration):

    dependencies = [
        ('grading', '0002_default_tables'),
        ('org', '0003_response_roles'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='thresholdtable',
            name='grading_one_published_table',
        ),
        migrations.AddField(
            model_name='gradingcase',
            name='organisation',
            field=models.ForeignKey(blank=True, help_text='blank: shipped with the platform, run against every table', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='org.orgunit', verbose_name='organisation'),
        ),
        migrations.AddField(
            model_name='thresholdtable',
            name='organisation',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='org.orgunit', verbose_name='organisation'),
        ),
        migrations.AlterField(
            model_name='thresholdtable',
            name='version',
            field=models.PositiveIntegerField(verbose_name='version'),
        ),
        migrations.RunPython(drafts_to_their_authors_organisation, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name='thresholdtable',
            constraint=models.UniqueConstraint(fields=('organisation', 'version'), name='grading_version_unique_per_organisation', nulls_distinct=False),
        ),
        migrations.AddConstraint(
            model_name='thresholdtable',
            constraint=models.UniqueConstraint(condition=models.Q(('state', 'published')), fields=('organisation',), name='grading_one_published_table_per_organisation', nulls_distinct=False),
        ),
    ]
