"""OpenAPI post-processing: every operation documents the error answers it can give, all in the API's
error format (emergency/api/errors.py), so that a client (and schemathesis' status-code and
response-schema checks) knows what a 4xx body looks like."""
from __future__ import annotations

ERROR_SCHEMA = {
    "type": "object",
    "required": ["error"],
    "properties": {"error": {
        "type": "object",
        "required": ["code", "message"],
        "properties": {
            "code": {"type": "string"},
            "message": {"type": "string"},
            "fields": {"type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}}},
        },
    }},
}
ANY = {
    "400": "The request is not valid (a parameter, the body, or a rule of the plan); nothing was changed.",
    "401": "No valid credentials.",
    "403": "The caller may not do this.",
    "404": "Not found, or not within the caller's units.",
    "405": "The method is not allowed here.",
    "429": "Too many requests.",
    "503": "The database is unreachable; retry after Retry-After seconds.",
}
WITH_BODY = {
    "409": "The object's state does not allow this, or a concurrent change won; nothing was saved.",
    "413": "The body is too large.",
    "415": "The body's media type is not accepted.",
}


def error_responses(result, generator, request, public):
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    content = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    for methods in result.get("paths", {}).values():
        for method, operation in methods.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            codes = {**ANY, **(WITH_BODY if method in ("post", "put", "patch", "delete") else {})}
            for code, description in codes.items():
                operation["responses"].setdefault(code, {"description": description, "content": content})
    return result
