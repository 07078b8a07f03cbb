"""`Cache-Control: no-store` on what is private: every page shown to a signed-in user and every
API answer (a shared computer or a caching proxy must not keep a duty officer's data). Public
pages (the login page, public feeds) keep their own headers; static files never reach here."""
from emergency.api.errors import is_api


class NoStoreMiddleware:
    """Placed after the authentication middleware; DRF's token authentication sets the user on
    Django's request too, so API callers with a token count as signed in."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            response["Cache-Control"] = "no-store"
        elif is_api(request) and not response.has_header("Cache-Control"):
            response["Cache-Control"] = "no-store"
        return response
