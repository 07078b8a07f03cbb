"""Django on a throwaway database of its own (migrated, dropped at the end) for the fault benchmarks."""
from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "emergency.settings")


def on_throwaway_database(run: Callable[[], bool]) -> int:
    """Run `run` against a fresh database; exit status 0 when it returns True."""
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import setup_test_environment

    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    connection.settings_dict["TEST"]["NAME"] = f"bench_faults_{os.getpid()}"  # never a test run's database
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        return 0 if run() else 1
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
