"""The platform connects as an application role that owns nothing and is no superuser; the tables
belong to the migrations' owner role. So, connected as the platform, the three ways the independent
test emptied or rewrote official records (TRUNCATE, `session_replication_role = replica`, `ALTER
TABLE … DISABLE TRIGGER`) are refused, and TRUNCATE is refused by trigger even for the owner."""
import os
import re
import subprocess
import sys
from pathlib import Path

import psycopg2
import pytest
from django.conf import settings
from django.db import DatabaseError, connection, transaction

from emergency import provision

from .db_roles import owner_connection
from .servers import own_postgres

ROOT = Path(__file__).resolve().parent.parent
MIGRATIONS = [path for app in ("emergency", "plans", "incidents", "alerts")
              for path in (ROOT / app).glob("**/migrations/*.py")]
# Every official table: each migration that guards one says so with the shared helper.
OFFICIAL = sorted({table for path in MIGRATIONS
                   for table in re.findall(r'\b(?:append_only|refuse_truncate)\("(\w+)"\)', path.read_text())})


def _fetch(sql: str, params=None) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _refused(statement: str, match: str) -> None:
    with pytest.raises(DatabaseError, match=match), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement)


def test_the_official_tables_are_found_in_the_migrations():
    assert {"audit_auditentry", "incidents_incidentreport", "response_decision", "response_proposal",
            "alerts_warningmessage", "plans_planedition"} <= set(OFFICIAL)


def test_the_platform_connects_as_a_role_that_is_no_superuser_and_owns_nothing(db):
    (user, superuser, create_role, create_db, bypass_rls, replication), = _fetch(
        "SELECT rolname, rolsuper, rolcreaterole, rolcreatedb, rolbypassrls, rolreplication "
        "FROM pg_roles WHERE rolname = current_user")
    assert user == settings.DATABASE_APPLICATION_ROLE != settings.MIGRATE_DATABASE["USER"]
    assert not (superuser or create_role or create_db or bypass_rls or replication)
    assert _fetch("SELECT count(*) FROM pg_class WHERE relowner = current_user::regrole") == [(0,)]
    assert _fetch("SELECT count(*) FROM pg_proc WHERE proowner = current_user::regrole") == [(0,)]
    (owns_database, can_create, owner_member), = _fetch(
        "SELECT pg_get_userbyid(datdba) = current_user, has_schema_privilege('public', 'CREATE'), "
        "pg_has_role(current_user, %s, 'MEMBER') FROM pg_database WHERE datname = current_database()",
        [settings.MIGRATE_DATABASE["USER"]])
    assert not (owns_database or can_create or owner_member)


def test_the_platform_may_read_and_write_rows_and_nothing_more(db):
    rows = _fetch("""
        SELECT c.relname, has_table_privilege(c.oid, 'SELECT'), has_table_privilege(c.oid, 'INSERT'),
               has_table_privilege(c.oid, 'UPDATE'), has_table_privilege(c.oid, 'DELETE'),
               has_table_privilege(c.oid, 'TRUNCATE'), has_table_privilege(c.oid, 'REFERENCES'),
               has_table_privilege(c.oid, 'TRIGGER')
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')""")
    assert len(rows) > 50
    wrong = {name: granted for name, *granted in rows
             if granted != ([True, False, False, False] if name == "audit_audithead" else [True] * 4) + [False] * 3}
    assert wrong == {}


@pytest.mark.parametrize("table", OFFICIAL)
def test_the_platform_cannot_truncate_an_official_table(db, table):
    _refused(f"TRUNCATE {table}", "permission denied")
    _refused(f"TRUNCATE {table} CASCADE", "permission denied")


def test_the_platform_cannot_switch_the_append_only_triggers_off(db):
    _refused("SET session_replication_role = replica", "permission denied")
    for table in ("audit_auditentry", "incidents_incidentreport", "alerts_warningmessage"):
        _refused(f"ALTER TABLE {table} DISABLE TRIGGER {table}_append_only", "must be owner")
        _refused(f"ALTER TABLE {table} DISABLE TRIGGER ALL", "must be owner")
        _refused(f"DROP TRIGGER {table}_append_only ON {table}", "must be owner")
    _refused("DROP FUNCTION emergency_refuse_change() CASCADE", "must be owner")
    enabled = _fetch("SELECT count(*) FROM pg_trigger WHERE tgname LIKE '%%append_only' AND tgenabled = 'O'")
    assert enabled[0][0] >= len(OFFICIAL)


@pytest.mark.django_db(transaction=True)
def test_even_the_owner_cannot_truncate_an_official_table():
    """The statement-level trigger: row triggers do not fire on TRUNCATE, and the owner has the privilege."""
    refused = {}
    with owner_connection() as owner, owner.cursor() as cursor:
        for table in OFFICIAL:
            with pytest.raises(psycopg2.Error) as error:
                cursor.execute(f"TRUNCATE {table} CASCADE")
            refused[table] = str(error.value).splitlines()[0]
    assert all("append-only: TRUNCATE" in message for message in refused.values()), refused


def test_every_table_with_an_append_only_trigger_refuses_truncate(db):
    guarded = dict(_fetch("""
        SELECT c.relname, bool_or(t.tgtype & 32 <> 0 AND t.tgtype & 1 = 0 AND t.tgenabled = 'O')
        FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
        WHERE NOT t.tgisinternal GROUP BY c.relname HAVING bool_or(t.tgname LIKE '%%append_only')"""))
    assert set(OFFICIAL) <= set(guarded)
    assert [table for table, refuses in guarded.items() if not refuses] == []



def test_dev_py_hands_a_database_migrated_as_superuser_to_the_owner_and_runs_the_platform_as_the_app_role(
        db, tmp_path):
    """What `dev.py run` does to an existing `var/pg` (every table the superuser's): provision the two
    roles, migrate as the owner (which grants), and the platform's role can write rows, not truncate."""
    with own_postgres() as server:
        server.copy_database(connection.settings_dict, "emergency")  # restored as the superuser, no grants
        roles = provision.provision(server.url("emergency"), tmp_path)
        env = {**os.environ, "DATABASE_URL": roles.app_url, "MIGRATE_DATABASE_URL": roles.owner_url}
        subprocess.run([sys.executable, "manage.py", "migrate", "--no-input", "-v", "0"], cwd=ROOT, env=env,
                       check=True, capture_output=True, timeout=180)
        with psycopg2.connect(roles.app_url) as app, app.cursor() as cursor:
            cursor.execute("SELECT current_user::text, rolsuper FROM pg_roles WHERE rolname = current_user")
            assert cursor.fetchone() == (provision.APP_ROLE, False)
            cursor.execute(
                "SELECT count(*) FILTER (WHERE pg_get_userbyid(c.relowner) <> %s), "
                "bool_and(has_table_privilege(c.oid, 'INSERT') OR c.relname = 'audit_audithead'), "
                "bool_or(has_table_privilege(c.oid, 'TRUNCATE')) FROM pg_class c "
                "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relkind = 'r'",
                [provision.OWNER_ROLE])
            assert cursor.fetchone() == (0, True, False)
            with pytest.raises(psycopg2.Error, match="permission denied"):
                cursor.execute("TRUNCATE audit_auditentry")
        app.close()
