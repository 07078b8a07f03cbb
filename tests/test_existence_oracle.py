"""Another organisation's object named in a request is answered exactly as an id that does not
exist (issue 20, item 4): no answer tells a caller what exists outside their units."""
import importlib
import inspect

import pytest
from django.urls import get_resolver, reverse
from rest_framework import serializers

from emergency import operations
from emergency.api.fields import ScopedPrimaryKeyField, ScopedSlugField
from emergency.org.models import Department, ExpertPool
from emergency.org.roles import Role
from plans import services as plan_services
from plans.models import Plan

from .plan_helpers import plan_org

API_MODULES = ["emergency.org.api", "emergency.audit.api", "plans.api", "incidents.api", "incidents.response.api",
               "incidents.grading.api"]
# Reference data every organisation shares (the national taxonomy), named by code.
SHARED_MODELS = {"grading.incidenttype"}
# Narrowed to the operation's target (itself one the caller may see) when bound: a warning's reach
# takes only the targets in that warning's area, any other id answering "Not found." alike.
TARGET_SCOPED = {"alerts.reach_operations.ReachInput.subject"}
MISSING = 2_000_000_000


def _input_serializers():
    """The request bodies: the plain serializers the API modules define (their ModelSerializers
    only render answers), and the input of every registered operation (the URL configuration
    imports every app's operations)."""
    get_resolver().url_patterns  # noqa: B018  (loads every app's routes, so registers every operation)
    seen = set()
    for name in API_MODULES:
        module = importlib.import_module(name)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if (issubclass(cls, serializers.Serializer) and not issubclass(cls, serializers.ModelSerializer)
                    and cls.__module__ == name):
                seen.add(cls)
    seen.update(operation.input for operation in operations.registered())
    yield from sorted(seen, key=lambda cls: f"{cls.__module__}.{cls.__qualname__}")


@pytest.mark.django_db  # some inputs read their choices (the incident types) when built
def test_every_related_field_of_a_request_resolves_among_what_the_caller_may_see():
    walked, unscoped = 0, []
    for cls in _input_serializers():
        for field_name, field in cls().fields.items():
            field = getattr(field, "child_relation", field)
            if not isinstance(field, serializers.RelatedField) or field.read_only:
                continue
            walked += 1
            if isinstance(field, (ScopedPrimaryKeyField, ScopedSlugField)):
                continue
            if field.queryset is not None and field.queryset.model._meta.label_lower in SHARED_MODELS:
                continue
            if f"{cls.__module__}.{cls.__name__}.{field_name}" in TARGET_SCOPED:
                continue
            unscoped.append(f"{cls.__module__}.{cls.__name__}.{field_name}")
    assert walked >= 15
    assert unscoped == []


def _alike(client, url, body, field, foreign_id):
    foreign = client.post(url, {**body, field: foreign_id}, format="json")
    missing = client.post(url, {**body, field: MISSING}, format="json")
    assert (foreign.status_code, foreign.json()) == (missing.status_code, missing.json()), (url, field)
    assert foreign.status_code == 400 and list(foreign.json()["error"]["fields"]) == [field]
    return foreign


@pytest.mark.django_db
def test_a_foreign_plan_as_parent_is_answered_as_a_plan_that_does_not_exist(api_as):
    city, customs = plan_org("city"), plan_org("customs")
    theirs = plan_services.plan_create(actor=customs.admin, unit=customs.top, plan_type="general", title="总体预案",
                                       sections=[{"title": "1 总则", "body": "适用。"}])
    body = {"unit": city.top.pk, "plan_type": "special", "title": "防汛专项预案", "lead_department": city.lead.pk}
    _alike(api_as(city.admin), reverse("api:plan-list"), body, "parent", theirs.pk)
    assert not Plan.objects.filter(title="防汛专项预案").exists()


@pytest.mark.django_db
def test_a_foreign_route_step_is_answered_as_a_step_that_does_not_exist(api_as):
    city, customs = plan_org("city"), plan_org("customs")
    ours = plan_services.plan_create(actor=city.admin, unit=city.top, plan_type="general", title="总体预案",
                                     sections=[{"title": "1 总则", "body": "适用。"}])
    client = api_as(city.admin)
    client.post(reverse("api:plan-submit", args=[ours.pk]))
    their_step = customs.top.approval_routes.first().steps.first()
    _alike(client, reverse("api:plan-steps", args=[ours.pk]), {}, "step", their_step.pk)


def test_foreign_units_departments_pools_and_people_are_answered_as_missing_ones(org, make_user, api_as):
    admin = make_user(Role.SYSTEM_ADMIN, org.a)
    client = api_as(admin)
    foreign_department = Department.objects.get(unit=org.b)
    foreign_pool = ExpertPool.objects.get(unit=org.b)
    cases = [
        ("api:unit-list", {"code": "x", "name": "X", "kind": "county"}, "parent", org.b.pk),
        ("api:department-list", {"code": "x", "name": "X"}, "unit", org.b.pk),
        ("api:expert-pool-list", {"name": "X"}, "unit", org.b.pk),
        ("api:expert-list", {"name": "X", "field": "F", "contact": "C"}, "pool", foreign_pool.pk),
        ("api:role-assignment-list", {"user": make_user(Role.DUTY_OFFICER, org.a1).username, "unit": org.a1.pk,
                                      "role": Role.LEAD_OFFICER}, "department", foreign_department.pk),
        ("api:incident-list", {"type": "forest_fire", "title": "X", "address": "P", "body": "B",
                               "occurred_at": "2026-01-01T00:00:00+08:00",
                               "received_at": "2026-01-01T00:10:00+08:00"}, "unit", org.b.pk),
    ]
    for name, body, field, foreign_id in cases:
        _alike(client, reverse(name), body, field, foreign_id)
