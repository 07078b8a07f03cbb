"""Schemathesis against every operation of `/api/schema/`, as a user holding every role at the top unit.

Per operation, through the WSGI app in-process, authenticated with a token:
- schemathesis' coverage cases (boundary values, wrong types, missing and extra fields, a body that is
  not an object...; up to COVERAGE_CASES of them, evenly spread), sent to an object that exists;
- a NUL character in each query parameter and in every string of a valid body;
- MAX_EXAMPLES seeded Hypothesis cases, valid and invalid, to generated ids and to ids that exist.
A body that names a unit, an incident, a department... is sent again with rows that exist in their
place, so that its other values reach the services instead of stopping at "not found".
No answer may be a server error, and every 4xx must be in the API's error format
(`{"error": {"code", "message"}}`, emergency/api/errors.py) with a message. Every answer must also pass
schemathesis' response checks (CHECKS): a documented status code (every operation documents its 4xx,
emergency/api/schema.py), the documented content type and headers, a body valid against the declared
schema (the error schema for 4xx), the Allow header on 405, no answer to an unsupported method.

Three of schemathesis' checks are left out, each for a stated reason:
- negative_data_rejection: DRF's CharField takes a number for text (`"name": 5` is saved as "5") and the
  check counts that as accepting invalid data; the API coerces on purpose, as DRF does.
- positive_data_acceptance: a schema-valid body naming a unit that does not exist, or breaking a rule of
  the plan (an end before the start), is refused with 400, which the check counts as rejecting valid data;
  OpenAPI cannot say which ids exist.
- ignored_auth / object_level_authorization: the fuzzer sends a token while the check invalidates the other
  declared scheme (the session cookie) and still gets in with the token; who may see what is proved by
  tests/test_scope_matrix.py (every route, every role, sibling and parent units).

`CoverageGenerator` is schemathesis' coverage phase, not part of its documented API:
requirements-test.txt pins the version this was written against.
"""
from __future__ import annotations

import traceback

import pytest
import schemathesis
from django.core.cache import cache
from django.core.signals import got_request_exception
from django.core.wsgi import get_wsgi_application
from django.db import connections
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from rest_framework.authtoken.models import Token
from schemathesis.checks import load_all_checks, not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.generation.drivers import CoverageGenerator
from schemathesis.generation.feedback import FeedbackSources
from schemathesis.generation.overrides import Override
from schemathesis.specs.openapi import checks as openapi_checks

from emergency.audit.models import AuditEntry
from emergency.org.models import Department, Expert, ExpertPool, OrgUnit, RoleAssignment
from emergency.org.roles import DEPARTMENT_ROLES, Role
from incidents.grading.models import ThresholdTable
from incidents.models import Incident
from incidents.response import services as response_services
from incidents.response.models import Proposal, Response
from plans import services as plan_services
from plans.loader import load_routes
from plans.models import Plan, RouteStep

from .factories import ExpertPoolFactory, UserFactory, user_with_role
from .response_helpers import incident_in, lead_officer, organisation

load_all_checks()
CHECKS = [not_a_server_error, openapi_checks.status_code_conformance, openapi_checks.content_type_conformance,
          openapi_checks.response_headers_conformance, openapi_checks.response_schema_conformance,
          openapi_checks.missing_required_header, openapi_checks.unsupported_method,
          openapi_checks.allow_header_conformance, openapi_checks.use_after_free,
          openapi_checks.ensure_resource_availability]
MAX_EXAMPLES = 15
SHARDS = 6  # the operations in six tests (every sixth one each), so that the suite's workers share them
COVERAGE_CASES = 40
FUZZ = settings(max_examples=MAX_EXAMPLES, derandomize=True, database=None, deadline=None, report_multiple_bugs=False,
                phases=[Phase.generate, Phase.shrink],
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large,
                                       HealthCheck.large_base_example])
