"""One migrated database per test run, copied for each xdist worker.

Migrating takes each worker half a minute or more (a minute when the workers migrate at once on two
cores). Instead the first worker to take the lock migrates `<test name>_template` (marked with the
run's id), and every worker creates its own database from it with `CREATE DATABASE ... TEMPLATE`,
a copy of the files: the same schema, triggers, grants and shipped rows as a migrate gives. pytest-django
then only checks that nothing is left to migrate. `--reuse-db` and `--create-db` keep pytest-django's
own behaviour; so does a run without xdist.
"""
from __future__ import annotations

import fcntl
import hashlib
import tempfile
from pathlib import Path

from django.db import connections

SUFFIX = "_template"


def _template_name(worker_database: str) -> str:
    return worker_database.rsplit("_gw", 1)[0] + SUFFIX


def _lock_path(settings_dict: dict) -> Path:
    server = f"{settings_dict['HOST']}:{settings_dict['PORT']}:{_template_name(settings_dict['TEST']['NAME'])}"
    return Path(tempfile.gettempdir()) / f"test-db-template-{hashlib.sha1(server.encode()).hexdigest()[:12]}.lock"


def copy_from_template(run_id: str) -> None:
    """Create this worker's test database from the run's template, migrating the template first if
    no worker has yet. Connected as the owner role (it creates the databases)."""
    connection = connections["default"]
    settings_dict = connection.settings_dict
    mine = settings_dict["TEST"]["NAME"]
    template = _template_name(mine)
    quote = connection.ops.quote_name
    with open(_lock_path(settings_dict), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        with connection._nodb_cursor() as cursor:
            cursor.execute("SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
                           [template])
            row = cursor.fetchone()
        if row is None or row[0] != run_id:  # none yet, or an earlier run's
            drop_template(mine)
            original = settings_dict["NAME"]
            settings_dict["TEST"]["NAME"] = template
            try:
                connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
                with connection.cursor() as cursor:
                    cursor.execute(f"COMMENT ON DATABASE {quote(template)} IS %s", [run_id])
            finally:
                connection.close()
                settings_dict["TEST"]["NAME"], settings_dict["NAME"] = mine, original
        with connection._nodb_cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {quote(mine)}")
            cursor.execute(f"CREATE DATABASE {quote(mine)} TEMPLATE {quote(template)}")


def drop_database(name: str) -> None:
    """Drop a test database this run made (as the owner), with any session a test left on it."""
    connection = connections["default"]
    connection.close()
    with connection._nodb_cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {connection.ops.quote_name(name)} WITH (FORCE)")


def drop_template(worker_database: str) -> None:
    drop_database(_template_name(worker_database))
