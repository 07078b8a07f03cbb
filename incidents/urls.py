"""The incidents app's URLs: its pages (`urlpatterns`) and, where it has them, its API routes
(`api_urlpatterns`, under `/api/v1/`), both included by `emergency/urls.py`."""
from django.urls import path
from rest_framework.routers import SimpleRouter

from incidents import views as incident_views
from incidents import api as incidents_api
from incidents import document_views
from incidents import closure_views

urlpatterns = [
    path("incidents/<int:pk>/reports/<int:report_pk>/document.<str:fmt>", document_views.report_document, name="incident-report-document"),
    path("incidents/<int:pk>/investigation/document.<str:fmt>", document_views.investigation_document, name="incident-investigation-document"),
    path("incidents/review/document.<str:fmt>", document_views.annual_review_document, name="annual-review-document"),
    path("incidents/", incident_views.incident_list, name="incident-list"),
    path("incidents/new/", incident_views.incident_new, name="incident-new"),
    path("incidents/late/", incident_views.late_deadlines, name="late-deadlines"),
    path("incidents/review/", incident_views.annual_review, name="annual-review"),
    path("incidents/review/duties/<int:pk>/done/", incident_views.annual_review_done, name="annual-review-done"),
    path("incidents/<int:pk>/investigation/", incident_views.investigation_add, name="incident-investigation"),
    path("incidents/<int:pk>/", incident_views.incident_detail, name="incident-detail"),
    path("incidents/<int:pk>/reports/", incident_views.report_add, name="incident-report-add"),
    path("incidents/<int:pk>/reports/<int:report_pk>/send/", incident_views.report_send, name="incident-report-send"),
    path("incidents/<int:pk>/releases/", incident_views.release_add, name="incident-release-add"),
    path("incidents/<int:pk>/grade/", incident_views.grade_set, name="incident-grade-set"),
    path("incidents/<int:pk>/lead-department/", incident_views.lead_department_set, name="incident-lead-set"),
    path("incidents/<int:pk>/panic/", incident_views.panic_flag, name="incident-panic-flag"),
    path("incidents/<int:pk>/close/", closure_views.close, name="incident-close"),
]

router = SimpleRouter()
router.register("incidents", incidents_api.IncidentViewSet, basename="incident")

api_urlpatterns = [
    path("late-deadlines/", incidents_api.late_deadlines, name="late-deadlines"),
    path("incidents/<int:pk>/close/", closure_views.IncidentCloseView.as_view(), name="incident-close"),
    *router.urls,
]
