"""The test suite's side of the database roles: the test databases are created and migrated as the
owner role, the tests then run as the application role (as web, worker and beat do), and the flush
after a transactional test runs as the owner, the TRUNCATE guards lifted inside its own transaction."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import psycopg2
from django.conf import settings
from django.core.management.commands import flush
from django.db import connections

from emergency.audit.db import NO_TRUNCATE_SUFFIX
from emergency.audit.roles import owner_session

_django_flush = flush.Command.handle


def _guards(connection) -> list[tuple[str, str]]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT t.tgrelid::regclass::text, t.tgname FROM pg_trigger t WHERE t.tgname LIKE %s",
                       [f"%{NO_TRUNCATE_SUFFIX}"])
        return cursor.fetchall()


def flush_as_owner(self, **options):
    """`manage.py flush` between transactional tests: official tables refuse TRUNCATE, so the owner
    switches their guards off and on again around it, in the flush's one transaction."""
    alias = options.get("database", "default")
    with owner_session(alias):
        connection = connections[alias]
        guards = _guards(connection)
        original = connection.ops.execute_sql_flush

        def execute(sql_list):
            return original([*(f"ALTER TABLE {table} DISABLE TRIGGER {name}" for table, name in guards), *sql_list,
                             *(f"ALTER TABLE {table} ENABLE TRIGGER {name}" for table, name in guards)])

        connection.ops.execute_sql_flush = execute
        try:
            return _django_flush(self, **options)
        finally:
            del connection.ops.execute_sql_flush


def install_flush_as_owner() -> None:
    flush.Command.handle = flush_as_owner


@contextmanager
def owner_connection() -> Iterator[psycopg2.extensions.connection]:
    """A separate connection to the test database as the owner role (what an attacker holding the
    migrations' credentials could do), autocommit, that gives up on a lock after 10 s."""
    owner = settings.MIGRATE_DATABASE
    assert owner, "the tests run with MIGRATE_DATABASE_URL (python3 dev.py test sets it)"
    connection = psycopg2.connect(dbname=connections["default"].settings_dict["NAME"], user=owner["USER"],
                                  password=owner["PASSWORD"] or None, host=owner["HOST"] or None,
                                  port=owner["PORT"] or None, options="-c lock_timeout=10s")
    connection.autocommit = True
    try:
        yield connection
    finally:
        connection.close()
