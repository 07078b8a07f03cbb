"""Scope leak matrix over every URL that names an object by id, generated from the URL conf.

    R (city: the organisation whose rules apply)
    └── P (county: the parent)
        ├── S1 (township: the users' unit)
        └── S2 (township: the sibling)

A user of each role in S1 sends every method to the URLs of S2's and P's objects (and, where a URL
names two objects, to S1's outer object with the foreign inner one). A foreign object must look
exactly like a missing one: 404 (405 for a method the URL does not take), or else the very answer
the same request gets for ids that do not exist; never a 2xx, and no write to any table of the
project's apps. A URL with an id argument that the tables below do not map fails this module.
"""
from __future__ import annotations

import re
import sys
import time
from dataclasses import dataclass
from datetime import timedelta
from itertools import product
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.db import connection, transaction
from django.urls import URLResolver, get_resolver, reverse
from django.urls.converters import IntConverter, UUIDConverter
from django.utils import timezone
from rest_framework.test import APIClient

from emergency.org.models import OrgUnit
from emergency.org.roles import DEPARTMENT_ROLES, Role

from .factories import UnitFactory, user_with_role
from .scope_helpers import organisation_rules, unit_objects

# What a URL's `pk` names, by URL name; the longest matching prefix wins.
PK_KINDS = {
    "unit-detail": "unit", "department-edit": "department", "department.": "department", "user.": "user",
    "person-detail": "user", "role_assignment.": "role_assignment", "api:person-": "user",
    "plan-": "plan", "incident-": "incident",
    "response-": "response", "response-transfer-decide": "transfer", "response-decide": "proposal",
    "response-propose": "incident", "response-start": "incident", "annual-review-done": "annual_review",
    "review-duty.": "annual_review", "report-copy.": "report_copy", "api:report-copy-": "report_copy",
    "incident.": "incident", "report.": "report", "release.": "release", "api:incident-release-": "release",
    "api:incident-report-document": "incident", "api:incident-report-": "report", "api:review-duty-": "annual_review",
    "warning-": "warning", "warning.": "warning", "warning_measure.": "measure", "attachment-": "attachment",
    "api:warning-": "warning", "api:warning-measure-": "measure",
    "api:unit-": "unit", "api:department-": "department", "api:expert-pool-": "expert_pool", "api:expert-": "expert",
    "api:role-assignment-": "role_assignment", "api:audit-entry-": "audit_entry", "api:incident-": "incident",
    "api:suggested-level": "incident", "api:plan-": "plan", "api:proposal-": "proposal", "api:response-": "response",
    "plan.": "plan", "opinion.": "opinion", "revision_request.": "revision_request",
    "api:plan-opinion-": "opinion", "api:plan-revision-request-": "revision_request",
    "api:attachment-": "attachment", "response.": "response", "transfer.": "transfer", "proposal.": "proposal",
    "order.": "order", "api:transfer-": "transfer", "api:order-": "order", "api:command-post-": "command_post",
    "api:working-group-": "working_group", "api:response-measure-": "response_measure",
    "response_measure.": "response_measure", "api:key-period-": "key_period",
    "delegation.": "delegation", "api:delegation-": "delegation",
    "help-request.": "help_request", "api:help-request-": "help_request",
    "resources-store": "store", "resources-team-": "team", "resources-request": "resource_request",
    "resources-incident": "incident", "api:resource-team-": "team", "api:resource-store-": "store",
    "api:resource-equipment-": "equipment", "api:resource-shelter-": "shelter",
    "api:resource-request-": "resource_request", "api:resource-nearest": "incident",
    "resources-compensate": "requisition", "resources-warning-": "warning", "resources-standby-": "standby",
    "api:resource-requisition-": "requisition", "api:resource-standby-": "standby",
    "api:resource-training-": "training", "api:resource-sanction-": "sanction", "api:resource-findings": "unit",
}
# Other id arguments name their object themselves; `number` and `sequence` count within the outer object.
ARG_KINDS = {"opinion_pk": "opinion", "request_pk": "revision_request", "report_pk": "report", "report_id": "report",
             "order_pk": "order", "transfer_id": "transfer", "number": "edition", "sequence": "message"}
