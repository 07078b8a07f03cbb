"""Users see only their own units' data: another unit's objects are 404 and absent from lists.

One matrix over every organisation endpoint: a user of each role in county A1 against the
objects of A1 (own), A1a (descendant), A2 (sibling), A (parent) and B (other organisation).
"""
import pytest
from django.urls import reverse

from emergency.audit.models import AuditEntry
from emergency.org.models import Department, Expert, ExpertPool, OrgUnit, RoleAssignment
from emergency.org.roles import Role

from .conftest import ALL_ROLES

# endpoint basename → how to find the object that belongs to a unit
ENDPOINTS = {
    "unit": lambda unit: unit,
    "department": lambda unit: Department.objects.get(unit=unit),
    "expert-pool": lambda unit: ExpertPool.objects.get(unit=unit),
    "expert": lambda unit: Expert.objects.get(pool__unit=unit),
}
WRITES = {
    "unit": {"name": "改名"},
    "department": {"duties": "篡改的职责"},
    "expert": {"contact": "999"},
}


def _ids(response) -> set[int]:
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


@pytest.mark.parametrize("role", ALL_ROLES)
@pytest.mark.parametrize("basename", sorted(ENDPOINTS))
def test_each_role_sees_own_unit_and_descendants_only(org, make_user, api_as, role, basename):
    department = Department.objects.get(unit=org.a1) if role == Role.LEAD_OFFICER else None
    user = make_user(role, org.a1, department=department)
    client = api_as(user)
    find = ENDPOINTS[basename]
    listed = _ids(client.get(reverse(f"api:{basename}-list"), {"page_size": 500}))
    assert listed == {find(org.a1).pk, find(org.a1a).pk}
    for foreign in (org.a2, org.a, org.b):
        response = client.get(reverse(f"api:{basename}-detail", args=[find(foreign).pk]))
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "not_found"


@pytest.mark.parametrize("role", ALL_ROLES)
@pytest.mark.parametrize("basename", sorted(WRITES))
def test_no_role_changes_another_units_objects(org, make_user, api_as, role, basename):
    user = make_user(role, org.a1, department=Department.objects.get(unit=org.a1) if role == Role.LEAD_OFFICER else None)
    client = api_as(user)
    for foreign in (org.a2, org.a, org.b):
        target = ENDPOINTS[basename](foreign)
        before = type(target).objects.filter(pk=target.pk).values().get()
        response = client.patch(reverse(f"api:{basename}-detail", args=[target.pk]), WRITES[basename], format="json")
        assert response.status_code == 404
        assert type(target).objects.filter(pk=target.pk).values().get() == before
    assert not AuditEntry.objects.filter(actor=user).exists()


def test_creating_under_a_foreign_unit_looks_like_a_missing_unit(org, make_user, api_as):
    admin = make_user(Role.SYSTEM_ADMIN, org.a1)
    client = api_as(admin, language="en")
    for url, body in [
        (reverse("api:unit-list"), {"parent": org.a2.pk, "code": "x", "name": "X", "kind": "township"}),
        (reverse("api:department-list"), {"unit": org.b.pk, "code": "x", "name": "X"}),
        (reverse("api:expert-pool-list"), {"unit": org.a.pk, "name": "X"}),
    ]:
        response = client.post(url, body, format="json")
        assert response.status_code == 400
        assert "Not found." in str(response.json()["error"]["fields"])  # as for an id that does not exist
    assert not OrgUnit.objects.filter(code="x").exists()
    assert not Department.objects.filter(code="x").exists()


def test_audit_entries_and_role_assignments_are_scoped(org, make_user, api_as):
    from emergency.org import services

    a_admin = make_user(Role.SYSTEM_ADMIN, org.a)
    a2_admin = make_user(Role.SYSTEM_ADMIN, org.a2)
    services.department_update(actor=a_admin, department=Department.objects.get(unit=org.a1), duties="新职责")
    services.department_update(actor=a_admin, department=Department.objects.get(unit=org.a2), duties="新职责")
    client = api_as(a2_admin)
    entries = client.get(reverse("api:audit-entry-list")).json()["results"]
    assert {e["unit"] for e in entries} == {org.a2.pk}
    foreign = AuditEntry.objects.get(unit=org.a1)
    assert client.get(reverse("api:audit-entry-detail", args=[foreign.pk])).status_code == 404
    assignments = client.get(reverse("api:role-assignment-list")).json()["results"]
    assert {a["unit"] for a in assignments} == {org.a2.pk}
    a_assignment = RoleAssignment.objects.get(user=a_admin)
    assert client.delete(reverse("api:role-assignment-detail", args=[a_assignment.pk])).status_code == 404
    assert RoleAssignment.objects.filter(pk=a_assignment.pk).exists()


def test_user_without_roles_sees_nothing(org, make_user, api_as):
    from .factories import UserFactory

    client = api_as(UserFactory())
    for basename in ENDPOINTS:
        assert _ids(client.get(reverse(f"api:{basename}-list"))) == set()


def test_anonymous_requests_are_refused(org, client):
    response = client.get(reverse("api:unit-list"), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 401 and response["WWW-Authenticate"] == "Token"
    assert response.json()["error"]["message"]


def test_pages_hide_other_units(org, make_user, client):
    client.force_login(make_user(Role.SYSTEM_ADMIN, org.a1))
    foreign_department = Department.objects.get(unit=org.a2)
    assert client.get(reverse("unit-detail", args=[org.a2.pk])).status_code == 404
    assert client.get(reverse("unit-detail", args=[org.a.pk])).status_code == 404
    assert client.get(reverse("department-edit", args=[foreign_department.pk])).status_code == 404
    response = client.post(reverse("department.edit", args=[foreign_department.pk]), {"name": "x", "duties": "x"})
    assert response.status_code == 404
    foreign_department.refresh_from_db()
    assert foreign_department.name == "甲二县办公室"
    for page in ("org-tree", "expert-list", "department-list", "people"):
        body = client.get(reverse(page)).content.decode()
        assert "甲一乡" in body or page == "people", page
        assert "甲二县" not in body and "乙市" not in body, page


def test_page_query_counts_do_not_grow_with_rows(org, make_user, client, django_assert_max_num_queries):
    from .factories import DepartmentFactory, ExpertFactory, ExpertPoolFactory

    client.force_login(make_user(Role.SYSTEM_ADMIN, org.a))
    pages = [reverse(name) for name in ("org-tree", "expert-list", "department-list", "people", "audit-log")]
    pages.append(reverse("unit-detail", args=[org.a1.pk]))
    baseline = {}
    for url in pages:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        baseline[url] = len(ctx.captured_queries)
    pool = ExpertPoolFactory(unit=org.a1)
    for _ in range(20):
        DepartmentFactory(unit=org.a1)
        ExpertFactory(pool=pool)
    for url in pages:
        with django_assert_max_num_queries(baseline[url]):
            assert client.get(url).status_code == 200
