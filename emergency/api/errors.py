"""API errors as JSON with a message in the request's language.

Shape: {"error": {"code": "...", "message": "...", "fields": {"name": ["..."]}}}
"""
from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, JsonResponse
from django.utils.encoding import force_str
from django.utils.translation import gettext as _
from django.views import defaults
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from emergency.errors import DomainError


def _flatten(detail) -> dict[str, list[str]]:
    if isinstance(detail, dict):
        return {key: [force_str(v) for v in (value if isinstance(value, list) else [value])]
                for key, value in detail.items()}
    return {}


def _first_message(detail) -> str:
    if isinstance(detail, dict):
        for value in detail.values():
            return _first_message(value)
    if isinstance(detail, list) and detail:
        return _first_message(detail[0])
    return force_str(detail)


def error_body(code: str, message: str, fields: dict | None = None) -> dict:
    body = {"code": code, "message": message}
    if fields:
        body["fields"] = fields
    return {"error": body}


def exception_handler(exc, context):
    if isinstance(exc, DomainError):
        fields = {key: [force_str(v) for v in values] for key, values in exc.fields.items()}
        return Response(error_body(exc.code, force_str(exc.message), fields), status=exc.status_code)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        fields = _flatten(exc.detail)
        message = _("Some fields are missing or invalid.") if fields else _first_message(exc.detail)
        response.data = error_body("invalid", message, fields)
    else:
        code = getattr(exc, "default_code", "error")
        response.data = error_body(code, _first_message(getattr(exc, "detail", str(exc))))
    return response


def not_found_response() -> Response:
    return Response(error_body("not_found", _("Not found.")), status=status.HTTP_404_NOT_FOUND)


def is_api(request) -> bool:
    return request.path_info.startswith("/api/")


def error_response(code: str, message: str, http_status: int) -> JsonResponse:
    """The API's error body outside DRF (middleware, Django's handlers), UTF-8 as DRF renders it."""
    return JsonResponse(error_body(code, message), status=http_status, json_dumps_params={"ensure_ascii": False})


def page_not_found(request, exception):
    """Django's 404 for a URL that matches no route: the API's error body under /api/, the page elsewhere."""
    if is_api(request):
        return error_response("not_found", _("Not found."), 404)
    return defaults.page_not_found(request, exception)


def bad_request(request, exception):
    """Django's 400 (a request it finds suspicious, e.g. too many form fields): JSON under /api/."""
    if is_api(request):
        return error_response("bad_request", _("The request is not valid."), 400)
    return defaults.bad_request(request, exception)
