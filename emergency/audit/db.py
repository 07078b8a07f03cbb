"""Database-level guard for official records: PostgreSQL refuses UPDATE, DELETE and TRUNCATE on them.

Use `append_only("app_table")` in a migration's operations; later apps reuse it for reports,
decisions and issued warnings. A table with a guard of its own (proposals may leave "pending"
once) takes `refuse_truncate("app_table")` next to it. Row triggers do not fire on TRUNCATE, so the
statement-level `BEFORE TRUNCATE` trigger is what stops a table being emptied in one statement (the
application's role also lacks the TRUNCATE privilege; the trigger also stops the tables' owner).
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

# Trigger names end with these suffixes; tests and the catch-up migration find the guards by them.
APPEND_ONLY_SUFFIX = "_append_only"
NO_TRUNCATE_SUFFIX = "_no_truncate"


def refuse_truncate_sql(table: str) -> str:
    return (f"CREATE OR REPLACE TRIGGER {table}{NO_TRUNCATE_SUFFIX} BEFORE TRUNCATE ON {table} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION emergency_refuse_change();")


def refuse_truncate(table: str) -> migrations.RunSQL:
    return migrations.RunSQL(
        sql=[REFUSE_CHANGE_FUNCTION, refuse_truncate_sql(table)],
        reverse_sql=[f"DROP TRIGGER IF EXISTS {table}{NO_TRUNCATE_SUFFIX} ON {table};"],
    )


def append_only(table: str) -> migrations.RunSQL:
    trigger = f"{table}{APPEND_ONLY_SUFFIX}"
    return migrations.RunSQL(
        sql=[
            REFUSE_CHANGE_FUNCTION,
            (f"CREATE TRIGGER {trigger} BEFORE UPDATE OR DELETE ON {table} "
             f"FOR EACH ROW EXECUTE FUNCTION emergency_refuse_change();"),
            refuse_truncate_sql(table),
        ],
        reverse_sql=[f"DROP TRIGGER IF EXISTS {trigger} ON {table};",
                     f"DROP TRIGGER IF EXISTS {table}{NO_TRUNCATE_SUFFIX} ON {table};"],
    )
