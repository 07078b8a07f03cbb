"""Who may change the organisation, and what each change records."""
import pytest
from django.urls import reverse

from emergency.audit.models import AuditEntry
from emergency.errors import NotFound, NotPermitted, ValidationFailed
from emergency.org import services
from emergency.org.models import Department, OrgUnit, RoleAssignment
from emergency.org.roles import Role


def test_plan_admin_edits_duties_and_the_change_is_audited(org, make_user, api_as):
    admin = make_user(Role.PLAN_ADMIN, org.a1)
    department = Department.objects.get(unit=org.a1a)  # a role covers the unit's descendants
    response = api_as(admin).patch(reverse("api:department-detail", args=[department.pk]),
                                   {"duties": "负责先期处置。"}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["duties"] == "负责先期处置。"
    entry = AuditEntry.objects.get(action="department.update")
    assert entry.actor == admin and entry.unit_id == org.a1a.pk
    assert entry.before["duties"] == "负责本部门应急工作。"
    assert entry.after["duties"] == "负责先期处置。"


@pytest.mark.parametrize("role", [Role.DUTY_OFFICER, Role.COMMANDER, Role.PRINCIPAL])
def test_other_roles_may_read_but_not_edit_duties(org, make_user, api_as, role):
    user = make_user(role, org.a1)
    department = Department.objects.get(unit=org.a1)
    client = api_as(user, language="en")
    assert client.get(reverse("api:department-detail", args=[department.pk])).status_code == 200
    response = client.patch(reverse("api:department-detail", args=[department.pk]), {"duties": "x"}, format="json")
    assert response.status_code == 403
    assert response.json()["error"]["message"] == "You do not have permission to perform this action."
    department.refresh_from_db()
    assert department.duties == "负责本部门应急工作。"
    assert not AuditEntry.objects.exists()


def test_system_admin_creates_a_subordinate_unit(org, make_user, api_as):
    admin = make_user(Role.SYSTEM_ADMIN, org.a1)
    response = api_as(admin).post(reverse("api:unit-list"), {
        "parent": org.a1.pk, "code": "a1b", "name": "甲一镇", "kind": "township"}, format="json")
    assert response.status_code == 201, response.content
    unit = OrgUnit.objects.get(code="a1b")
    assert unit.parent == org.a1 and response.json()["depth"] == 2
    assert AuditEntry.objects.filter(action="unit.create", unit=unit).exists()


def test_duplicate_unit_code_is_refused_and_changes_nothing(org, make_user):
    admin = make_user(Role.SYSTEM_ADMIN, org.a)
    with pytest.raises(ValidationFailed):
        services.unit_create(actor=admin, parent=org.a, code="a1", name="重复", kind="county")
    assert OrgUnit.objects.filter(code="a1").count() == 1
    assert not AuditEntry.objects.exists()


def test_lead_officer_needs_a_department_of_the_unit(org, make_user):
    admin = make_user(Role.SYSTEM_ADMIN, org.a)
    target = make_user(Role.DUTY_OFFICER, org.a1)
    with pytest.raises(ValidationFailed):
        services.role_assign(actor=admin, user=target, unit=org.a1, role=Role.LEAD_OFFICER)
    with pytest.raises(ValidationFailed):
        services.role_assign(actor=admin, user=target, unit=org.a1, role=Role.LEAD_OFFICER,
                             department=Department.objects.get(unit=org.a2))
    assignment = services.role_assign(actor=admin, user=target, unit=org.a1, role=Role.LEAD_OFFICER,
                                      department=Department.objects.get(unit=org.a1))
    assert assignment.pk and AuditEntry.objects.filter(action="role.assign").count() == 1


def test_role_assignment_widens_and_revocation_narrows_the_scope_at_once(org, make_user, api_as):
    admin = make_user(Role.SYSTEM_ADMIN, org.a)
    officer = make_user(Role.DUTY_OFFICER, org.a1)
    client = api_as(officer)
    detail = reverse("api:unit-detail", args=[org.a2.pk])
    assert client.get(detail).status_code == 404
    assignment = services.role_assign(actor=admin, user=officer, unit=org.a2, role=Role.DUTY_OFFICER)
    assert client.get(detail).status_code == 200
    services.role_revoke(actor=admin, assignment=assignment)
    assert client.get(detail).status_code == 404
    assert not RoleAssignment.objects.filter(pk=assignment.pk).exists()


def test_services_refuse_foreign_objects_as_not_found(org, make_user):
    admin = make_user(Role.PLAN_ADMIN, org.a1)
    with pytest.raises(NotFound):
        services.department_update(actor=admin, department=Department.objects.get(unit=org.b), duties="x")
    officer = make_user(Role.DUTY_OFFICER, org.a1)
    with pytest.raises(NotPermitted):
        services.department_update(actor=officer, department=Department.objects.get(unit=org.a1), duties="x")


def test_expert_lifecycle_through_the_api(org, make_user, api_as):
    admin = make_user(Role.PLAN_ADMIN, org.a1)
    client = api_as(admin)
    pool = client.post(reverse("api:expert-pool-list"), {"unit": org.a1.pk, "name": "危化品专家组"}, format="json")
    assert pool.status_code == 201, pool.content
    expert = client.post(reverse("api:expert-list"), {"pool": pool.json()["id"], "name": "李工（演示）",
                                                  "field": "危险化学品", "contact": "0775-1234567"}, format="json")
    assert expert.status_code == 201, expert.content
    url = reverse("api:expert-detail", args=[expert.json()["id"]])
    assert client.patch(url, {"contact": "0775-7654321"}, format="json").json()["contact"] == "0775-7654321"
    assert client.delete(url).status_code == 204
    actions = list(AuditEntry.objects.order_by("id").values_list("action", flat=True))
    assert actions == ["expert_pool.create", "expert.create", "expert.update", "expert.remove"]


def test_me_lists_roles_and_scope(org, make_user, api_as):
    user = make_user(Role.COMMANDER, org.a1)
    body = api_as(user).get(reverse("api:me")).json()
    assert body["username"] == user.username
    assert [r["role"] for r in body["roles"]] == ["commander"]
    assert body["visible_unit_count"] == 2
