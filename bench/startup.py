"""Time of the run command from cold to the first HTTP 200 and to the Celery worker being ready.

    python3 bench/startup.py            # uses a fresh data directory (first start: initdb, migrate, demo)
                                         # then starts again on the same data (warm start)

Prints one line per phase and run; the virtualenv must exist already (`python3 dev.py test` makes it).
"""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from emergency.embedded import free_port  # noqa: E402


def measure(var_dir: Path, label: str) -> dict[str, float]:
    port = free_port()
    env = {**os.environ, "EMERGENCY_VAR_DIR": str(var_dir), "PORT": str(port)}
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    started = time.monotonic()
    process = subprocess.Popen([sys.executable, str(ROOT / "dev.py"), "run"], cwd=ROOT, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)
    marks: dict[str, float] = {}

    def read() -> None:
        for line in process.stdout:
            if "celery@" in line and " ready." in line and "worker_ready" not in marks:
                marks["worker_ready"] = time.monotonic() - started
            if "PostgreSQL 16 (embedded) ready" in line:
                marks.setdefault("postgres_ready", time.monotonic() - started)

    threading.Thread(target=read, daemon=True).start()
    deadline = started + 300
    try:
        while time.monotonic() < deadline and "first_http_200" not in marks:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/", timeout=2) as response:
                    if response.status == 200:
                        marks["first_http_200"] = time.monotonic() - started
            except OSError:
                time.sleep(0.1)
        while time.monotonic() < deadline and "worker_ready" not in marks:
            time.sleep(0.1)
    finally:
        os.killpg(process.pid, signal.SIGINT)
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
    for name in ("postgres_ready", "first_http_200", "worker_ready"):
        value = marks.get(name)
        print(f"{label:5} {name:15} {'%.2f s' % value if value is not None else 'not reached'}")
    return marks


def main() -> None:
    var_dir = Path(tempfile.mkdtemp(prefix="emergency-bench-"))
    try:
        measure(var_dir, "cold")
        measure(var_dir, "warm")
    finally:
        shutil.rmtree(var_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
