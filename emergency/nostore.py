"""`Cache-Control: no-store` on what is private: every page shown to a signed-in user and every
API answer (a shared computer or a caching proxy must not keep a duty officer's data). Public
pages (the login page, public feeds) keep their own headers; static files never reach here.
The API's documentation and schema hold no one's data and are left alone: Swagger UI did not
render under no-store in Chromium (test_browser_navigation); the cause is not established."""
from django.conf import settings

from emergency.api.errors import is_api

PUBLIC_PREFIXES = ("/api/docs/", "/api/schema/")


def _signed_in(request, response) -> bool:
    """Credentials on the request (a session cookie, an Authorization header) or a session just
    opened. Read from headers, never from `request.user`: with the database gone, resolving the
    user would raise here, past the 503 handler."""
    session = settings.SESSION_COOKIE_NAME
    return session in request.COOKIES or "HTTP_AUTHORIZATION" in request.META or session in response.cookies


class NoStoreMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path_info.startswith(PUBLIC_PREFIXES):
            return response
        if _signed_in(request, response):
            response["Cache-Control"] = "no-store"
        elif is_api(request) and not response.has_header("Cache-Control"):
            response["Cache-Control"] = "no-store"
        return response
