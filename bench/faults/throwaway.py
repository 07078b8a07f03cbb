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
    from bench.common import throwaway_database

    with throwaway_database(f"bench_faults_{os.getpid()}"):  # never a test run's database
        return 0 if run() else 1