RESOURCES = {  # first path segment after /api/v1/ → the rows whose ids are worth sending
    "units": OrgUnit.objects, "departments": Department.objects, "expert-pools": ExpertPool.objects,
    "experts": Expert.objects, "audit-entries": AuditEntry.objects, "incidents": Incident.objects,
    "plans": Plan.objects, "proposals": Proposal.objects, "responses": Response.objects,
    "grading": ThresholdTable.objects,
}


@pytest.fixture
def fuzzer(grading_tables):
    """A user with every role at the top of a city, and one of each thing the API reads."""
    city = organisation("city")
    user = UserFactory(username="fuzzer")
    for role in Role:
        RoleAssignment.objects.create(user=user, unit=city.top, role=role,
                                      department=city.lead if role in DEPARTMENT_ROLES else None)
    load_routes(city.top, "routes_city")
    plan = plan_services.plan_create(actor=user, unit=city.top, plan_type="general", title="总体应急预案",
                                     sections=[{"title": "总则", "body": "适用范围"}])
    incident = incident_in(city)
    proposal = response_services.proposal_create(actor=lead_officer(city), incident=incident, level=2, reasons="二级")
    response_services.proposal_decide(actor=user, proposal=proposal, outcome="approved")
    waiting = incident_in(city)  # a second one, with nothing started yet
    user_with_role(Role.DUTY_OFFICER, city.sub)  # an assignment the fuzzer may revoke without losing its own
    ids = {name: sorted(rows.values_list("pk", flat=True)) for name, rows in RESOURCES.items()}
    ids["role-assignments"] = sorted(RoleAssignment.objects.exclude(user=user).values_list("pk", flat=True))
    refs = {"unit": city.top.pk, "command_unit": city.sub.pk, "department": city.lead.pk,
            "lead_department": city.lead.pk, "pool": ExpertPoolFactory(unit=city.top).pk, "incident": waiting.pk,
            "user": user.username, "type": "work_safety", "plan": plan.pk,
            "step": RouteStep.objects.filter(route__organisation=city.top).values_list("pk", flat=True)[0]}
    yield Token.objects.create(user=user).key, ids, refs
    cache.delete_many([f"throttle_token_{user.pk}", "throttle_token_127.0.0.1"])  # the token rate the fuzz spent


@pytest.fixture
def server_errors():
    """Tracebacks of the exceptions the app did not handle."""
    seen: list[str] = []

    def record(sender, request=None, **kwargs):
        seen.append(traceback.format_exc())

    got_request_exception.connect(record)
    yield seen
    got_request_exception.disconnect(record)


def problem(response) -> str | None:
    """What is wrong with an answer, or None."""
    if response.status_code >= 500:
        return f"server error {response.status_code}"
    if response.status_code >= 400:
        try:
            message = response.json()["error"]["message"]
        except (ValueError, KeyError, TypeError):
            return f"{response.status_code} without the JSON error body: {response.text[:200]!r}"
        if not isinstance(message, str) or not message.strip():
            return f"{response.status_code} with an empty message"
    return None


def known_ids(operation, ids: dict[str, list[int]]) -> list[int]:
    """Ids of existing rows for an operation on one object, [] for the others."""
    return ids.get(operation.path.split("/")[3], [])[:3] if "{id}" in operation.path else []


def anchored(body, refs: dict, path: str):
    """The body with its references (unit, incident...) pointing at rows that exist, or None if it has none."""
    if not isinstance(body, dict):
        return None
    refs = {**refs, "parent": refs["plan" if path.startswith("/api/v1/plans") else "unit"]}
    found = {name: refs[name] for name in body if name in refs}
    return {**body, **found} if found else None


