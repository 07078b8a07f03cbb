"""Who may give and take roles (issue 20, items 2 and 3): an administrator grants only to people of
the units they administer, and never learns who exists elsewhere; an organisation always keeps a
system administrator."""
import pytest
from django.core.management import call_command
from django.urls import reverse

from emergency.audit.models import AuditEntry
from emergency.errors import Conflict, ValidationFailed
from emergency.org import services
from emergency.org.models import OrgUnit, RoleAssignment, User
from emergency.org.roles import Role

LIST = reverse("api:role-assignment-list")


def _grant(client, username: str, unit: OrgUnit):
    return client.post(LIST, {"user": username, "unit": unit.pk, "role": Role.DUTY_OFFICER}, format="json")


def test_an_administrator_cannot_grant_a_role_to_another_organisations_user_nor_tell_them_from_nobody(
        org, make_user, api_as):
    admin = make_user(Role.SYSTEM_ADMIN, org.a)
    foreigner = make_user(Role.DUTY_OFFICER, org.b)
    client = api_as(admin)
    before = (RoleAssignment.objects.count(), AuditEntry.objects.count())
    foreign = _grant(client, foreigner.username, org.a1)
    unknown = _grant(client, "nobody-of-that-name", org.a1)
    assert foreign.status_code == unknown.status_code == 400
    assert foreign.json() == unknown.json()
    assert foreign.json()["error"]["fields"] == {"user": ["未找到。"]}
    assert (RoleAssignment.objects.count(), AuditEntry.objects.count()) == before
    with pytest.raises(ValidationFailed):  # the service refuses too, whoever calls it
        services.role_assign(actor=admin, user=foreigner, unit=org.a1, role=Role.DUTY_OFFICER)


def test_a_county_administrator_grants_only_to_people_of_the_units_they_administer(org, make_user, api_as):
    county_admin = make_user(Role.SYSTEM_ADMIN, org.a1)
    neighbour = make_user(Role.DUTY_OFFICER, org.a2)  # same organisation, a sibling county
    own = make_user(Role.DUTY_OFFICER, org.a1a)
    client = api_as(county_admin)
    assert _grant(client, neighbour.username, org.a1).json() == _grant(client, "nobody", org.a1).json()
    granted = client.post(LIST, {"user": own.username, "unit": org.a1.pk, "role": Role.COMMANDER}, format="json")
    assert granted.status_code == 201, granted.content
    assert RoleAssignment.objects.filter(user=own, unit=org.a1, role=Role.COMMANDER).exists()


@pytest.mark.django_db
def test_xa_sysadmin_cannot_give_gg_duty_a_role():
    call_command("load_demo")
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_login(User.objects.get(username="xa-sysadmin"))
    xian = RoleAssignment.objects.get(user__username="xa-sysadmin", role=Role.SYSTEM_ADMIN).unit
    foreign, unknown = _grant(client, "gg-duty", xian), _grant(client, "gg-nobody", xian)
    assert foreign.status_code == 400 and foreign.json() == unknown.json()
    assert not RoleAssignment.objects.filter(user__username="gg-duty", unit=xian).exists()


def test_the_last_system_administrator_cannot_revoke_their_own_role(org, make_user, api_as):
    admin = make_user(Role.SYSTEM_ADMIN, org.a)
    own = RoleAssignment.objects.get(user=admin, role=Role.SYSTEM_ADMIN)
    answer = api_as(admin, language="en").delete(reverse("api:role-assignment-detail", args=[own.pk]))
    assert answer.status_code == 409
    assert "last system administrator" in answer.json()["error"]["message"]
    assert RoleAssignment.objects.filter(pk=own.pk).exists()
    assert not AuditEntry.objects.filter(action="role.revoke").exists()


def test_an_organisation_keeps_at_least_one_system_administrator_wherever_they_sit(org, make_user):
    top_admin = make_user(Role.SYSTEM_ADMIN, org.a)
    county_admin = make_user(Role.SYSTEM_ADMIN, org.a1)
    make_user(Role.SYSTEM_ADMIN, org.b)  # another organisation's administrator does not count for this one
    services.role_revoke(actor=top_admin, assignment=RoleAssignment.objects.get(user=county_admin))
    with pytest.raises(Conflict):
        services.role_revoke(actor=top_admin, assignment=RoleAssignment.objects.get(user=top_admin))
    second = make_user(Role.SYSTEM_ADMIN, org.a2)
    services.role_revoke(actor=top_admin, assignment=RoleAssignment.objects.get(user=top_admin))
    assert list(RoleAssignment.objects.filter(role=Role.SYSTEM_ADMIN, unit__in=[org.a, org.a1, org.a2])
                .values_list("user", flat=True)) == [second.pk]
