"""Production profile passes `check --deploy`; pages carry CSP and framing headers; login is throttled."""
import subprocess
import sys

import pytest
from django.urls import reverse

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
