"""The metric that adds the seriously injured and the poisoned (条例第三条 "重伤（包括急性工业中毒，下同）",
环境事件附件1 "中毒或重伤"): the national rows grade by it (thresholds_national.yaml). Tables already seeded
from the national standards are the organisations' own published tables and are not rewritten here:
their administrators re-seed or edit them (a new revision, with its saved cases)."""
from django.db import migrations

KEY = "poisoned_or_seriously_injured"


def add_metric(apps, schema_editor):
    from incidents.grading import loader

    Metric = apps.get_model("grading", "Metric")
    item = next(m for m in loader.read("taxonomy.yaml")["metrics"] if m["key"] == KEY)
    position = [m["key"] for m in loader.read("taxonomy.yaml")["metrics"]].index(KEY)
    Metric.objects.update_or_create(key=KEY, defaults={
        "name": item["name"], "name_en": item["name_en"], "unit": item["unit"], "unit_en": item["unit_en"],
        "integer": True, "position": position, "sum_of": item["sum_of"]})


def remove_metric(apps, schema_editor):
    apps.get_model("grading", "Metric").objects.filter(key=KEY).delete()


class Migration(migrations.Migration):
    dependencies = [("grading", "0005_organisation_standards")]
    operations = [migrations.RunPython(add_metric, remove_metric)]
