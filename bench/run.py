"""Run a benchmark script against this checkout's embedded PostgreSQL and a throw-away Redis, as
`dev.py test` does for the tests (a benchmark makes its own throw-away database):

    .venv/bin/python bench/run.py bench/state.py --incidents 10000
"""
from __future__ import annotations

import os
import secrets
import subprocess
import sys
from contextlib import ExitStack
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from emergency import embedded  # noqa: E402


def main() -> int:
    with ExitStack() as stack:
        database = stack.enter_context(embedded.embedded_postgres(embedded.VAR / "pg"))
        redis_url = stack.enter_context(embedded.embedded_redis(embedded.VAR / "redis-bench", persistent=False))
        env = {**os.environ, **database, "REDIS_URL": redis_url, "DJANGO_SETTINGS_MODULE": "emergency.settings",
               "DJANGO_SECRET_KEY": os.environ.get("DJANGO_SECRET_KEY", "bench-only-" + secrets.token_hex(16))}
        embedded._manage(env, "compile_translations")
        return subprocess.run([sys.executable, *sys.argv[1:]], env=env, cwd=ROOT).returncode


if __name__ == "__main__":
    raise SystemExit(main())
