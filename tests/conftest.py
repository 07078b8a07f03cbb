"""Shared fixtures: a small organisation with two top units, and API clients per role.

    A (city)                 B (city)        <- a second, unrelated organisation
    ├── A1 (county)
    │   └── A1a (township)
    └── A2 (county)          <- A1's sibling
"""
from __future__ import annotations

import os
from dataclasses import dataclass

import pytest
from django.conf import settings
from django.db import connections
from pytest_django.plugin import blocking_manager_key
from rest_framework.test import APIClient

from emergency.audit.roles import owner_session, use_credentials, use_owner
from emergency.org.models import OrgUnit
from emergency.org.roles import Role

from . import db_template
from .db_roles import install_flush_as_owner
from .factories import DepartmentFactory, ExpertFactory, ExpertPoolFactory, UnitFactory, user_with_role

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop
settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed; never in production
settings.LIVE_RELAY = False  # importing the ASGI app must not start a relay; tests that need one use live_relay
settings.STATIC_ROOT.mkdir(parents=True, exist_ok=True)
settings.STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
install_flush_as_owner()  # transactional tests' flush runs as the owner (official tables refuse TRUNCATE)
_application_credentials: list[dict | None] = []
_copied: list[str] = []  # test databases made from the run's template, dropped at the end
NO_COMMIT_WAIT = "synchronous_commit=off"


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """The test database is created and migrated as the owner role (MIGRATE_DATABASE_URL)...

    A throw-away database need not survive a crash of its server: its commits do not wait for the
    WAL to reach the disk (`synchronous_commit`, durability only: what a transaction sees and
    whether it commits are unchanged). The fault tests crash servers of their own, fsync off too."""
    connections["default"].settings_dict.setdefault("OPTIONS", {})["options"] = f"-c {NO_COMMIT_WAIT}"
    _application_credentials.append(use_owner("default"))


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """...and the tests run as the application role, as web, worker and beat do (the processes the
    tests start connect to the same database with its setting)."""
    with django_db_blocker.unblock():
        with connections["default"].cursor() as cursor:
            name = connections["default"].ops.quote_name(connections["default"].settings_dict["NAME"])
            cursor.execute(f"ALTER DATABASE {name} SET {NO_COMMIT_WAIT}")
        use_credentials("default", _application_credentials[0])
    yield
    with django_db_blocker.unblock():
        use_owner("default")  # the owner drops the test database
        for name in _copied:
            db_template.drop_database(name)


@pytest.fixture(scope="session")
def django_db_keepdb(request, django_db_modify_db_settings, django_db_blocker) -> bool:
    """Under xdist each worker's database is a copy of one migrated per run (tests/db_template.py),
    which pytest-django then keeps: this module drops it at the end."""
    reuse, worker = request.config.getvalue("reuse_db"), getattr(request.config, "workerinput", None)
    if reuse or request.config.getvalue("create_db") or worker is None:
        return reuse
    with django_db_blocker.unblock():
        db_template.copy_from_template(worker["testrunuid"])
    _copied.append(connections["default"].settings_dict["TEST"]["NAME"])
    return True


def pytest_sessionfinish(session):
    """The controller of an xdist run drops the run's template once every worker is done."""
    config = session.config
    if hasattr(config, "workerinput") or not getattr(config.option, "numprocesses", None) or config.getvalue(
            "reuse_db") or config.getvalue("create_db"):
        return
    database = settings.DATABASES["default"]
    name = database.get("TEST", {}).get("NAME") or f"test_{database['NAME']}"
    try:
        with config.stash[blocking_manager_key].unblock(), owner_session("default"):
            db_template.drop_template(name)
    except Exception as error:  # the next run replaces a template it finds
        print(f"test database template not dropped: {error}")


@dataclass
class Org:
    a: OrgUnit
    a1: OrgUnit
    a1a: OrgUnit
    a2: OrgUnit
    b: OrgUnit


