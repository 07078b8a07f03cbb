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


def server_error(request):
    """Django's 500 (an exception nothing handled): the API's error body under /api/, the page elsewhere."""
    if is_api(request):
        return error_response("server_error", _("The server could not handle this request. Please try again."), 500)
    return defaults.server_error(request)


def _status_error(http_status: int) -> tuple[str, str]:
    known = {
        400: ("bad_request", _("The request is not valid.")),
        401: ("not_authenticated", _("Authentication credentials were not provided.")),
        403: ("permission_denied", _("You do not have permission to perform this action.")),
        404: ("not_found", _("Not found.")),
        405: ("method_not_allowed", _("This method is not allowed here.")),
        413: ("too_large", _("The request is too large.")),
        415: ("unsupported_media_type", _("This type of body is not accepted.")),
    }
    if http_status in known:
        return known[http_status]
    if http_status >= 500:
        return "server_error", _("The server could not handle this request. Please try again.")
    return "error", _("The request could not be handled.")


class ApiErrorFormatMiddleware:
    """Under /api/, an error answer that is not JSON (an empty 400 from a body Django could not read,
    a CSRF page, a plain-text refusal from a component) is replaced by the API's error body, keeping its
    status and headers such as Retry-After and WWW-Authenticate."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code < 400 or not is_api(request):
            return response
        if response.get("Content-Type", "").startswith("application/json") and response.content.strip():
            return response
        code, message = _status_error(response.status_code)
        replaced = error_response(code, message, response.status_code)
        for header in ("Retry-After", "WWW-Authenticate", "Allow", "Vary", "Cache-Control"):
            if header in response:
                replaced[header] = response[header]
        return replaced
