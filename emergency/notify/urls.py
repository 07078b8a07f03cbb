"""The emergency.notify app's URLs: the inbox page (`urlpatterns`) and `/api/v1/notifications/`
(`api_urlpatterns`), both included by `emergency/urls.py`."""
from django.urls import path
from rest_framework.routers import SimpleRouter

from . import views
from .api import NotificationViewSet

urlpatterns = [
    path("notifications/", views.inbox, name="notification-inbox"),
    path("notifications/read/", views.mark_read, name="notification-read"),
]

router = SimpleRouter()
router.register("notifications", NotificationViewSet, basename="notification")

api_urlpatterns = router.urls
