"""City 1.4.2 "啓動一級響應由市委、市人民政府決定": the Party committee (市委) decides level 1 as well as the
government's principal. City organisations whose level 1 was the principal's alone get both."""
from django.db import migrations


def both(apps, schema_editor):
    AuthorityRule = apps.get_model("response", "AuthorityRule")
    for rule in AuthorityRule.objects.filter(organisation__kind="city", level=1):
        if rule.decider_roles == ["principal"]:
            rule.decider_roles = ["party_committee", "principal"]
            rule.save(update_fields=["decider_roles"])


class Migration(migrations.Migration):
    dependencies = [("response", "0012_help_answers")]
    operations = [migrations.RunPython(both, migrations.RunPython.noop)]
