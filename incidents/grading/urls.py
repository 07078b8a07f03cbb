"""The incidents.grading app's URLs: its pages (`urlpatterns`) and its API routes
(`api_urlpatterns`, under `/api/v1/`), both included by `emergency/urls.py`."""
from django.urls import path
from rest_framework.routers import SimpleRouter

from emergency.operations.pages import operation_view
from incidents.grading import api as grading_api
from incidents.grading import operations  # noqa: F401  (registers the grading operations)
from incidents.grading import views as grading_views

table, criterion = grading_views.table_for, grading_views.criterion_for

urlpatterns = [
    path("grading/", grading_views.table_list, name="grading-tables"),
    path("grading/draft/", operation_view("threshold-table.draft"), name="threshold-table.draft"),
    path("grading/<int:pk>/", grading_views.table_detail, name="grading-table"),
    path("grading/<int:pk>/run-cases/", operation_view("threshold-table.run-cases", lookup=table),
         name="threshold-table.run-cases"),
    path("grading/<int:pk>/publish/", operation_view("threshold-table.publish", lookup=table),
         name="threshold-table.publish"),
    path("grading/<int:pk>/add-criterion/", operation_view("threshold-table.add-criterion", lookup=table),
         name="threshold-table.add-criterion"),
    path("grading/criteria/<int:pk>/change/", operation_view("criterion.change", lookup=criterion),
         name="criterion.change"),
    path("grading/criteria/<int:pk>/remove/", operation_view("criterion.remove", lookup=criterion),
         name="criterion.remove"),
]

router = SimpleRouter()
router.register("grading/tables", grading_api.ThresholdTableViewSet, basename="threshold-table")
router.register("grading/criteria", grading_api.CriterionViewSet, basename="criterion")

api_urlpatterns = [
    path("grading/preview/", grading_api.preview, name="grading-preview"),
    path("grading/taxonomy/", grading_api.taxonomy, name="grading-taxonomy"),
    *router.urls,
]
