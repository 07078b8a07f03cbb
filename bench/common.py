"""Shared by the benchmark scripts: percentiles and one-line reports."""
from __future__ import annotations

import threading
import time
from contextlib import contextmanager


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]


def report(label: str, latencies: list[float], elapsed: float) -> float:
    ms = [x * 1000 for x in latencies]
    rate = len(latencies) / elapsed
    print(f"{label:<28} {rate:8.1f} req/s   p50 {percentile(ms, 50):6.2f} ms   p95 {percentile(ms, 95):6.2f} ms"
          f"   p99 {percentile(ms, 99):6.2f} ms")
    return rate


@contextmanager
def throwaway_database(name: str | None = None):
    """Django set up on a fresh, migrated database of its own (`name`, or the test database's name),
    dropped at the end: a benchmark never touches real data or a test run's database."""
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import setup_test_environment

    from emergency.audit.roles import use_credentials, use_owner

    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    if name:
        connection.settings_dict["TEST"]["NAME"] = name
    application = use_owner()  # created and migrated as the owner role (MIGRATE_DATABASE_URL), if any
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    use_credentials("default", application)  # measured as the platform's role
    try:
        yield
    finally:
        connection.close()
        use_owner()
        connection.creation.destroy_test_db(old_name, verbosity=0)


class ConnectionsWatch(threading.Thread):
    """The most connections the web processes held at once (their application_name)."""

    def __init__(self, dsn: dict, application_name: str) -> None:
        super().__init__(daemon=True)
        self.dsn, self.name, self.samples, self.halt = dsn, application_name, [], threading.Event()

    def run(self) -> None:
        import psycopg2

        raw = psycopg2.connect(**self.dsn)
        raw.autocommit = True
        with raw.cursor() as cursor:
            while not self.halt.is_set():
                cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE application_name = %s", [self.name])
                self.samples.append(cursor.fetchone()[0])
                time.sleep(0.05)
        raw.close()
