"""Customs 5.4 gives the evaluation figure itself: "西安海关各级各类应急预案由牵头编制部门组织评估和修订，原则上
每3年评估1次". Customs organisations whose 36 months were labelled the district's own setting get the plan's words."""
from django.db import migrations

BASIS = "海关预案5.4：各级各类应急预案由牵头编制部门组织评估和修订，原则上每3年评估1次"


def plans_figure(apps, schema_editor):
    DrillCadence = apps.get_model("plans", "DrillCadence")
    DrillCadence.objects.filter(organisation__kind="customs_district", evaluation_months=36, evaluation_from_plan=False).update(
        evaluation_from_plan=True, evaluation_basis=BASIS)


class Migration(migrations.Migration):
    dependencies = [("plans", "0008_filing_term_organisation_setting")]
    operations = [migrations.RunPython(plans_figure, migrations.RunPython.noop)]
