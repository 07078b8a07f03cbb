"""Ship the shared threshold table v2 (issue 19, items 11 and 12) and the taxonomy's new types.

v2 copies the shared table published now and replaces the criteria of the types it names: the
appendix's rows for transport, facility, fire, food-safety, plant-epidemic, customs-disruption,
data-security and the new types; meteorological Ⅰ with its "影響重要城市和50平方公里以上較大區域";
terrorism at Ⅱ. The table it replaces retires: the incidents it graded keep pointing at it. Tables
of organisations (their own copies) are not touched; the saved shared cases learn the new rows.
"""
from django.db import migrations


def ship_v2(apps, schema_editor):
    from incidents.grading import loader

    loader.ship_v2(lambda name: apps.get_model("grading", name))


def unship_v2(apps, schema_editor):
    from incidents.grading import loader

    loader.unship_v2(lambda name: apps.get_model("grading", name))


class Migration(migrations.Migration):
    dependencies = [("grading", "0003_table_organisation")]
    operations = [migrations.RunPython(ship_v2, unship_v2)]
