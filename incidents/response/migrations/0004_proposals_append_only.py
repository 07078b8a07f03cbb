"""A proposal is an official record too: what was proposed, by whom and why never changes, and it is
never deleted. The one change allowed is its single move out of "pending" (decided or withdrawn),
which may also name the response it started."""
from django.db import migrations

from emergency.audit.db import refuse_truncate

GUARD_FUNCTION = """
CREATE OR REPLACE FUNCTION response_proposal_guard() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND OLD.state = 'pending' AND NEW.state <> 'pending'
       AND (OLD.response_id IS NULL OR NEW.response_id = OLD.response_id)
       AND to_jsonb(NEW) - 'state' - 'response_id' = to_jsonb(OLD) - 'state' - 'response_id' THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'official record is append-only: % on % refused', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""


class Migration(migrations.Migration):
    dependencies = [("response", "0003_command_posts")]
    operations = [
        migrations.RunSQL(
            sql=[GUARD_FUNCTION,
                 "CREATE TRIGGER response_proposal_append_only BEFORE UPDATE OR DELETE ON response_proposal "
                 "FOR EACH ROW EXECUTE FUNCTION response_proposal_guard();"],
            reverse_sql=["DROP TRIGGER IF EXISTS response_proposal_append_only ON response_proposal;",
                         "DROP FUNCTION IF EXISTS response_proposal_guard();"],
        ),
        refuse_truncate("response_proposal"),
    ]
