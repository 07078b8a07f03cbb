"""`/api/v1/`: one router for the core; each domain app adds its own routes here."""
import logging

from django.urls import include, path
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.routers import DefaultRouter
from rest_framework.throttling import ScopedRateThrottle

from emergency.audit.api import AuditEntryViewSet
from emergency.org import api as org_api
from incidents import api as incidents_api
from incidents.grading import api as grading_api
from incidents.response import api as response_api
from plans import api as plans_api

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


router = DefaultRouter()
router.register("units", org_api.UnitViewSet, basename="unit")
router.register("departments", org_api.DepartmentViewSet, basename="department")
router.register("expert-pools", org_api.ExpertPoolViewSet, basename="expert-pool")
router.register("experts", org_api.ExpertViewSet, basename="expert")
router.register("role-assignments", org_api.RoleAssignmentViewSet, basename="role-assignment")
router.register("audit-entries", AuditEntryViewSet, basename="audit-entry")
router.register("incidents", incidents_api.IncidentViewSet, basename="incident")
router.register("plans", plans_api.PlanViewSet, basename="plan")
router.register("proposals", response_api.ProposalViewSet, basename="proposal")
router.register("responses", response_api.ResponseViewSet, basename="response")
router.register("grading/tables", grading_api.ThresholdTableViewSet, basename="threshold-table")

app_name = "api"

urlpatterns = [
    path("me/", org_api.me, name="me"),
    path("auth/token/", TokenView.as_view(), name="api-token"),
    path("grading/preview/", grading_api.preview, name="grading-preview"),
    path("grading/taxonomy/", grading_api.taxonomy, name="grading-taxonomy"),
    path("incidents/<int:pk>/suggested-level/", response_api.suggested_level, name="suggested-level"),
    path("late-deadlines/", incidents_api.late_deadlines, name="late-deadlines"),
    path("", include(router.urls)),
]
