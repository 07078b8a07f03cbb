"""Journey 5 of issue 15 below the browser: a system administrator manages people in the platform's
own pages and API, scoped to the units they administer: adds a user with a first role, grants and
withdraws roles per unit, sets a new password, deactivates and reactivates. The rules that existed
hold: grants only to their own units' people, the organisation's last system administrator is kept."""
from django.urls import reverse
from rest_framework.authtoken.models import Token

from emergency.audit.models import AuditEntry
from emergency.org.models import RoleAssignment, User
from emergency.org.roles import Role

from .factories import PASSWORD, user_with_role

NEW_PASSWORD = "Flood-season-2026!"


def _add(client, unit, **extra):
    body = {"username": "gg-new-duty", "full_name": "韦海燕", "password": "Duty-room-2026!", "unit": unit.pk,
            "role": Role.DUTY_OFFICER, **extra}
    return client.post(reverse("api:person-add"), body, format="json")


def _signs_in(client, username: str, password: str) -> bool:
    """Through the login page, as a person signs in."""
    client.logout()
    return client.post(reverse("login"), {"username": username, "password": password}).status_code == 302


def test_an_administrator_adds_a_user_who_holds_the_first_role_and_signs_in(org, make_user, api_as, client):
    admin = make_user(Role.SYSTEM_ADMIN, org.a)
    answer = _add(api_as(admin), org.a1)
    assert answer.status_code == 201, answer.content
    person = User.objects.get(username="gg-new-duty")
    assert person.full_name == "韦海燕" and person.check_password("Duty-room-2026!")
    assert list(person.role_assignments.values_list("unit_id", "role")) == [(org.a1.pk, Role.DUTY_OFFICER)]
    assert list(AuditEntry.objects.filter(object_id=str(person.pk), object_type="org.user")
                .values_list("action", flat=True)) == ["user.create"]
    assert "Duty-room-2026!" not in str(AuditEntry.objects.filter(action="user.create").values("after").get())
    assert _signs_in(client, "gg-new-duty", "Duty-room-2026!")


def test_a_user_is_added_only_into_a_unit_the_administrator_administers(org, make_user, api_as):
    county_admin = make_user(Role.SYSTEM_ADMIN, org.a1)
    before = User.objects.count()
    for unit in (org.a, org.a2, org.b):  # the city above, the sibling county, another organisation
        answer = _add(api_as(county_admin), unit)
        assert answer.status_code == 400 and answer.json()["error"]["fields"] == {"unit": ["未找到。"]}
    assert User.objects.count() == before


def test_bad_input_adding_a_user_is_refused_in_chinese_and_changes_nothing(org, make_user, api_as):
    admin = make_user(Role.SYSTEM_ADMIN, org.a)
    client = api_as(admin)
    before = (User.objects.count(), AuditEntry.objects.count())
    weak = _add(client, org.a1, password="123")
    assert weak.status_code == 400 and "密码" in str(weak.json()["error"]["fields"]["password"])
    lead = _add(client, org.a1, role=Role.LEAD_OFFICER)
    assert lead.status_code == 400 and lead.json()["error"]["fields"]["department"] == ["该字段为必填项。"]
    taken = _add(client, org.a1, username=admin.username)
    assert taken.json()["error"]["fields"]["username"] == ["该用户名已被使用，请另选一个。"]
    assert (User.objects.count(), AuditEntry.objects.count()) == before


def test_grant_and_withdraw_a_role_through_the_operations(org, make_user, api_as):
    admin = make_user(Role.SYSTEM_ADMIN, org.a)
    person = make_user(Role.DUTY_OFFICER, org.a1)
    client = api_as(admin)
    granted = client.post(reverse("api:person-grant", args=[person.pk]),
                          {"unit": org.a2.pk, "role": Role.COMMANDER}, format="json")
    assert granted.status_code == 201, granted.content
    assignment = RoleAssignment.objects.get(pk=granted.json()["id"])
    assert (assignment.unit, assignment.role) == (org.a2, Role.COMMANDER)
    gone = client.post(reverse("api:role-assignment-withdraw", args=[assignment.pk]), format="json")
    assert gone.status_code == 200 and not RoleAssignment.objects.filter(pk=assignment.pk).exists()
    assert AuditEntry.objects.filter(action="role.revoke", object_id=str(assignment.pk)).exists()


