"""The incidents app's URLs: its pages (`urlpatterns`) and its API routes (`api_urlpatterns`, under
`/api/v1/`), both included by `emergency/urls.py`. Each write is an operation's route, named by it."""
from django.urls import path
from rest_framework.routers import SimpleRouter

from emergency.operations.pages import operation_view
from incidents import api as incidents_api
from incidents import document_views
from incidents import operations  # noqa: F401  (registers the incidents' operations)
from incidents import views as incident_views

incident, report, duty = incident_views.incident_for, incident_views.report_for, incident_views.duty_for
release = incident_views.release_for
copy = incident_views.copy_for

urlpatterns = [
    path("incidents/<int:pk>/reports/<int:report_pk>/document.<str:fmt>", document_views.report_document, name="incident-report-document"),
    path("incidents/<int:pk>/investigation/document.<str:fmt>", document_views.investigation_document, name="incident-investigation-document"),
    path("incidents/review/document.<str:fmt>", document_views.annual_review_document, name="annual-review-document"),
    path("incidents/", incident_views.incident_list, name="incident-list"),
    path("incidents/new/", incident_views.incident_new, name="incident-new"),
    path("incidents/log/", operation_view("incident.log"), name="incident.log"),
    path("incidents/late/", incident_views.late_deadlines, name="late-deadlines"),
    path("incidents/review/", incident_views.annual_review, name="annual-review"),
    path("incidents/review/duties/<int:pk>/done/", operation_view("review-duty.done", lookup=duty),
         name="review-duty.done"),
    path("incidents/<int:pk>/", incident_views.incident_detail, name="incident-detail"),
    path("incidents/<int:pk>/report/", operation_view("incident.report", lookup=incident), name="incident.report"),
    path("incidents/<int:pk>/release/", operation_view("incident.release", lookup=incident), name="incident.release"),
    path("incidents/<int:pk>/set-grade/", operation_view("incident.set-grade", lookup=incident),
         name="incident.set-grade"),
    path("incidents/<int:pk>/lead-department/", operation_view("incident.lead-department", lookup=incident),
         name="incident.lead-department"),
    path("incidents/<int:pk>/flag-panic/", operation_view("incident.flag-panic", lookup=incident),
         name="incident.flag-panic"),
    path("incidents/<int:pk>/investigate/", operation_view("incident.investigate", lookup=incident),
         name="incident.investigate"),
    path("incidents/releases/<int:pk>/approve/", operation_view("release.approve", lookup=release),
         name="release.approve"),
    path("incidents/releases/<int:pk>/reject/", operation_view("release.reject", lookup=release),
         name="release.reject"),
    path("incidents/reports/<int:pk>/send/", operation_view("report.send", lookup=report), name="report.send"),
    path("incidents/reports/<int:pk>/correct/", operation_view("report.correct", lookup=report),
         name="report.correct"),
    path("incidents/copies/", incident_views.copies_received, name="report-copies-received"),
    path("incidents/copies/<int:pk>/acknowledge/", operation_view("report-copy.acknowledge", lookup=copy),
         name="report-copy.acknowledge"),
    path("incidents/<int:pk>/close/", operation_view("incident.close", lookup=incident), name="incident.close"),
    path("incidents/<int:pk>/classify/", operation_view("incident.classify", lookup=incident),
         name="incident.classify"),
]

router = SimpleRouter()
router.register("incidents", incidents_api.IncidentViewSet, basename="incident")
router.register("incident-reports", incidents_api.IncidentReportViewSet, basename="incident-report")
router.register("incident-releases", incidents_api.ReleaseViewSet, basename="incident-release")
router.register("report-copies", incidents_api.ReportCopyViewSet, basename="report-copy")
router.register("annual-review-duties", incidents_api.ReviewDutyViewSet, basename="review-duty")

api_urlpatterns = [
    path("late-deadlines/", incidents_api.late_deadlines, name="late-deadlines"),
    path("incidents/<int:pk>/reports/<int:report_pk>/document.<str:fmt>", document_views.report_document_api,
         name="incident-report-document"),
    path("incidents/<int:pk>/investigation/document.<str:fmt>", document_views.investigation_document_api,
         name="incident-investigation-document"),
    path("incidents/review/document.<str:fmt>", document_views.annual_review_document_api,
         name="annual-review-document"),
    *router.urls,
]