RELATIVE = {"number": "number", "sequence": "sequence"}  # argument → the attribute of its object that fills it
# URLs outside the matrix, and why.
EXEMPT = {
    "admin:": "Django admin: staff only, and no model of the project is registered (asserted below)",
    "grading-": "the grading standard is national: its tables belong to no unit",
    "api:threshold-table-": "the grading standard is national: its tables belong to no unit",
    "threshold-table.": "the grading standard is national: its tables belong to no unit",
    "criterion.": "the grading standard is national: its tables belong to no unit",
    "api:criterion-": "the grading standard is national: its tables belong to no unit",
    "warning-cap": "the CAP messages of issued warnings are public by design (alerting hubs poll them)",
    "api:resource-supply-": "the catalogue of key supplies is the organisation's: every unit of it reads it",
    "public-warning": "the public page of a warning in force is its CAP <web>, public by design (test_public_warning)",
}
OTHER_ARGS = {"fmt": ["pdf", "docx", "html"]}  # values tried for arguments that name no object
API_OTHER_ARGS = {"fmt": ["pdf", "docx"]}  # the API serves the files; the print page stays a page
# Where the body is validated before the object is looked up, a body that passes, so the lookup is reached.
BODY_FOR = {"incident.release": {"kind": "release"}, "api:plan-drills": {"kind": "tabletop"}}
MISSING = 2**31 - 1
TARGETS = ("sibling", "parent")


@dataclass(frozen=True)
class Route:
    name: str
    path: str
    ids: tuple[str, ...]
    others: tuple[str, ...]

    @property
    def methods(self) -> tuple[str, ...]:
        return ("get", "post", "put", "patch", "delete") if self.path.startswith("api/v1/") else ("get", "post")


def _is_id(name: str, converter) -> bool:
    typed = isinstance(converter, (IntConverter, UUIDConverter))
    return typed or name == "pk" or name.endswith(("_pk", "_id")) or name in ARG_KINDS


def _walk(resolver, path="", namespace="", converters=None):
    for entry in resolver.url_patterns:
        found = {**(converters or {}), **dict.fromkeys(entry.pattern.regex.groupindex),
                 **getattr(entry.pattern, "converters", {})}
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _walk(entry, path + str(entry.pattern), inner, found)
        elif "format" not in found:  # DRF's format-suffix twin of a route listed without it
            ids = tuple(name for name, converter in found.items() if _is_id(name, converter))
            if ids:
                others = tuple(name for name in found if name not in ids)
                yield Route(f"{namespace}{entry.name}", path + str(entry.pattern), ids, others)


def _match(table: dict, name: str):
    prefixes = [prefix for prefix in table if name.startswith(prefix)]
    return table[max(prefixes, key=len)] if prefixes else None


def id_routes() -> tuple[list[Route], list[str]]:
    """The routes of the matrix, and what is wrong with each route it cannot cover."""
    routes, problems = [], []
    for route in _walk(get_resolver()):
        if _match(EXEMPT, route.name):
            continue
        unmapped = [arg for arg in route.ids if arg != "pk" and arg not in ARG_KINDS]
        unmapped += ["pk"] if "pk" in route.ids and not _match(PK_KINDS, route.name) else []
        unmapped += [arg for arg in route.others if arg not in OTHER_ARGS]
        if unmapped or route.name.split(":")[-1] == "None":
            problems.append(f"{route.path} ({route.name}): map {', '.join(unmapped) or 'a URL name'}")
        else:
            routes.append(route)
    return routes, problems


def _project_app(config) -> bool:
    where = Path(config.path)
    return where.is_relative_to(settings.BASE_DIR) and not where.is_relative_to(sys.prefix)


def test_every_url_with_an_id_is_mapped_to_objects_or_exempted():
    routes, problems = id_routes()
    assert not problems, "URLs the scope matrix cannot cover; add them to its tables:\n" + "\n".join(problems)
    assert {"plan-edition", "report.send", "api:incident-report-send", "api:suggested-level"} <= {
        route.name for route in routes}


