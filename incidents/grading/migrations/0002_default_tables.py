"""Ship the taxonomy, threshold table v1 (appendix 7.3 + national work-safety Ⅲ/Ⅳ) and the saved
cases with the migrations, so grading works on a freshly migrated database."""
from django.db import migrations


def load_defaults(apps, schema_editor):
    from incidents.grading import loader

    def get_model(name):
        return apps.get_model("grading", name)

    loader.load_taxonomy(get_model, loader.read("taxonomy.yaml"))
    loader.load_table(get_model, loader.read("thresholds_v1.yaml"), version=1, state="published",
                      note=loader.DEFAULT_NOTE)
    loader.load_cases(get_model, loader.read("cases_v1.yaml"))


class Migration(migrations.Migration):
    dependencies = [("grading", "0001_initial")]
    operations = [migrations.RunPython(load_defaults, migrations.RunPython.noop)]