@pytest.fixture
def org(db) -> Org:
    a = UnitFactory(code="a", name="甲市", name_en="City A")
    a1 = UnitFactory(code="a1", name="甲一县", name_en="County A1", parent=a, kind=OrgUnit.Kind.COUNTY)
    a1a = UnitFactory(code="a1a", name="甲一乡", name_en="Township A1a", parent=a1, kind=OrgUnit.Kind.TOWNSHIP)
    a2 = UnitFactory(code="a2", name="甲二县", name_en="County A2", parent=a, kind=OrgUnit.Kind.COUNTY)
    b = UnitFactory(code="b", name="乙市", name_en="City B")
    for unit in (a, a1, a1a, a2, b):
        department = DepartmentFactory(unit=unit, code=f"{unit.code}-office", name=f"{unit.name}办公室")
        ExpertFactory(pool=ExpertPoolFactory(unit=unit, name=f"{unit.name}专家组"), name=f"{unit.name}专家")
        assert department.pk
    return Org(a=a, a1=a1, a1a=a1a, a2=a2, b=b)


@pytest.fixture
def make_user(db):
    return user_with_role


@pytest.fixture
def api_as():
    """api_as(user) → an APIClient authenticated as `user`."""

    def make(user, language: str = "zh-hans") -> APIClient:
        client = APIClient(HTTP_ACCEPT_LANGUAGE=language)
        client.force_login(user)
        return client

    return make


ALL_ROLES = [role.value for role in Role]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    from .browser import CHROMIUM, CHROMIUM_ARGS

    return {**browser_type_launch_args, "executable_path": str(CHROMIUM), "args": CHROMIUM_ARGS, "headless": True}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    """Duty officers' browsers ask for Chinese, as they do in the field."""
    return {**browser_context_args, "locale": "zh-CN"}


@pytest.fixture
def grading_tables(transactional_db):
    """The shipped grading tables, reloaded after an earlier transactional test emptied the database."""
    from incidents.grading.loader import ensure_defaults

    ensure_defaults()


@pytest.fixture(autouse=True)
def _fresh_grading_cache():
    """Each test sees the tables of its own database state, not a rolled-back one's."""
    from emergency.org.tree import forget_paths
    from incidents.grading import engine
    from incidents.grading.selectors import forget_type_choices

    engine.forget_compiled()
    forget_paths()
    forget_type_choices()
    yield
    engine.forget_compiled()
    forget_paths()
    forget_type_choices()


# The longest tests (half a minute to two minutes each, measured) run first within their group, so
# that no worker is left with one of them while the others have finished: xdist hands the
# collection out in order. pytest-django's groups stay in its order (tests in a transaction, then
# transactional ones, which leave the database empty, then those without a database).
LONGEST_FIRST = ("tests/test_api_fuzz.py::", "tests/test_scope_matrix.py::test_no_role_reaches_",
                 "tests/test_browser_journey_", "tests/test_browser_navigation.py::test_each_role_",
                 "tests/test_faults.py::", "tests/test_scope_matrix.py::", "tests/test_browser_")


def _database_group(item) -> int:
    marker, fixtures = item.get_closest_marker("django_db"), item.fixturenames
    if "transactional_db" in fixtures or (marker and (marker.kwargs.get("transaction") or marker.kwargs.get(
            "reset_sequences"))):
        return 1
    return 0 if marker or "db" in fixtures else 2


def pytest_collection_modifyitems(items):
    def rank(item) -> tuple[int, int]:
        return _database_group(item), next(
            (n for n, prefix in enumerate(LONGEST_FIRST) if item.nodeid.startswith(prefix)), len(LONGEST_FIRST))

    items.sort(key=rank)  # stable: the rest keep their order


def pytest_terminal_summary(terminalreporter):
    """The fault tests (test_faults.py) record what each proved; list it at the end, also under xdist."""
    lines = [value for report in terminalreporter.stats.get("passed", [])
             for name, value in report.user_properties if name == "proved"]
    if lines:
        terminalreporter.section("what the fault tests proved")
        for line in lines:
            terminalreporter.write_line(line)


@pytest.fixture
def live_relay(transactional_db):
    """This process's outbox relay, sending committed live events to the channel layer."""
    from emergency.dashboard.relay import Relay

    relay = Relay(poll_seconds=0.2).start()
    assert relay.active.wait(10), "the live relay did not take the lock"
    yield relay
    relay.stop()
