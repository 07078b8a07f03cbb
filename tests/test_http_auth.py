"""Missing or wrong credentials under /api/ get 401 with `WWW-Authenticate` (issue 20, item 6);
what a signed-in user is shown, and every API answer, is never stored by a browser or proxy."""
import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from emergency.org.roles import Role


@pytest.mark.parametrize("credentials", [{}, {"HTTP_AUTHORIZATION": "Token not-a-token"},
                                         {"HTTP_AUTHORIZATION": "Token"}])
def test_missing_or_invalid_credentials_get_401_with_www_authenticate(db, credentials):
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en", **credentials)
    for answer in (client.get(reverse("api:incident-list")), client.post(reverse("api:grading-preview"), {},
                                                                        format="json")):
        assert answer.status_code == 401
        assert answer["WWW-Authenticate"] == "Token"
        assert answer.json()["error"]["code"] in ("not_authenticated", "authentication_failed")
        assert answer["Cache-Control"] == "no-store"


def test_a_valid_token_is_still_accepted_and_a_session_still_works(org, make_user, api_as):
    user = make_user(Role.DUTY_OFFICER, org.a1)
    token = APIClient().post(reverse("api:api-token"), {"username": user.username, "password": "x"}, format="json")
    assert token.status_code == 400  # a wrong password is a 400 of the form, not a 401
    assert api_as(user).get(reverse("api:me")).status_code == 200


def test_pages_and_api_answers_for_a_signed_in_user_are_not_stored(org, make_user, client):
    client.force_login(make_user(Role.DUTY_OFFICER, org.a1))
    for url in (reverse("home"), reverse("dashboard"), reverse("api:me"), reverse("api:incident-list"),
                reverse("api:unit-detail", args=[org.b.pk])):
        assert client.get(url)["Cache-Control"] == "no-store", url

