"""The chain's head, kept by the database itself on every append and writable by no application
code: the trigger function runs as its owner (the migrations' role, SECURITY DEFINER), the
application's role only reads the table (see `emergency.audit.roles`). The head only moves forward,
and existing chains start with their current head."""
from django.db import migrations, models

from emergency.audit.db import REFUSE_CHANGE_FUNCTION, refuse_truncate_sql

HEAD_FUNCTIONS = """
CREATE OR REPLACE FUNCTION audit_head_advance() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
    INSERT INTO public.audit_audithead (id, entries, last_entry_id, last_hash, updated_at)
    VALUES (1, 1, NEW.id, NEW.hash, now())
    ON CONFLICT (id) DO UPDATE SET entries = public.audit_audithead.entries + 1, last_entry_id = NEW.id,
                                   last_hash = NEW.hash, updated_at = now();
    RETURN NULL;
END;
$$;
REVOKE ALL ON FUNCTION audit_head_advance() FROM PUBLIC;

CREATE OR REPLACE FUNCTION audit_head_forward_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND NEW.entries > OLD.entries AND NEW.last_entry_id > OLD.last_entry_id THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'the audit chain head only moves forward: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$;
"""

INSTALL = """
INSERT INTO audit_audithead (id, entries, last_entry_id, last_hash, updated_at)
SELECT 1, count(*), max(id), (SELECT hash FROM audit_auditentry ORDER BY id DESC LIMIT 1), now()
FROM audit_auditentry HAVING count(*) > 0;
CREATE TRIGGER audit_auditentry_head AFTER INSERT ON audit_auditentry
    FOR EACH ROW EXECUTE FUNCTION audit_head_advance();
CREATE TRIGGER audit_audithead_forward_only BEFORE UPDATE OR DELETE ON audit_audithead
    FOR EACH ROW EXECUTE FUNCTION audit_head_forward_only();
"""


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_refuse_truncate")]

    operations = [
        migrations.CreateModel(
            name="AuditHead",
            fields=[
                ("id", models.PositiveSmallIntegerField(default=1, primary_key=True, serialize=False)),
                ("entries", models.PositiveBigIntegerField(verbose_name="entries")),
                ("last_entry_id", models.BigIntegerField(verbose_name="newest entry")),
                ("last_hash", models.CharField(max_length=64, verbose_name="newest hash")),
                ("updated_at", models.DateTimeField(verbose_name="updated at")),
            ],
            options={
                "verbose_name": "audit chain head",
                "verbose_name_plural": "audit chain heads",
                "constraints": [models.CheckConstraint(condition=models.Q(("id", 1)), name="audit_head_single_row")],
            },
        ),
        migrations.RunSQL(
            sql=[REFUSE_CHANGE_FUNCTION, HEAD_FUNCTIONS, INSTALL, refuse_truncate_sql("audit_audithead")],
            reverse_sql=["DROP TRIGGER IF EXISTS audit_auditentry_head ON audit_auditentry;",
                         "DROP FUNCTION IF EXISTS audit_head_advance();",
                         "DROP FUNCTION IF EXISTS audit_head_forward_only() CASCADE;"],
        ),
    ]
