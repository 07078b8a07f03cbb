"""The shape of the house, checked: dependencies run one way (core <- plans <- incidents.grading <-
incidents <- incidents.response <- alerts <- resources; the project's composition on top), and no
source file is too long to read in one sitting."""
import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ORDER = ["core", "plans", "incidents.grading", "incidents", "incidents.response", "alerts", "resources", "top"]
# The project package composes the apps: its URLconf, settings, entry points, dashboard and demo data.
TOP = {"urls", "settings", "asgi", "wsgi", "routing", "celery", "dashboard", "search", "demo"}  # and what reads every app
SKIP = {".venv", "var", "node_modules", "migrations", "static"}
MAX_LINES = 400


def layer(module: str) -> str | None:
    parts = module.split(".")
    if parts[0] == "emergency":
        return "top" if len(parts) > 1 and parts[1] in TOP else "core"
    if parts[0] == "incidents" and len(parts) > 1 and parts[1] in ("grading", "response"):
        return f"incidents.{parts[1]}"
    return parts[0] if parts[0] in ORDER else None


def sources(*roots: str):
    for root in roots:
        for path in (ROOT / root).rglob("*.py"):
            if not SKIP & set(path.relative_to(ROOT).parts):
                yield path


def imports(path: Path):
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and not node.level and node.module:
            yield node.lineno, node.module
        elif isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name


def wrong_way(paths, root: Path = ROOT) -> list[str]:
    found = []
    for path in paths:
        module = ".".join(path.relative_to(root).with_suffix("").parts).removesuffix(".__init__")
        mine = layer(module)
        if mine is None:
            continue
        for line, name in imports(path):
            theirs = layer(name)
            if theirs and ORDER.index(theirs) > ORDER.index(mine):
                found.append(f"{path.relative_to(root)}:{line} ({mine}) imports {name} ({theirs})")
    return found


APPS = ["emergency", "plans", "incidents", "alerts", "resources"]


def test_dependencies_run_one_way():
    found = wrong_way(sources(*[a for a in APPS if (ROOT / a).exists()]))
    assert not found, "imports that run the wrong way:\n" + "\n".join(found)


def test_the_check_catches_an_import_up(tmp_path):
    """The checker itself: a core module importing a domain app (even inside a function), and plans
    importing incidents."""
    (tmp_path / "emergency" / "org").mkdir(parents=True)
    (tmp_path / "plans").mkdir()
    core = tmp_path / "emergency" / "org" / "probe.py"
    plans = tmp_path / "plans" / "probe.py"
    core.write_text("def f():\n    from alerts.models import EarlyWarning\n", encoding="utf-8")
    plans.write_text("from incidents.response import services\n", encoding="utf-8")
    found = wrong_way([core, plans], root=tmp_path)
    assert len(found) == 2 and "alerts.models (alerts)" in found[0] and "(incidents.response)" in found[1]


@pytest.mark.parametrize("root", ["emergency", "plans", "incidents", "alerts", "resources", "tests", "bench"])
def test_no_file_is_over_400_lines(root):
    if not (ROOT / root).exists():
        pytest.skip(f"no {root}/")
    long = [f"{p.relative_to(ROOT)}: {n}" for p in sources(root)
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES]
    assert not long, f"files over {MAX_LINES} lines: {long}"
