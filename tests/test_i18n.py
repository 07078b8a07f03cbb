"""Simplified Chinese first, English second: API errors and pages follow the request's language."""
import pytest
from django.urls import reverse

from emergency.org.models import Department
from emergency.org.roles import Role


@pytest.mark.parametrize("language, message", [
    ("zh-hans", "部分字段缺失或无效。"),
    ("en", "Some fields are missing or invalid."),
])
def test_validation_error_speaks_the_request_language(org, make_user, api_as, language, message):
    admin = make_user(Role.PLAN_ADMIN, org.a1)
    response = api_as(admin, language=language).post(reverse("api:department-list"), {"unit": org.a1.pk}, format="json")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["message"] == message
    assert set(error["fields"]) == {"code", "name"}
    assert Department.objects.filter(unit=org.a1).count() == 1  # nothing created


@pytest.mark.parametrize("language, message", [
    ("zh-hans", "您没有执行该操作的权限。"),
    ("en", "You do not have permission to perform this action."),
])
def test_permission_error_speaks_the_request_language(org, make_user, api_as, language, message):
    officer = make_user(Role.DUTY_OFFICER, org.a1)
    department = Department.objects.get(unit=org.a1)
    response = api_as(officer, language=language).patch(
        reverse("api:department-detail", args=[department.pk]), {"duties": "x"}, format="json")
    assert response.status_code == 403
    assert response.json()["error"] == {"code": "not_permitted", "message": message}


def test_not_found_speaks_chinese_by_default(org, make_user, client):
    client.force_login(make_user(Role.DUTY_OFFICER, org.a1))
    response = client.get(reverse("api:unit-detail", args=[org.b.pk]))
    assert response.status_code == 404
    assert response.json()["error"]["message"] == "未找到。"


def test_pages_default_to_chinese_and_switch_to_english(db, client):
    assert "登录" in client.get(reverse("login")).content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert "Sign in" in client.get(reverse("login")).content.decode()
