"""The alerts app's URLs: its pages (`urlpatterns`) and, where it has them, its API routes
(`api_urlpatterns`, under `/api/v1/`), both included by `emergency/urls.py`."""
from django.urls import path

from alerts import feeds as alert_feeds
from alerts import public as alert_public
from alerts import api as alerts_api
from alerts import operations  # noqa: F401  (registers the warnings' operations)
from alerts import views as alert_views
from emergency.operations.pages import operation_view
from rest_framework.routers import SimpleRouter

urlpatterns = [
    path("api/v1/warnings/<int:pk>.cap", alert_feeds.cap_document, name="warning-cap"),
    path("api/v1/warnings/<int:pk>/messages/<int:sequence>.cap", alert_feeds.cap_document, name="warning-cap-message"),
    path("warnings/feed/<slug:code>.atom", alert_feeds.ActiveWarningsFeed(), name="warning-feed"),
    path("public/warnings/<int:pk>/", alert_public.public_warning, name="public-warning"),
    path("warnings/", alert_views.warning_list, name="warning-list"),
    path("warnings/new/", alert_views.warning_new, name="warning-new"),
    path("warnings/<int:pk>/", alert_views.warning_detail, name="warning-detail"),
    path("warnings/<int:pk>/lift/", operation_view("warning.lift", lookup=alert_views.warning_for), name="warning.lift"),
    path("warnings/<int:pk>/reach/", operation_view("warning.reach", lookup=alert_views.warning_for), name="warning.reach"),
    path("warnings/<int:pk>/<str:action>/", alert_views.warning_action, name="warning-action"),
]

router = SimpleRouter()
router.register("warnings", alerts_api.WarningViewSet, basename="warning")

api_urlpatterns = router.urls
