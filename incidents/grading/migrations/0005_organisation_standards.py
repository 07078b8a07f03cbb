"""Each organisation grades by its own table, seeded from the standard its plan points to (issue 19,
item 13): a table records the standard it was seeded from (the city plan's appendix 7.3, or the
national standards customs 1.3 names), each row whose figure it is (a national standard's, the
appendix's, or the organisation's own), and who grades by hand where no row decides (item 2).

Existing rows: a source naming a national rule (国家…) is a national row, one naming a clause of the
appendix (7.3…) or any row of a shipped table an appendix row, every other row the organisation's own.
"""
import django.db.models.deletion
from django.db import migrations, models


def label_rows(apps, schema_editor):
    Criterion = apps.get_model("grading", "Criterion")
    Criterion.objects.filter(source__startswith="国家").update(origin="national")
    rest = Criterion.objects.exclude(source__startswith="国家")
    rest.filter(models.Q(source__startswith="7.3") | models.Q(table__organisation__isnull=True)).update(
        origin="appendix")


class Migration(migrations.Migration):

    dependencies = [
        ('grading', '0004_table_v2'),
        ('org', '0004_organisationlink'),
    ]

    operations = [
        migrations.AddField(
            model_name='criterion',
            name='origin',
            field=models.CharField(choices=[('national', 'National standard'), ('appendix', 'City plan appendix 7.3'), ('organisation', "The organisation's own")], default='organisation', max_length=12, verbose_name='whose figure'),
        ),
        migrations.AddField(
            model_name='thresholdtable',
            name='standard',
            field=models.CharField(choices=[('appendix', "City plan appendix 7.3 (the region's standard)"), ('national', 'National grading standards')], default='appendix', max_length=12, verbose_name='seeded from'),
        ),
        migrations.CreateModel(
            name='GradingAuthority',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('grade', models.CharField(blank=True, choices=[('I', 'Grade I (especially serious)'), ('II', 'Grade II (serious)'), ('III', 'Grade III (fairly serious)'), ('IV', 'Grade IV (ordinary)')], max_length=3, verbose_name='grade')),
                ('roles', models.JSONField(default=list, verbose_name='grading roles')),
                ('held_at', models.CharField(choices=[('top', 'The organisation itself (e.g. 西安海关, 贵港市)'), ('incident_unit', "The incident's unit or a superior of it")], max_length=16, verbose_name='where the grading role is held')),
                ('basis', models.CharField(blank=True, max_length=300, verbose_name='basis')),
                ('from_plan', models.BooleanField(default=False, verbose_name='stated by the plan')),
                ('organisation', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='grading_authorities', to='org.orgunit')),
            ],
            options={
                'verbose_name': 'grading authority',
                'verbose_name_plural': 'grading authorities',
                'constraints': [models.UniqueConstraint(fields=('organisation', 'grade'), name='one_grading_rule_per_grade')],
            },
        ),
        migrations.RunPython(label_rows, migrations.RunPython.noop),
    ]
