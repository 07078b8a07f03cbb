"""Requests the platform refuses before any view reads them: a clear 4xx in the user's language
(JSON under /api/, plain text elsewhere), never a 500.

- A body larger than DATA_UPLOAD_MAX_MEMORY_SIZE gets 413. Django checks that limit only when a form
  is read; DRF parses JSON from the raw stream, past it. The platform takes no file uploads, so the
  limit holds for the whole body.
- A NUL character in a query parameter or a form field gets 400: PostgreSQL refuses it in text, and a
  view that filters or saves such a value would fail. (JSON bodies are checked by the API's fields.)
"""
from __future__ import annotations

from django.conf import settings
from django.http import HttpResponse
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from emergency.api.errors import is_api
from emergency.oversized import oversized_form

FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def refusal(request, status: int, code: str, message: str) -> HttpResponse:
    from emergency.api.errors import error_response

    if is_api(request):
        return error_response(code, message, status)
    return HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")


def _has_nul(query) -> bool:
    return any("\x00" in key or any("\x00" in value for value in values) for key, values in query.lists())


class RequestLimitsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if limit is not None and length > limit:
            if request.method == "POST" and not is_api(request):
                return oversized_form(request, length)  # keeps what the officer typed
            return refusal(request, 413, "too_large",
                           _("The request is too large (at most %(size)s).") % {"size": filesizeformat(limit)})
        form = request.content_type in FORM_TYPES and request.method == "POST"
        if _has_nul(request.GET) or (form and _has_nul(request.POST)):
            return refusal(request, 400, "invalid", _("Text may not contain the NUL character."))
        return self.get_response(request)
