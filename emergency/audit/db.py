"""Database-level guard for official records: PostgreSQL refuses UPDATE and DELETE on them.

Use `append_only("app_table")` in a migration's operations; later apps reuse it for reports,
decisions and issued warnings.
"""
from django.db import migrations

REFUSE_CHANGE_FUNCTION = """
CREATE OR REPLACE FUNCTION emergency_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'official record is append-only: % on % refused', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""


def append_only(table: str) -> migrations.RunSQL:
    trigger = f"{table}_append_only"
    return migrations.RunSQL(
        sql=[
            REFUSE_CHANGE_FUNCTION,
            f"CREATE TRIGGER {trigger} BEFORE UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION emergency_refuse_change();",
        ],
        reverse_sql=[f"DROP TRIGGER IF EXISTS {trigger} ON {table};"],
    )