def test_the_admin_exposes_no_model_of_the_project():
    assert not [model for model in admin.site._registry if _project_app(model._meta.app_config)]


class Writes:
    """Rows inserted, updated and deleted so far in this (the test's) transaction, per table of the
    project's apps, from PostgreSQL's own counters: one cheap query, and no write goes unseen, not
    even one rolled back to a savepoint afterwards."""

    SQL = "SELECT relname, n_tup_ins, n_tup_upd, n_tup_del FROM pg_stat_xact_user_tables WHERE relname = ANY(%s)"

    def __init__(self):
        self.tables = sorted({model._meta.db_table for config in apps.get_app_configs() if _project_app(config)
                              for model in config.get_models(include_auto_created=True)})

    def take(self) -> dict[str, tuple[int, ...]]:
        with connection.cursor() as cursor:
            cursor.execute(self.SQL, [self.tables])
            return {table: tuple(counts) for table, *counts in cursor.fetchall()}

    @staticmethod
    def changed(before: dict, after: dict) -> list[str]:
        return sorted(table for table in before.keys() | after.keys() if before.get(table) != after.get(table))


def test_the_write_counters_see_a_write(db):
    """The matrix's change detector is not blind: a write rolled back to its savepoint still shows."""
    unit, writes = UnitFactory(), Writes()
    before = writes.take()
    with transaction.atomic():
        OrgUnit.objects.filter(pk=unit.pk).update(name="改名")
        transaction.set_rollback(True)
    assert writes.changed(before, writes.take()) == ["org_orgunit"]


# --- The objects, the requests and the verdicts ------------------------------------------------

@pytest.fixture
def tree(db):
    root = UnitFactory(code="r", name="贵港市")
    parent = UnitFactory(code="p", name="港北区", parent=root, kind=OrgUnit.Kind.COUNTY)
    own = UnitFactory(code="s1", name="甲镇", parent=parent, kind=OrgUnit.Kind.TOWNSHIP)
    sibling = UnitFactory(code="s2", name="乙镇", parent=parent, kind=OrgUnit.Kind.TOWNSHIP)
    organisation_rules(root)
    return {"own": unit_objects(own), "sibling": unit_objects(sibling), "parent": unit_objects(parent)}


def _value(objects: dict, route: Route, arg: str) -> int:
    kind = _match(PK_KINDS, route.name) if arg == "pk" else ARG_KINDS[arg]
    return getattr(objects[kind], RELATIVE.get(arg, "pk"))


def _others(route: Route) -> list[dict]:
    table = API_OTHER_ARGS if route.path.startswith("api/") else OTHER_ARGS
    return [dict(zip(route.others, values)) for values in product(*(table[a] for a in route.others))]


def _combos(route: Route, tree: dict):
    """(label, target, kwargs, the foreign arguments) for each foreign target, and with S1's outer object."""
    inner = [arg for arg in route.ids if arg != "pk" and arg not in RELATIVE]
    for target, extra in product(TARGETS, _others(route)):
        yield target, target, {**extra, **{a: _value(tree[target], route, a) for a in route.ids}}, route.ids
        if "pk" in route.ids and inner:
            kwargs = {**extra, "pk": _value(tree["own"], route, "pk"),
                      **{a: _value(tree[target], route, a) for a in inner}}
            yield f"S1's with {target}'s", target, kwargs, tuple(inner)


def _payload(own: dict, target: dict) -> dict:
    """One body for every write, valid enough for each form and serializer to reach its object: the
    user's own department and unit where one is chosen, the target's measure and route step."""
    words = dict.fromkeys(("reason", "reasons", "body", "text", "note", "resolution", "opinion", "name", "location",
                           "description", "change_summary", "findings", "summary", "causes", "task",
                           "responsible_person", "area_desc", "points", "channel"), "越权写入")
    today = timezone.localdate()
    return {**words, "confirm": "on", "accept": "1", "outcome": "approved", "level": "3", "grade": "III",
            "kind": "follow_up", "status": "acknowledged", "state": "done", "trigger": "other", "conclusion": "keep",
            "sections": "1 总则\n越权写入", "touches_key_content": "on", "key": "standby", "held_on": today.isoformat(),
            "due_on": (today + timedelta(days=9)).isoformat(), "acknowledge_within_minutes": "10",
            "released_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "department": own["department"].pk, "lead_department": own["department"].pk,
            "responsible_unit": own["unit"].pk, "departments": [own["department"].pk],
            "measure": target["measure"].pk, "step": target["step"].pk}