def test_the_last_system_administrator_is_kept_by_withdrawal_and_by_deactivation(org, make_user, api_as):
    admin = make_user(Role.SYSTEM_ADMIN, org.a)
    other = make_user(Role.SYSTEM_ADMIN, org.a)
    client = api_as(admin)
    assert client.post(reverse("api:person-deactivate", args=[other.pk]), {"reason": "调离"},
                       format="json").status_code == 200
    last = admin.role_assignments.get(role=Role.SYSTEM_ADMIN)
    refused = client.post(reverse("api:role-assignment-withdraw", args=[last.pk]), format="json")
    assert refused.status_code == 409 and "最后一名系统管理员" in refused.json()["error"]["message"]
    own = client.post(reverse("api:person-deactivate", args=[admin.pk]), {"reason": "x"}, format="json")
    assert own.status_code == 403 and own.json()["error"]["message"] == "不能停用自己的账号。"
    assert RoleAssignment.objects.filter(pk=last.pk).exists()


def test_a_password_reset_ends_the_old_password_sessions_and_tokens(org, make_user, api_as, client):
    admin = make_user(Role.SYSTEM_ADMIN, org.a)
    person = make_user(Role.DUTY_OFFICER, org.a1)
    Token.objects.create(user=person)
    client.force_login(person)
    answer = api_as(admin).post(reverse("api:person-reset-password", args=[person.pk]), {"password": NEW_PASSWORD},
                                format="json")
    assert answer.status_code == 200, answer.content
    person.refresh_from_db()
    assert person.check_password(NEW_PASSWORD) and not person.check_password(PASSWORD)
    assert not Token.objects.filter(user=person).exists()
    assert client.get("/").status_code == 302  # the session signed with the old password is over
    entry = AuditEntry.objects.get(action="user.password_reset")
    assert NEW_PASSWORD not in str((entry.before, entry.after))


def test_a_deactivated_account_cannot_sign_in_and_is_reactivated(org, make_user, api_as, client):
    admin = make_user(Role.SYSTEM_ADMIN, org.a)
    person = make_user(Role.DUTY_OFFICER, org.a1)
    api = api_as(admin)
    assert api.post(reverse("api:person-deactivate", args=[person.pk]), {"reason": "退休"},
                    format="json").status_code == 200
    assert not _signs_in(client, person.username, PASSWORD)
    again = api.post(reverse("api:person-deactivate", args=[person.pk]), {"reason": "退休"}, format="json")
    assert again.status_code == 409 and again.json()["error"]["message"] == "该账号已停用。"
    grant = api.post(reverse("api:person-grant", args=[person.pk]), {"unit": org.a1.pk, "role": Role.COMMANDER},
                     format="json")
    assert grant.status_code == 409
    assert api.post(reverse("api:person-reactivate", args=[person.pk]), format="json").status_code == 200
    assert _signs_in(client, person.username, PASSWORD)


def test_a_county_administrator_cannot_take_over_a_city_officers_account(org, make_user, api_as):
    county_admin = make_user(Role.SYSTEM_ADMIN, org.a1)
    city_principal = make_user(Role.PRINCIPAL, org.a)
    city_principal.role_assignments.create(unit=org.a1, role=Role.DUTY_OFFICER)
    answer = api_as(county_admin).post(reverse("api:person-reset-password", args=[city_principal.pk]),
                                       {"password": NEW_PASSWORD}, format="json")
    assert answer.status_code == 403 and "甲市" in answer.json()["error"]["message"]
    city_principal.refresh_from_db()
    assert city_principal.check_password(PASSWORD)


