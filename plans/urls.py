"""The plans app's URLs: its pages (`urlpatterns`) and its API routes (`api_urlpatterns`, under
`/api/v1/`), both included by `emergency/urls.py`. Each write is an operation (`plans/operations.py`):
its page route is named by the operation and takes the target's own id."""
from django.urls import path
from rest_framework.routers import SimpleRouter

from emergency.operations.pages import operation_view
from plans import api as plans_api
from plans import document_views
from plans import operations  # noqa: F401  (registers the plans' operations)
from plans import public as plan_public
from plans import views as plan_views


def _on_plan(name: str, verb: str):
    return path(f"plans/<int:pk>/{verb}/", operation_view(name, lookup=plan_views.plan_for), name=name)


urlpatterns = [
    path("plans/<int:pk>/editions/<int:number>/document.<str:fmt>", document_views.edition_document, name="plan-edition-document"),
    path("plans/", plan_views.plan_tree, name="plan-tree"),
    path("plans/new/", plan_views.plan_new, name="plan-new"),
    path("plans/add/", operation_view("plan.add"), name="plan.add"),
    path("plans/suggest/", plan_views.suggest, name="plan-suggest"),
    path("plans/suggestions/", operation_view("revision_request.suggest", next="/plans/suggest/"),
         name="revision_request.suggest"),
    path("public/plans/suggest/", plan_public.public_suggest, name="plan-public-suggest"),
    path("plans/<int:pk>/", plan_views.plan_detail, name="plan-detail"),
    _on_plan("plan.version", "version"),
    _on_plan("plan.submit", "submit"),
    _on_plan("plan.steps", "steps"),
    _on_plan("plan.reclassify", "reclassify"),
    _on_plan("plan.opinions", "opinions"),
    _on_plan("plan.tasks", "tasks"),
    _on_plan("plan.retire", "retire"),
    _on_plan("plan.classify", "classify"),
    _on_plan("plan.drills", "drills"),
    _on_plan("plan.evaluations", "evaluations"),
    _on_plan("plan.revision-requests", "revision-requests"),
    path("plans/opinions/<int:pk>/record/", operation_view("opinion.record", lookup=plan_views.opinion_for),
         name="opinion.record"),
    path("plans/requests/<int:pk>/close/", operation_view("revision_request.close", lookup=plan_views.request_for),
         name="revision_request.close"),
    path("plans/<int:pk>/editions/<int:number>/", plan_views.edition_view, name="plan-edition"),
    path("plans/<int:pk>/diff/", plan_views.edition_diff, name="plan-diff"),
]

router = SimpleRouter()
router.register("plans", plans_api.PlanViewSet, basename="plan")
router.register("plan-opinions", plans_api.OpinionViewSet, basename="plan-opinion")
router.register("plan-revision-requests", plans_api.RevisionRequestViewSet, basename="plan-revision-request")

api_urlpatterns = [
    path("plans/<int:pk>/editions/<int:number>/document.<str:fmt>", document_views.edition_document_api,
         name="plan-edition-document"),
    *router.urls,
]
