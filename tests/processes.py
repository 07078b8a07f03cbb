"""Real processes for tests about timing and faults: a Celery worker, Celery beat and the ASGI server,
on the test database and the test Redis."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator
from urllib.parse import quote

from django.db import connection

from emergency.embedded import free_port  # noqa: F401  (the tests' one way to pick a port)

ROOT = Path(__file__).resolve().parent.parent


def current_database_url() -> str:
    """A DATABASE_URL for the database this test process is using (the test database)."""
    s = connection.settings_dict
    host = quote(s["HOST"], safe="") if s["HOST"].startswith("/") else s["HOST"]
    port = f":{s['PORT']}" if s["PORT"] else ""
    password = f":{quote(s['PASSWORD'], safe='')}" if s["PASSWORD"] else ""
    return f"postgres://{s['USER']}{password}@{host}{port}/{s['NAME']}"


def process_env(**extra: str) -> dict[str, str]:
    return {**os.environ, "DATABASE_URL": current_database_url(), "PYTHONUNBUFFERED": "1", **extra}


@contextmanager
def celery_worker(*, concurrency: int = 1, ready_timeout: float = 60.0, beat: bool = False,
                  env: dict[str, str] | None = None) -> Iterator[subprocess.Popen]:
    """Start `celery worker` (with embedded beat if asked) in its own process group; yield it once ready.

    `os.killpg(worker.pid, signal.SIGKILL)` kills it and its pool children at once.
    """
    command = [sys.executable, "-m", "celery", "-A", "emergency", "worker", "-l", "info",
               "--concurrency", str(concurrency), "--without-gossip", "--without-mingle", "--without-heartbeat"]
    if beat:
        command += ["-B", "--scheduler", "django_celery_beat.schedulers:DatabaseScheduler",
                    "-s", f"/tmp/celerybeat-{os.getpid()}"]
    with _process(command, " ready.", "Celery worker", ready_timeout, env) as process:
        yield process


@contextmanager
def celery_beat(*, ready_timeout: float = 60.0, env: dict[str, str] | None = None) -> Iterator[subprocess.Popen]:
    """Start `celery beat` alone (the database scheduler); yield it once it has started."""
    command = [sys.executable, "-m", "celery", "-A", "emergency", "beat", "-l", "info",
               "--scheduler", "django_celery_beat.schedulers:DatabaseScheduler"]
    with _process(command, "beat: Starting", "Celery beat", ready_timeout, env) as process:
        yield process


@contextmanager
def _process(command: list[str], ready_marker: str, name: str, ready_timeout: float,
             env: dict[str, str] | None) -> Iterator[subprocess.Popen]:
    """Run `command` in its own process group, its output collected in `process.output`; yield it
    once a line contains `ready_marker`; stop it (SIGTERM, then SIGKILL) when done."""
    process = subprocess.Popen(
        command, cwd=ROOT, env=process_env(**(env or {})), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        text=True, start_new_session=True,
    )
    ready = threading.Event()
    output: list[str] = []

    def read() -> None:
        for line in process.stdout:
            output.append(line)
            if ready_marker in line:
                ready.set()

    threading.Thread(target=read, daemon=True).start()
    try:
        deadline = time.monotonic() + ready_timeout
        while not ready.wait(0.1):
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"{name} did not start:\n" + "".join(output[-40:]))
        process.output = output  # type: ignore[attr-defined]
        yield process
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


def wait_for(predicate, *, timeout: float = 30.0, interval: float = 0.1):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"condition not met within {timeout}s")


def run_async(coroutine):
    """Run a coroutine on a fresh loop in its own thread (the test thread may host Playwright's loop)."""
    import asyncio

    result = {}

    def target():
        try:
            result["value"] = asyncio.run(coroutine)
        except BaseException as error:  # re-raised in the test thread
            result["error"] = error

    thread = threading.Thread(target=target)
    thread.start()
    thread.join()
    if "error" in result:
        raise result["error"]
    return result.get("value")


@contextmanager
def asgi_server(*, port: int | None = None, ready_timeout: float = 60.0, env: dict[str, str] | None = None,
                app: str = "emergency.asgi:application", server: str = "daphne",
                options: tuple[str, ...] | None = None) -> Iterator[subprocess.Popen]:
    """Start an ASGI server (HTTP and WebSockets, and a live-event relay candidate): daphne, or
    uvicorn with the sans-I/O websockets protocol, on the test database and Redis; yield it once it
    listens, with `.url`. Several share one channel layer. Static files are served from the sources
    (nothing collected). `options` replace the server's default flags (e.g. the production compose
    file's)."""
    port = port or free_port()
    if server == "uvicorn":
        flags = options if options is not None else (
            "--ws", "websockets-sansio", "--lifespan", "off", "--no-access-log", "--timeout-keep-alive", "75",
            "--no-proxy-headers")
        command = [sys.executable, "-m", "uvicorn", "--host", "127.0.0.1", "--port", str(port), *flags, app]
        ready = "Uvicorn running on"
    else:
        command = [sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port), *(options or ()), app]
        ready = "Listening on TCP address"
    extra = {"WHITENOISE_USE_FINDERS": "1",
             "STATICFILES_BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage", **(env or {})}
    with _process(command, ready, server, ready_timeout, extra) as process:
        process.url = f"http://127.0.0.1:{port}"  # type: ignore[attr-defined]
        yield process


def server_login(*users) -> None:
    """Give users a password the servers' own hasher reads (tests hash with MD5 for speed)."""
    from django.contrib.auth.hashers import PBKDF2PasswordHasher
    from django.utils.crypto import get_random_string

    from .factories import PASSWORD

    for user in users:
        user.password = PBKDF2PasswordHasher().encode(PASSWORD, get_random_string(12), iterations=1000)
        user.save(update_fields=["password"])
