"""When the database cannot be reached (restarting, failed over, network cut) a request gets a
clear 503 in the user's language: JSON under /api/, a plain page elsewhere; never a bare 500.

The page is rendered without the request context: the navigation and the user would need the
very database that is missing. The next request reconnects by itself (CONN_HEALTH_CHECKS).
"""
from __future__ import annotations

import logging

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from emergency.api.errors import error_response, is_api

logger = logging.getLogger(__name__)
RETRY_AFTER_SECONDS = 5
CONTENDED = {"40P01", "40001"}  # deadlock detected, serialization failure: the database is there


def _contended(request, exception):
    """Two changes collided and PostgreSQL rolled one back: nothing was written; a 409 to retry."""
    logger.warning("transaction rolled back by contention for %s %s: %s", request.method, request.path, exception)
    message = _("Someone else was changing the same record at that moment; nothing was saved. Please try again.")
    if is_api(request):
        return error_response("conflict", message, 409)
    return HttpResponse(render_to_string("503.html", {"message": message, "title": _("Not saved")}), status=409)


def unavailable_message() -> str:
    return _("The platform cannot reach its database right now. Please try again in a moment.")


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, (OperationalError, InterfaceError)):
            return None
        if getattr(exception.__cause__, "pgcode", None) in CONTENDED:
            return _contended(request, exception)
        logger.error("database unavailable for %s %s: %s", request.method, request.path, exception)
        if is_api(request):
            response = error_response("unavailable", unavailable_message(), 503)
        else:
            response = HttpResponse(render_to_string("503.html", {"message": unavailable_message()}), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
