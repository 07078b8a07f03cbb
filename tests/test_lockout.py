"""Sign-in lock-out in the production shape (issue 20, item 1): the forwarded address is believed
only from a trusted proxy, and an account is locked whatever address each guess comes from."""
import re
import shlex

import pytest
import requests
import yaml
from axes.models import AccessAttempt
from django.urls import reverse
from rest_framework.test import APIClient

from emergency.clientip import client_address

from .factories import PASSWORD, UnitFactory, user_with_role
from .processes import ROOT, asgi_server, server_login


def _compose_web() -> tuple[str, tuple[str, ...], dict[str, str]]:
    """The web service's server and flags (less host, port, worker count and application) and its
    TRUSTED_PROXIES default, as docker-compose.yml runs them."""
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    command = compose["services"]["web"]["command"]
    words = shlex.split(command[2]) if command[:2] == ["sh", "-c"] else list(command)
    words = words[1:] if words[0] == "exec" else words
    server, options, args = words[0], [], iter(words[1:-1])
    for arg in args:
        if arg in ("-b", "-p", "--host", "--port", "--workers"):
            next(args)
        else:
            options.append(arg)
    trusted = compose["x-app"]["environment"]["TRUSTED_PROXIES"]
    default = re.fullmatch(r"\$\{TRUSTED_PROXIES:-(.*)\}", trusted)
    return server, tuple(options), {"TRUSTED_PROXIES": default.group(1) if default else trusted}


def _sign_in(session: requests.Session, url: str, username: str, password: str, forwarded_for: str):
    page = session.get(f"{url}/accounts/login/", headers={"X-Forwarded-For": forwarded_for})
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    return session.post(f"{url}/accounts/login/", allow_redirects=False,
                        data={"username": username, "password": password, "csrfmiddlewaretoken": token},
                        headers={"X-Forwarded-For": forwarded_for})


@pytest.mark.django_db(transaction=True)
def test_seven_guesses_each_from_a_new_forwarded_address_lock_the_account_behind_the_proxy():
    user = user_with_role("duty_officer", UnitFactory())
    server_login(user)
    server_name, options, env = _compose_web()
    with asgi_server(server=server_name, options=options, env=env) as server:
        session = requests.Session()
        answers = [_sign_in(session, server.url, user.username, "wrong-password", f"203.0.113.{n}").status_code
                   for n in range(1, 8)]
        right = _sign_in(session, server.url, user.username, PASSWORD, "203.0.113.8")
    assert answers == [200] * 4 + [429] * 3  # the form again with its error, then locked at the fifth
    assert right.status_code == 429 and "sessionid" not in session.cookies
    # Behind the trusted proxy (the compose file's loopback default) each guess counts by its client.
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) >= {"203.0.113.1", "203.0.113.5"}


@pytest.mark.django_db
def test_a_forwarded_address_from_a_client_that_is_not_a_proxy_is_ignored(client, settings):
    settings.TRUSTED_PROXIES = []
    user = user_with_role("duty_officer", UnitFactory())
    client.post(reverse("login"), {"username": user.username, "password": "wrong"},
                REMOTE_ADDR="198.51.100.7", HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == ["198.51.100.7"]


@pytest.mark.parametrize(("peer", "forwarded", "expected"), [
    ("198.51.100.7", "203.0.113.9", "198.51.100.7"),  # not a proxy: its header is its own claim
    ("127.0.0.1", "203.0.113.9", "203.0.113.9"),  # the proxy saw this client
    ("127.0.0.1", "6.6.6.6, 203.0.113.9", "203.0.113.9"),  # the client wrote the first hop itself
    ("127.0.0.1", "203.0.113.9, 10.0.0.2", "203.0.113.9"),  # through two trusted proxies
    ("127.0.0.1", "203.0.113.9, not-an-address", "127.0.0.1"),  # a garbled chain
    ("127.0.0.1", "", "127.0.0.1"),
])
def test_the_client_address_is_the_first_untrusted_hop_from_the_right(settings, peer, forwarded, expected):
    settings.TRUSTED_PROXIES = ["127.0.0.1/32", "10.0.0.0/8"]
    assert client_address({"REMOTE_ADDR": peer, "HTTP_X_FORWARDED_FOR": forwarded}) == expected


@pytest.mark.django_db
def test_an_api_token_issued_before_a_lock_out_keeps_working_but_no_new_one_is_issued(settings):
    user = user_with_role("duty_officer", UnitFactory())
    token = APIClient().post("/api/v1/auth/token/", {"username": user.username, "password": PASSWORD},
                             format="json").json()["token"]
    guesser = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    for n in range(settings.AXES_FAILURE_LIMIT):
        guesser.post("/api/v1/auth/token/", {"username": user.username, "password": "wrong"}, format="json",
                     REMOTE_ADDR=f"198.51.100.{n + 1}")
    refused = guesser.post("/api/v1/auth/token/", {"username": user.username, "password": PASSWORD}, format="json")
    assert refused.status_code == 429
    assert refused.json()["error"]["code"] == "locked_out" and "locked" in refused.json()["error"]["message"]
    holder = APIClient(HTTP_AUTHORIZATION=f"Token {token}")
    assert holder.get("/api/v1/me/").status_code == 200