def _send(client, route: Route, method: str, kwargs: dict, payload: dict):
    url = reverse(route.name, kwargs=kwargs)
    if method in ("get", "delete"):
        return getattr(client, method)(url)
    body = {**payload, **BODY_FOR.get(route.name, {})}
    return getattr(client, method)(url, body, format="json" if route.path.startswith("api/") else "multipart")


def _missing(client, route: Route, method: str, kwargs: dict, ids, payload: dict):
    """The same request with the foreign ids replaced by ids that do not exist."""
    return _send(client, route, method, {**kwargs, **dict.fromkeys(ids, MISSING)}, payload)


def _same(one, other) -> bool:
    """The same status and the same redirect, whatever ids it names."""
    return (one.status_code, re.sub(r"\d+", "#", one.get("Location", ""))) == (
        other.status_code, re.sub(r"\d+", "#", other.get("Location", "")))


def _client(user) -> APIClient:
    """A session for the pages; the API takes the user as authenticated (how is not under test here)."""
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en", raise_request_exception=False)
    client.force_login(user)
    client.force_authenticate(user)
    return client


def test_own_objects_are_reachable_so_the_mapped_ids_are_right(tree):
    """The control: through every URL of the matrix, S1's boss gets another answer for S1's objects
    than for missing ones (writes rolled back), so each argument is mapped to an object of its kind."""
    routes, _ = id_routes()
    own, client, unreachable = tree["own"], _client(tree["own"]["boss"]), []
    payload = _payload(own, own)
    for route, extra, method in ((r, e, m) for r in routes for e in _others(r) for m in ("get", "post")):
        kwargs = {**extra, **{arg: _value(own, route, arg) for arg in route.ids}}
        with transaction.atomic():
            response = _send(client, route, method, kwargs, payload)
            transaction.set_rollback(True)
        if response.status_code >= 500 or (response.status_code == 404 and response.content ==
                                            _missing(client, route, method, kwargs, route.ids, payload).content):
            unreachable.append(f"{method.upper()} {route.name} {kwargs}: {response.status_code}")
    assert not unreachable, "\n".join(unreachable)


class Matrix:
    """A user of each role in S1, each with a session; the leaks and untested requests found so far."""

    def __init__(self, tree: dict):
        own = tree["own"]
        self.tree, self.writes, self.leaks, self.unreached = tree, Writes(), [], []
        self.clients = {role.value: _client(user_with_role(role, own["unit"], department=own["department"]
                                                           if role in DEPARTMENT_ROLES else None)) for role in Role}
        self.payloads = {target: _payload(own, tree[target]) for target in TARGETS}
        self.requests = self.unserved = 0
        self.before = self.writes.take()

    def ask(self, route: Route, method: str) -> None:
        combos = list(_combos(route, self.tree))
        probe = self.clients[Role.SYSTEM_ADMIN]
        if _missing(probe, route, method, combos[0][2], route.ids, self.payloads[TARGETS[0]]).status_code == 405:
            self.unserved += 1  # the URL does not take the method, whatever the object: nothing to ask
            return
        for label, target, kwargs, foreign in combos:
            statuses = {self._one(role, client, route, method, label, kwargs, foreign, self.payloads[target])
                        for role, client in self.clients.items()}
            if 404 not in statuses:
                self.unreached.append(f"{method.upper()} {route.name} ({label}): no role's request reached the object")

    def _one(self, role, client, route, method, label, kwargs, foreign, payload) -> int:
        response = _send(client, route, method, kwargs, payload)
        self.requests += 1
        where = f"{method.upper()} {reverse(route.name, kwargs=kwargs)} ({route.name}, {label}) as {role}"
        after = self.writes.take()
        if after != self.before:
            self.leaks.append(f"{where}: wrote to {', '.join(self.writes.changed(self.before, after))}")
            self.before = after
        if response.status_code not in (404, 405):
            reference = _missing(client, route, method, kwargs, foreign, payload)
            if response.status_code < 300 or response.status_code >= 500 or not _same(response, reference):
                self.leaks.append(f"{where}: {response.status_code}, where a missing id gets {reference.status_code}")
        return response.status_code