def test_another_organisations_people_are_absent_from_every_list_page_and_action(org, make_user, api_as, client):
    admin = make_user(Role.SYSTEM_ADMIN, org.a)
    foreigner = make_user(Role.DUTY_OFFICER, org.b)
    api = api_as(admin)
    names = [p["username"] for p in api.get(reverse("api:person-list"), {"page_size": 500}).json()["results"]]
    assert admin.username in names and foreigner.username not in names
    assert api.get(reverse("api:person-detail", args=[foreigner.pk])).status_code == 404
    for name in ("person-reset-password", "person-deactivate", "person-grant"):
        answer = api.post(reverse(f"api:{name}", args=[foreigner.pk]),
                          {"password": NEW_PASSWORD, "reason": "x", "unit": org.a.pk, "role": Role.DUTY_OFFICER},
                          format="json")
        assert answer.status_code == 404, name
    client.force_login(admin)
    page = client.get(reverse("people")).content.decode()
    assert admin.username in page and foreigner.username not in page
    assert client.get(reverse("person-detail", args=[foreigner.pk])).status_code == 404
    assert client.post(reverse("user.deactivate", args=[foreigner.pk]), {"reason": "x"}).status_code == 404
    foreigner.refresh_from_db()
    assert foreigner.is_active


def test_the_people_pages_offer_actions_only_to_who_may_take_them(org, make_user, client):
    admin = make_user(Role.SYSTEM_ADMIN, org.a)
    duty = make_user(Role.DUTY_OFFICER, org.a)
    client.force_login(duty)
    assert client.get(reverse("people")).status_code == 403
    assert client.post(reverse("user.add"), {"username": "x"}).status_code in (302, 403)
    assert not User.objects.filter(username="x").exists()
    client.force_login(admin)
    own = client.get(reverse("person-detail", args=[admin.pk]), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert 'data-testid="user-deactivate-form"' not in own  # nobody deactivates themself
    other = client.get(reverse("person-detail", args=[duty.pk]), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    for form in ("user-grant", "user-reset-password", "user-deactivate", "withdraw-duty_officer"):
        assert f'data-testid="{form}-form"' in other, form
    assert 'data-testid="user-reactivate-form"' not in other
    assert 'type="password"' in other and "停用账号" in other


def test_a_refused_page_post_keeps_the_typed_fields_but_never_the_password(org, make_user, client):
    admin = make_user(Role.SYSTEM_ADMIN, org.a)
    client.force_login(admin)
    client.post(reverse("user.add"), {"username": "gg-weak", "full_name": "覃志强", "password": "123",
                                      "unit": org.a1.pk, "role": Role.DUTY_OFFICER},
                HTTP_REFERER=reverse("people"))
    assert not User.objects.filter(username="gg-weak").exists()
    assert "123" not in str(client.session.get("operation_forms"))
    page = client.get(reverse("people"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert 'value="gg-weak"' in page and "覃志强" in page and "密码" in page


def test_the_people_page_runs_a_constant_number_of_queries(org, make_user, client, django_assert_max_num_queries):
    admin = make_user(Role.SYSTEM_ADMIN, org.a)
    client.force_login(admin)
    client.get(reverse("people"))
    with django_assert_max_num_queries(40) as few:
        client.get(reverse("people"))
    for _ in range(15):
        user_with_role(Role.DUTY_OFFICER, org.a1).role_assignments.create(unit=org.a2, role=Role.COMMANDER)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("people"))


def test_department_duties_are_edited_by_one_operation_from_the_page_and_the_api(org, make_user, api_as, client):
    from emergency.org.models import Department

    department = Department.objects.get(unit=org.a1)
    body = {"name": department.name, "duties": "负责全县安全生产事故的应急处置。"}
    outsider = make_user(Role.PLAN_ADMIN, org.a2)
    assert api_as(outsider).post(reverse("api:department-edit", args=[department.pk]), body,
                                 format="json").status_code == 404
    admin = make_user(Role.PLAN_ADMIN, org.a1)
    client.force_login(admin)
    form = client.get(reverse("department-edit", args=[department.pk]), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert 'data-testid="department-edit-form"' in form and department.name in form  # starts from what is recorded
    done = client.post(reverse("department.edit", args=[department.pk]), body)
    assert done.status_code == 302 and done.url == reverse("unit-detail", args=[org.a1.pk])
    department.refresh_from_db()
    assert department.duties == body["duties"]
    blank = api_as(admin).post(reverse("api:department-edit", args=[department.pk]), {"name": ""}, format="json")
    assert blank.status_code == 400 and "name" in blank.json()["error"]["fields"]
    assert AuditEntry.objects.filter(action="department.update", object_id=str(department.pk)).count() == 1
