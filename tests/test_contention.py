"""Two changes that collide in PostgreSQL (deadlock, serialization failure) answer 409 in the user's
language with nothing saved, not the 503 of a missing database nor a 500."""
import json

import pytest
from django.db import OperationalError
from django.http import HttpResponse
from django.test import RequestFactory
from django.utils import translation

from emergency.unavailable import DatabaseUnavailableMiddleware


class _Cause(Exception):
    def __init__(self, pgcode):
        super().__init__("deadlock detected")
        self.pgcode = pgcode


def _collided(pgcode):
    error = OperationalError("deadlock detected")
    error.__cause__ = _Cause(pgcode)
    return error


@pytest.mark.parametrize("pgcode", ["40P01", "40001"])
def test_a_collision_is_a_conflict_to_retry(pgcode):
    middleware = DatabaseUnavailableMiddleware(lambda request: HttpResponse())
    with translation.override("zh-hans"):
        api = middleware.process_exception(RequestFactory().post("/api/v1/incidents/"), _collided(pgcode))
        page = middleware.process_exception(RequestFactory().post("/incidents/new/"), _collided(pgcode))
    body = json.loads(api.content)
    assert api.status_code == 409 and "请重试" in body["error"]["message"] and body["error"]["code"] == "conflict"
    assert page.status_code == 409 and "请重试" in page.content.decode()


def test_a_lost_database_is_still_a_503():
    middleware = DatabaseUnavailableMiddleware(lambda request: HttpResponse())
    response = middleware.process_exception(RequestFactory().get("/api/v1/incidents/"),
                                            OperationalError("connection refused"))
    assert response.status_code == 503 and response["Retry-After"]