def test_no_role_reaches_or_changes_a_sibling_or_parent_object(tree):
    routes, problems = id_routes()
    assert not problems
    matrix, started = Matrix(tree), time.monotonic()
    for route in routes:
        for method in route.methods:
            matrix.ask(route, method)
    print(f"\nscope matrix: {len(routes)} URLs × {len(matrix.clients)} roles × 2 (pages) or 5 (API) methods "
          f"({matrix.unserved} URL/method pairs not served) × {len(TARGETS)} targets = {matrix.requests} requests, "
          f"{len(matrix.leaks)} leaks, {time.monotonic() - started:.1f} s")
    assert not matrix.leaks, f"{len(matrix.leaks)} scope leaks:\n" + "\n".join(matrix.leaks)
    assert not matrix.unreached, "Answered before looking up the object, so untested; extend BODY_FOR:\n" + "\n".join(
        matrix.unreached)


# --- Issue 18: the socket's join list and what a page shows of deliveries ----------------------

def test_no_role_joins_a_socket_group_that_a_sibling_or_parent_event_reaches(tree):
    """The relay sends a unit's event to the groups of the unit and its ancestors; the socket of
    each role in S1 joins none of those of S2's or P's events, and does join S1's (the control)."""
    from emergency.dashboard.consumers import _groups_for
    from emergency.live import unit_group
    from emergency.org.tree import unit_path

    reached = {name: {unit_group(pk) for pk, _code in unit_path(tree[name]["unit"].pk)} for name in ("own", *TARGETS)}
    joins = []
    for role in Role:
        user = user_with_role(role, tree["own"]["unit"], department=tree["own"]["department"]
                              if role in DEPARTMENT_ROLES else None)
        joined = set(_groups_for.func(user))
        assert joined & reached["own"], f"{role}: joins no group of its own unit's events"
        joins += [f"{role} joins {sorted(joined & reached[t])}, which {t}'s events reach" for t in TARGETS
                  if joined & reached[t]]
    assert not joins, "\n".join(joins)


def test_no_role_sees_another_organisations_people_on_its_warning_page(tree, django_capture_on_commit_callbacks):
    """S1's warning is issued to a linked organisation F: on its page every role of S1 sees F's duty
    room as a unit, never F's people, usernames or addresses."""
    from alerts import services as alert_services
    from emergency.org.models import OrganisationLink

    linked = UnitFactory(code="f", name="联动市", name_en="Linked City")
    OrganisationLink.objects.create(organisation=OrgUnit.objects.get(code="r"), linked=linked)
    duty = user_with_role(Role.DUTY_OFFICER, linked, username="f-duty", full_name="联动市值班员",
                          email="f-duty@example.invalid", phone="13800000000")
    boss = tree["own"]["boss"]
    with django_capture_on_commit_callbacks(execute=True):
        warning = alert_services.warning_draft(
            actor=boss, unit=tree["own"]["unit"], type_code="flood_drought", level=4, title="联动预警",
            signs="水位上涨", points="沿岸低洼地带可能受淹", area_desc="沿岸", starts_at=timezone.now(),
            linked_organisations=[linked])
        alert_services.warning_issue(actor=boss, warning=warning)
    assert duty.notifications.filter(unit=linked).exists()
    shown = []
    for role in Role:
        client = _client(user_with_role(role, tree["own"]["unit"], department=tree["own"]["department"]
                                        if role in DEPARTMENT_ROLES else None))
        page = client.get(reverse("warning-detail", args=[warning.pk])).content.decode()
        shown += [f"{role} sees {word}" for word in (duty.username, duty.full_name, duty.email, duty.phone)
                  if word in page]
        assert "Delivered to Linked City duty room" in page, role
    assert not shown, "\n".join(shown)
