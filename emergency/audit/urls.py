"""The emergency.audit app's URLs: its pages (`urlpatterns`) and, where it has them, its API routes
(`api_urlpatterns`, under `/api/v1/`), both included by `emergency/urls.py`."""
from django.urls import path
from rest_framework.routers import SimpleRouter

from emergency.audit import views as audit_views
from emergency.audit.api import AuditEntryViewSet

urlpatterns = [
    path("audit/", audit_views.audit_log, name="audit-log"),
]

router = SimpleRouter()
router.register("audit-entries", AuditEntryViewSet, basename="audit-entry")

api_urlpatterns = router.urls
