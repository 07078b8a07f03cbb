"""The core's own API routes (signing in for a token). `emergency/urls.py` composes `/api/v1/` from
these and each app's `api_urlpatterns`."""
import logging

from django.urls import path
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.throttling import ScopedRateThrottle

logger = logging.getLogger(__name__)


class TokenThrottle(ScopedRateThrottle):
    """Counts in the cache (Redis). With Redis unreachable, signing in must still work: the request
    passes (logged), and django-axes, which counts failures in the database, still locks out guessing."""

    def allow_request(self, request, view):
        try:
            return super().allow_request(request, view)
        except (RedisConnectionError, RedisTimeoutError):
            logger.warning("token throttle skipped: the cache is unreachable")
            return True


class TokenView(ObtainAuthToken):
    throttle_classes = [TokenThrottle]
    throttle_scope = "token"

    def get_serializer_context(self):
        # django-axes marks a locked-out sign-in on the request it is given; hand it Django's own,
        # which its middleware reads to answer 429 (DRF's wrapper would keep the mark to itself).
        return {**super().get_serializer_context(), "request": self.request._request}


urlpatterns = []  # no pages

api_urlpatterns = [
    path("auth/token/", TokenView.as_view(), name="api-token"),
]
