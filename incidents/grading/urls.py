"""The incidents.grading app's URLs: its pages (`urlpatterns`) and, where it has them, its API routes
(`api_urlpatterns`, under `/api/v1/`), both included by `emergency/urls.py`."""
from django.urls import path
from rest_framework.routers import SimpleRouter

from incidents.grading import views as grading_views
from incidents.grading import api as grading_api

urlpatterns = [
    path("grading/", grading_views.table_list, name="grading-tables"),
    path("grading/draft/", grading_views.table_draft, name="grading-draft"),
    path("grading/<int:pk>/", grading_views.table_detail, name="grading-table"),
    path("grading/<int:pk>/run/", grading_views.table_run, name="grading-run"),
    path("grading/<int:pk>/publish/", grading_views.table_publish, name="grading-publish"),
]

router = SimpleRouter()
router.register("grading/tables", grading_api.ThresholdTableViewSet, basename="threshold-table")

api_urlpatterns = [
    path("grading/preview/", grading_api.preview, name="grading-preview"),
    path("grading/taxonomy/", grading_api.taxonomy, name="grading-taxonomy"),
    *router.urls,
]
