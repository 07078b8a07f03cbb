"""The search documents: the `search_document(text)` function (Chinese as character bigrams,
emergency/search/documents.py) and a GIN index on it over each searched table's text. Core
PostgreSQL only: no extension to install (pg_trgm is not in the embedded server)."""
from django.db import migrations

from emergency.search.documents import FUNCTION_SQL
from emergency.search.sources import SOURCES


def _index(source) -> migrations.RunSQL:
    name = f"search_{source.table}"
    return migrations.RunSQL(
        f"CREATE INDEX IF NOT EXISTS {name} ON {source.table} USING gin (search_document({source.text_sql}));",
        f"DROP INDEX IF EXISTS {name};")


class Migration(migrations.Migration):
    dependencies = [
        ("org", "0004_organisationlink"),
        ("incidents", "0005_reporting_rules"),
        ("alerts", "0005_earlywarning_linked_organisations"),
        ("plans", "0005_cadence_scope_and_basis"),
    ]
    operations = [
        migrations.RunSQL(FUNCTION_SQL, "DROP FUNCTION IF EXISTS search_document(text);"),
        *[_index(source) for source in SOURCES],
        # Hits come newest first: with a common word, walking these until a page is full beats
        # sorting every match.
        migrations.RunSQL("CREATE INDEX IF NOT EXISTS search_report_newest ON incidents_incidentreport "
                          "(submitted_at DESC, id DESC);", "DROP INDEX IF EXISTS search_report_newest;"),
        migrations.RunSQL("CREATE INDEX IF NOT EXISTS search_incident_newest ON incidents_incident "
                          "(received_at DESC, id DESC);", "DROP INDEX IF EXISTS search_incident_newest;"),
    ]
