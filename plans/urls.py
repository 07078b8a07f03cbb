"""The plans app's URLs: its pages (`urlpatterns`) and, where it has them, its API routes
(`api_urlpatterns`, under `/api/v1/`), both included by `emergency/urls.py`."""
from django.urls import path
from rest_framework.routers import SimpleRouter

from plans import views as plan_views
from plans import api as plans_api
from plans import document_views

urlpatterns = [
    path("plans/<int:pk>/editions/<int:number>/document.<str:fmt>", document_views.edition_document, name="plan-edition-document"),
    path("plans/", plan_views.plan_tree, name="plan-tree"),
    path("plans/new/", plan_views.plan_new, name="plan-new"),
    path("plans/<int:pk>/", plan_views.plan_detail, name="plan-detail"),
    path("plans/<int:pk>/version/", plan_views.version_save, name="plan-version-save"),
    path("plans/<int:pk>/submit/", plan_views.version_submit, name="plan-version-submit"),
    path("plans/<int:pk>/step/", plan_views.step_take, name="plan-step"),
    path("plans/<int:pk>/opinions/", plan_views.opinions_request, name="plan-opinions-request"),
    path("plans/<int:pk>/opinions/<int:opinion_pk>/", plan_views.opinion_record, name="plan-opinion-record"),
    path("plans/<int:pk>/tasks/", plan_views.task_add, name="plan-task-add"),
    path("plans/<int:pk>/retire/", plan_views.plan_retire, name="plan-retire"),
    path("plans/<int:pk>/drills/", plan_views.drill_add, name="plan-drill-add"),
    path("plans/<int:pk>/evaluations/", plan_views.evaluation_add, name="plan-evaluation-add"),
    path("plans/<int:pk>/requests/", plan_views.request_add, name="plan-request-add"),
    path("plans/<int:pk>/requests/<int:request_pk>/", plan_views.request_close, name="plan-request-close"),
    path("plans/<int:pk>/editions/<int:number>/", plan_views.edition_view, name="plan-edition"),
]

router = SimpleRouter()
router.register("plans", plans_api.PlanViewSet, basename="plan")

api_urlpatterns = router.urls
