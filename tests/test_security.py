"""Production profile passes `check --deploy`; pages carry CSP and framing headers; login is throttled;
sessions end with the duty shift; weak passwords are refused."""
import subprocess
import sys
from datetime import timedelta

import pytest
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from emergency.org.models import User

from .factories import PASSWORD, UnitFactory, user_with_role
from .processes import ROOT, process_env


def test_check_deploy_is_clean_with_production_settings():
    env = process_env(
        DJANGO_PRODUCTION="1", DJANGO_SECRET_KEY="k" * 20 + "-production-only-" + "z9" * 20,
        DJANGO_ALLOWED_HOSTS="emergency.example.org",
    )
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # a test-only switch that check --deploy rightly flags
    result = subprocess.run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
                            cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.django_db
def test_pages_send_csp_without_inline_script_and_deny_framing(client):
    response = client.get(reverse("login"))
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert response["X-Frame-Options"] == "DENY"
    assert b"<script>" not in response.content


@pytest.mark.django_db
def test_login_is_throttled_after_repeated_failures(client, settings):
    user = user_with_role("duty_officer", UnitFactory())
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": user.username, "password": "wrong"})
    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_every_form_carries_a_csrf_token(client):
    assert b"csrfmiddlewaretoken" in client.get(reverse("login")).content


@pytest.mark.django_db
def test_a_session_ends_with_the_duty_shift_and_when_the_browser_closes(client, settings):
    assert 0 < settings.SESSION_COOKIE_AGE <= 12 * 3600 and settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
    user = user_with_role("duty_officer", UnitFactory())
    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["expires"] == "" and cookie["max-age"] == ""  # gone with the browser
    session = Session.objects.get(session_key=cookie.value)
    assert session.expire_date <= timezone.now() + timedelta(seconds=settings.SESSION_COOKIE_AGE)
    assert client.get(reverse("incident-list")).status_code == 200
    Session.objects.filter(pk=session.pk).update(expire_date=timezone.now() - timedelta(seconds=1))
    response = client.get(reverse("incident-list"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("password", [
    pytest.param("Gx7-kq2", id="too-short"), pytest.param("password123", id="common"),
    pytest.param("20240601123456", id="all-digits"), pytest.param("zhangwei-duty1", id="like-the-username")])
def test_weak_passwords_are_refused(password):
    user = User(username="zhangwei-duty", full_name="张伟")
    with pytest.raises(ValidationError):
        validate_password(password, user)
    validate_password(PASSWORD, user)
