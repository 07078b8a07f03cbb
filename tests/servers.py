"""Servers a fault test owns: its own Redis and its own PostgreSQL on free loopback ports, so that
it can stop and restart them without touching the servers other tests (or other people) use."""
from __future__ import annotations

import os
import re
import signal
import subprocess
import tempfile
import warnings
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from emergency.embedded import free_port, redis_server_binary, wait_for_redis


class OwnRedis:
    """A throw-away redis-server; `stop()` and `start()` again on the same port."""

    def __init__(self) -> None:
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [str(redis_server_binary()), "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--logfile", ""], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL)
        wait_for_redis(self.port, self.process, timeout=10)

    def stop(self) -> None:
        """Kill it as a crash would (its data goes: the platform must not rely on what was queued)."""
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait()


@contextmanager
def own_redis() -> Iterator[OwnRedis]:
    server = OwnRedis()
    server.start()
    try:
        yield server
    finally:
        server.stop()


class OwnPostgres:
    """A throw-away PostgreSQL cluster (the `pgserver` wheel's binaries) in a temporary directory,
    listening on a free loopback port; `stop()` kills it like a crash, `start()` recovers it."""

    def __init__(self, directory: Path) -> None:
        with warnings.catch_warnings():  # platformdirs warns that XDG_RUNTIME_DIR is unset
            warnings.simplefilter("ignore")
            from pgserver._commands import POSTGRES_BIN_PATH

        self.bin = POSTGRES_BIN_PATH
        self.data = directory / "data"
        self.port = free_port()
        self.user = None
        if os.geteuid() == 0:  # PostgreSQL refuses to run as root: pgserver's own unprivileged user
            from pgserver.utils import ensure_prefix_permissions, ensure_user_exists

            self.user = "pgserver"
            entry = ensure_user_exists(self.user)
            ensure_prefix_permissions(directory)
            os.chown(directory, entry.pw_uid, entry.pw_gid)
        self._run("initdb", "-D", str(self.data), "--auth=trust", "--encoding=utf8", "-U", "postgres", "--no-sync")

    def url(self, database: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def _run(self, program: str, *args: str) -> None:
        subprocess.run([str(self.bin / program), *args], check=True, user=self.user, cwd=self.data.parent,
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=60)

    def start(self) -> None:
        options = f"-h 127.0.0.1 -p {self.port} -k {self.data} -c fsync=off"
        self._run("pg_ctl", "-D", str(self.data), "-w", "-o", options, "-l", str(self.data / "log"), "start")

    def stop(self, mode: str = "immediate") -> None:
        """`immediate`: no clean shutdown, open transactions are lost as in a crash."""
        self._run("pg_ctl", "-D", str(self.data), "-w", "-m", mode, "stop")

    def create_database(self, name: str) -> None:
        self._run("psql", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "-q", "-c",
                  f"CREATE DATABASE {name}")

    def copy_database(self, source: dict, name: str) -> None:
        """Create `name` as a copy of the database Django's `source` settings point at (a test
        database, already migrated): much faster than running the migrations again."""
        self.create_database(name)
        conninfo = " ".join(f"{key}={value}" for key, value in (
            ("host", source["HOST"]), ("port", source["PORT"]), ("user", source["USER"]), ("dbname", source["NAME"]))
            if value)
        dump = subprocess.run([str(self.bin / "pg_dump"), "--no-owner", "--no-privileges", conninfo], check=True,
                              capture_output=True, env={**os.environ, "PGPASSWORD": source["PASSWORD"] or ""})
        # Per-column options are planner hints our schema never sets; some distributions' servers
        # add private ones (pg_attver=...) that a stock server refuses.
        schema = re.sub(rb"(?m)^ALTER TABLE ONLY \S+ ALTER COLUMN \S+ SET \(.*\);\n", b"", dump.stdout)
        subprocess.run([str(self.bin / "psql"), "-q", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1", "-p",
                        str(self.port), "-U", "postgres", "-d", name], input=schema, check=True, capture_output=True)


@contextmanager
def own_postgres() -> Iterator[OwnPostgres]:
    with tempfile.TemporaryDirectory(prefix="faults-pg-") as directory:
        server = OwnPostgres(Path(directory))
        server.start()
        try:
            yield server
        finally:
            try:
                server.stop()
            except subprocess.CalledProcessError:
                pass  # already stopped