def coverage_cases(operation, known: list[int]) -> list:
    """Schemathesis' deterministic edge cases for the operation, at most COVERAGE_CASES of them."""
    override = Override(path_parameters={"id": str(known[0])} if known else {})
    generation = operation.schema.config.generation_for(operation=operation, phase="coverage")
    cases = list(CoverageGenerator(operation=operation, generation_modes=list(schemathesis.GenerationMode),
                                   generation_config=generation, auth_storage=None, override=override,
                                   feedback=FeedbackSources()))
    return cases[::max(1, len(cases) // COVERAGE_CASES)][:COVERAGE_CASES]


def with_nul(value):
    """Every string in a JSON value with a NUL byte appended (PostgreSQL refuses NUL in text)."""
    if isinstance(value, str):
        return value + "\x00"
    if isinstance(value, dict):
        return {key: with_nul(item) for key, item in value.items()}
    if isinstance(value, list):
        return [with_nul(item) for item in value]
    return value


def nul_cases(operation, cases: list) -> list:
    """NUL in each query parameter in turn, and in every string of the fullest valid body.

    Hypothesis draws a NUL too seldom for a bounded run to meet it, and the coverage phase does not try it."""
    valid = [case for case in cases if case.meta and case.meta.generation.mode == schemathesis.GenerationMode.POSITIVE]
    if not valid:
        return []
    fullest = max(valid, key=lambda case: len(case.body) if isinstance(case.body, dict) else -1)
    probes = [operation.Case(path_parameters=fullest.path_parameters, query={p.name: "\x00"}) for p in operation.query]
    if isinstance(fullest.body, dict):
        probes.append(operation.Case(path_parameters=fullest.path_parameters, body=with_nul(fullest.body),
                                     media_type=fullest.media_type))
    return probes


def fuzz_strategy(operation, known: list[int]):
    modes = list(schemathesis.GenerationMode)
    strategies = [operation.as_strategy(mode) for mode in modes]
    strategies += [operation.as_strategy(mode, path_parameters={"id": pk}) for mode in modes for pk in known]
    return st.one_of(strategies)


@pytest.mark.parametrize("shard", range(SHARDS))
def test_every_operation_answers_hostile_input_without_a_server_error(shard, fuzzer, server_errors, capsys,
                                                                     monkeypatch):
    token, ids, refs = fuzzer
    # Thousands of requests: each keeps the connection the one before it left, as a web process
    # behind PgBouncer keeps its pooled one (reconnecting was a tenth of the run); a connection a
    # request broke is still closed and replaced (CONN_HEALTH_CHECKS).
    monkeypatch.setitem(connections["default"].settings_dict, "CONN_MAX_AGE", None)
    app = get_wsgi_application()
    schema = schemathesis.openapi.from_wsgi("/api/schema/", app)
    headers = {"Authorization": f"Token {token}", "Accept-Language": "zh-hans"}
    every = [result.ok() for result in schema.get_all_operations()]
    operations = every[shard::SHARDS]
    sent = 0
    failures: dict[str, str] = {}

    def deliver(case) -> None:
        nonlocal sent
        sent += 1
        server_errors.clear()
        response = case.call(app=app, headers=headers)
        wrong = problem(response)
        if wrong:
            raise AssertionError("\n".join([wrong, case.as_curl_command(headers=headers), *server_errors]))
        try:
            case.validate_response(response, checks=CHECKS, headers=headers, transport_kwargs={"app": app})
        except FailureGroup as failures:
            raise AssertionError(str(failures)) from None

    def send(case) -> None:
        """The case as generated, then again with its references resolved, to reach the services."""
        deliver(case)
        body = anchored(case.body, refs, case.operation.path)
        if body is not None:
            case.body = body
            deliver(case)

    for operation in operations:
        known = known_ids(operation, ids)
        edges = coverage_cases(operation, known)
        try:
            for case in edges + nul_cases(operation, edges):
                send(case)
            FUZZ(given(case=fuzz_strategy(operation, known))(send))()
        except AssertionError as error:
            failures[operation.label] = str(error)

    crashes = sum(text.startswith("server error") for text in failures.values())
    with capsys.disabled():
        print(f"\nschemathesis, shard {shard + 1} of {SHARDS}: {len(operations)} of {len(every)} operations, {sent} cases, {len(CHECKS)} checks each, "
              f"{crashes} server errors, {len(failures)} operations failing")
    assert not failures, "\n\n".join(f"{label}: {text}" for label, text in failures.items())
