"""Catch up databases migrated before official tables refused TRUNCATE: every table that has an
append-only trigger gets its statement-level TRUNCATE guard (fresh databases get it from
`append_only()` itself; CREATE OR REPLACE makes both paths idempotent)."""
from django.db import migrations

from emergency.audit.db import NO_TRUNCATE_SUFFIX, REFUSE_CHANGE_FUNCTION

CATCH_UP = f"""
DO $$
DECLARE guarded regclass;
BEGIN
    FOR guarded IN SELECT DISTINCT t.tgrelid::regclass FROM pg_trigger t
                   WHERE t.tgname LIKE '%\\_append\\_only' AND NOT t.tgisinternal LOOP
        EXECUTE format('CREATE OR REPLACE TRIGGER %s BEFORE TRUNCATE ON %s '
                       'FOR EACH STATEMENT EXECUTE FUNCTION emergency_refuse_change()',
                       guarded::text || '{NO_TRUNCATE_SUFFIX}', guarded);
    END LOOP;
END;
$$;
"""


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_append_only")]

    operations = [migrations.RunSQL(sql=[REFUSE_CHANGE_FUNCTION, CATCH_UP], reverse_sql=migrations.RunSQL.noop)]
