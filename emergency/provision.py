"""The database roles of the embedded run (and of a superuser `DATABASE_URL`), set up as the
server's superuser before anything else connects. No Django here: `emergency.embedded` calls it.

- `emergency_owner` owns the database and every table (migrations run as it, `MIGRATE_DATABASE_URL`);
  CREATEDB only so that the test suite can create its databases.
- `emergency_app` is what web, worker and beat connect as (`DATABASE_URL`): no superuser, owns
  nothing; `migrate` grants it SELECT/INSERT/UPDATE/DELETE on the tables (emergency/audit/roles.py).

A database migrated earlier as the superuser is handed to the owner role (tables, sequences,
functions), so an existing `var/pg` keeps its data.
"""
from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlsplit

OWNER_ROLE = "emergency_owner"
APP_ROLE = "emergency_app"

HAND_OVER = """
DO $$
DECLARE item text;
BEGIN
    FOR item IN SELECT c.oid::regclass::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm')
                  AND c.relowner <> '{owner}'::regrole LOOP
        EXECUTE format('ALTER TABLE %s OWNER TO {owner}', item);
    END LOOP;
    FOR item IN SELECT c.oid::regclass::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname = 'public' AND c.relkind = 'S' AND c.relowner <> '{owner}'::regrole
                  AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype IN ('a', 'i')) LOOP
        EXECUTE format('ALTER SEQUENCE %s OWNER TO {owner}', item);
    END LOOP;
    FOR item IN SELECT p.oid::regprocedure::text FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
                WHERE n.nspname = 'public' AND p.proowner <> '{owner}'::regrole LOOP
        EXECUTE format('ALTER FUNCTION %s OWNER TO {owner}', item);
    END LOOP;
END;
$$;
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE, CREATE ON SCHEMA public TO {owner};
"""


@dataclass(frozen=True)
class DatabaseRoles:
    app_url: str  # DATABASE_URL
    owner_url: str  # MIGRATE_DATABASE_URL


def _passwords(var: Path) -> dict[str, str]:
    path = var / "database_roles.json"
    if not path.exists():
        var.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps({OWNER_ROLE: secrets.token_urlsafe(24), APP_ROLE: secrets.token_urlsafe(24)}))
        path.chmod(0o600)
    return json.loads(path.read_text())


def _url(parts, user: str, password: str, database: str) -> str:
    """The admin URL's server (host and port, or a %-encoded socket directory) as `user`."""
    server = parts.netloc.rsplit("@", 1)[-1]
    return f"postgres://{user}:{quote(password, safe='')}@{server}/{database}"


def is_superuser(url: str) -> bool:
    import psycopg2

    with psycopg2.connect(_maintenance(url)) as connection, connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        return bool(cursor.fetchone()[0])


def _maintenance(url: str) -> str:
    parts = urlsplit(url)
    return parts._replace(path="/postgres").geturl()


def provision(admin_url: str, var: Path) -> DatabaseRoles:
    """As the superuser of `admin_url`: the two roles, the database owned by the owner role."""
    import psycopg2
    from psycopg2 import sql

    parts = urlsplit(admin_url)
    database = parts.path.lstrip("/")
    passwords = _passwords(var)
    connection = psycopg2.connect(_maintenance(admin_url))
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            options = {OWNER_ROLE: "LOGIN NOSUPERUSER CREATEDB NOCREATEROLE NOBYPASSRLS",
                       APP_ROLE: "LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS NOINHERIT"}
            for role, attributes in options.items():
                cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
                verb = "ALTER" if cursor.fetchone() else "CREATE"
                cursor.execute(sql.SQL(f"{verb} ROLE {{}} {attributes} PASSWORD %s").format(sql.Identifier(role)),
                               [passwords[role]])
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database])
            verb = "ALTER DATABASE {} OWNER TO {}" if cursor.fetchone() else "CREATE DATABASE {} OWNER {}"
            cursor.execute(sql.SQL(verb).format(sql.Identifier(database), sql.Identifier(OWNER_ROLE)))
    finally:
        connection.close()
    with psycopg2.connect(admin_url) as connection, connection.cursor() as cursor:
        cursor.execute(HAND_OVER.format(owner=OWNER_ROLE))
    connection.close()
    return DatabaseRoles(app_url=_url(parts, APP_ROLE, passwords[APP_ROLE], database),
                         owner_url=_url(parts, OWNER_ROLE, passwords[OWNER_ROLE], database))
