"""Issue 20, item 10: the OpenAPI schema says what the API answers (the fuzz test in test_api_fuzz.py
checks every answer against it; this pins the four places the independent test found wrong)."""
from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture
def schema(client):
    answer = client.get(reverse("api-schema"), HTTP_ACCEPT="application/json")
    assert answer.status_code == 200
    return answer.json()


def _props(schema, name):
    return schema["components"]["schemas"][name]["properties"]


def _response(schema, path, method, code):
    return schema["paths"][path][method]["responses"][code]["content"]["application/json"]["schema"]


def test_fields_that_can_be_null_are_declared_nullable(schema):
    assert _props(schema, "Plan")["edition"].get("nullable") is True  # unpublished plans
    assert _props(schema, "Plan")["drill_overdue"].get("nullable") is True
    assert _props(schema, "AuditEntry")["actor"].get("nullable") is True  # system entries


def test_actions_declare_what_they_return(schema):
    criteria = _response(schema, "/api/v1/grading/tables/{id}/criteria/", "get", "200")
    assert criteria["type"] == "array"  # all of the table's criteria, not a page
    run = _response(schema, "/api/v1/grading/tables/{id}/run-cases/", "post", "200")
    run = schema["components"]["schemas"][run["$ref"].rsplit("/", 1)[1]]
    assert set(run["properties"]) == {"revision", "total", "passed", "failures"}
    for path in ("/api/v1/incidents/{id}/report/", "/api/v1/plans/{id}/drills/", "/api/v1/plans/{id}/evaluations/",
                 "/api/v1/plans/{id}/revision-requests/", "/api/v1/plans/{id}/steps/"):
        responses = schema["paths"][path]["post"]["responses"]
        assert "201" in responses and "200" not in responses, path


def test_every_operation_documents_its_errors_in_the_error_format(schema):
    error = schema["components"]["schemas"]["Error"]
    assert error["properties"]["error"]["required"] == ["code", "message"]
    operations = [(path, method, op) for path, methods in schema["paths"].items() for method, op in methods.items()]
    assert len(operations) > 60
    for path, method, operation in operations:
        for code in ("400", "401", "403", "404"):
            assert operation["responses"][code]["content"]["application/json"]["schema"] == {
                "$ref": "#/components/schemas/Error"}, (path, method, code)
        if method in ("post", "patch", "put", "delete"):
            assert "409" in operation["responses"], (path, method)
