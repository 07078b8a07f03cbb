"""The platform's two database roles.

- The **application role** (`DATABASE_URL`): what web, worker and beat connect as. It owns no table
  and is no superuser; after every migrate it is granted SELECT, INSERT, UPDATE and DELETE on the
  tables (and the use of their sequences), nothing more: no TRUNCATE, no ALTER TABLE (so no
  `DISABLE TRIGGER`), no `session_replication_role`, and only SELECT on the audit chain's head.
- The **owner role** (`MIGRATE_DATABASE_URL`, the same database as the tables' owner): `migrate`
  switches to it (see the `migrate` command of this app), creates the schema and grants the above.

With no `MIGRATE_DATABASE_URL` both are the one role of `DATABASE_URL` (and nothing is granted).
"""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.db import connections

CREDENTIALS = ("USER", "PASSWORD", "HOST", "PORT")
# Tables the application role may read but not write (written only by SECURITY DEFINER triggers).
READ_ONLY_TABLES = ("audit_audithead",)


def _switch(alias: str, to: dict) -> dict:
    """Reconnect `alias` with the credentials of `to` (same database name); return the previous ones."""
    connection = connections[alias]
    previous = {key: connection.settings_dict[key] for key in CREDENTIALS}
    connection.close()
    connection.settings_dict.update({key: to[key] for key in CREDENTIALS})
    return previous


def use_owner(alias: str = "default") -> dict | None:
    """Connect `alias` as the owner role from now on; return the credentials to go back to."""
    owner = settings.MIGRATE_DATABASE
    if not owner or connections[alias].settings_dict["USER"] == owner["USER"]:
        return None
    return _switch(alias, owner)


def use_credentials(alias: str, credentials: dict | None) -> None:
    if credentials is not None:
        _switch(alias, credentials)


@contextmanager
def owner_session(alias: str = "default") -> Iterator[None]:
    """Run the block connected as the owner role, then reconnect as before."""
    previous = use_owner(alias)
    try:
        yield
    finally:
        use_credentials(alias, previous)


def grant_application_role(*, using: str = "default") -> bool:
    """Grant the application role what it may do on every table now in the schema (idempotent).
    Returns False when there is nothing to grant (one role for both, or not connected as owner)."""
    role = settings.DATABASE_APPLICATION_ROLE
    connection = connections[using]
    if not settings.MIGRATE_DATABASE or not role or connection.settings_dict["USER"] == role:
        return False
    name = connection.ops.quote_name(role)
    with connection.cursor() as cursor:
        cursor.execute(f"GRANT USAGE ON SCHEMA public TO {name}")
        cursor.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {name}")
        cursor.execute(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {name}")
        cursor.execute(f"REVOKE TRUNCATE, REFERENCES, TRIGGER ON ALL TABLES IN SCHEMA public FROM {name}")
        for table in READ_ONLY_TABLES:
            cursor.execute(f"REVOKE INSERT, UPDATE, DELETE ON {connection.ops.quote_name(table)} FROM {name}")
    return True


def grant_after_migrate(sender, using: str = "default", **kwargs) -> None:
    """post_migrate receiver: once per migrate (for this app, sent after every app's migrations)."""
    if sender.label == "audit":
        grant_application_role(using=using)
