"""The alerts app's URLs: its pages (`urlpatterns`: GET pages, and one route per operation named
by the operation) and its API routes (`api_urlpatterns`, under `/api/v1/`), both included by
`emergency/urls.py`."""
from django.urls import path
from rest_framework.routers import SimpleRouter

from alerts import api as alerts_api
from alerts import feeds as alert_feeds
from alerts import operations  # noqa: F401  (registers the warnings' operations)
from alerts import public as alert_public
from alerts import views as alert_views
from emergency.operations.pages import operation_view

WARNING = {"lookup": alert_views.warning_for}


def _to_incident(_warning, escalation) -> str:
    return escalation.url


urlpatterns = [
    path("api/v1/warnings/<int:pk>.cap", alert_feeds.cap_document, name="warning-cap"),
    path("api/v1/warnings/<int:pk>/messages/<int:sequence>.cap", alert_feeds.cap_document, name="warning-cap-message"),
    path("warnings/feed/<slug:code>.atom", alert_feeds.ActiveWarningsFeed(), name="warning-feed"),
    path("public/warnings/<int:pk>/", alert_public.public_warning, name="public-warning"),
    path("warnings/", alert_views.warning_list, name="warning-list"),
    path("warnings/new/", alert_views.warning_new, name="warning-new"),
    path("warnings/draft/", operation_view("warning.draft"), name="warning.draft"),
    path("warnings/<int:pk>/", alert_views.warning_detail, name="warning-detail"),
    path("warnings/<int:pk>/issue/", operation_view("warning.issue", **WARNING), name="warning.issue"),
    path("warnings/<int:pk>/adjust/", operation_view("warning.adjust", **WARNING), name="warning.adjust"),
    path("warnings/<int:pk>/lift/", operation_view("warning.lift", **WARNING), name="warning.lift"),
    path("warnings/<int:pk>/escalate/", operation_view("warning.escalate", next=_to_incident, **WARNING),
         name="warning.escalate"),
    path("warnings/<int:pk>/assign-measure/", operation_view("warning.assign-measure", **WARNING),
         name="warning.assign-measure"),
    path("warnings/measures/<int:pk>/report/", operation_view("warning_measure.report",
                                                              lookup=alert_views.measure_for),
         name="warning_measure.report"),
    path("warnings/<int:pk>/reach/", operation_view("warning.reach", **WARNING), name="warning.reach"),
]

router = SimpleRouter()
router.register("warnings", alerts_api.WarningViewSet, basename="warning")
router.register("warning-measures", alerts_api.WarningMeasureViewSet, basename="warning-measure")

api_urlpatterns = router.urls
