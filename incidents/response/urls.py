"""The incidents.response app's URLs: its pages (`urlpatterns`) and, where it has them, its API routes
(`api_urlpatterns`, under `/api/v1/`), both included by `emergency/urls.py`."""
from django.urls import path
from rest_framework.routers import SimpleRouter

from incidents.response import views as response_views
from incidents.response import api as response_api
from incidents.response import document_views

urlpatterns = [
    path("responses/<int:pk>/situation.<str:fmt>", document_views.situation_report, name="response-situation-report"),
    path("responses/inbox/", response_views.inbox, name="response-inbox"),
    path("responses/key-periods/", response_views.key_periods, name="key-periods"),
    path("responses/<int:pk>/", response_views.response_detail, name="response-detail"),
    path("responses/<int:pk>/end/", response_views.end, name="response-end"),
    path("responses/<int:pk>/post/", response_views.post_open, name="response-post-open"),
    path("responses/<int:pk>/groups/", response_views.group_add, name="response-group-add"),
    path("responses/<int:pk>/orders/", response_views.order_issue, name="response-order-issue"),
    path("responses/<int:pk>/orders/<int:order_pk>/", response_views.order_update, name="response-order-update"),
    path("responses/<int:pk>/transfer/", response_views.transfer, name="response-transfer"),
    path("responses/transfers/<int:pk>/decide/", response_views.transfer_decide, name="response-transfer-decide"),
    path("responses/proposals/<int:pk>/decide/", response_views.decide, name="response-decide"),
    path("incidents/<int:pk>/propose/", response_views.propose, name="response-propose"),
    path("incidents/<int:pk>/start/", response_views.start_direct, name="response-start"),
]

router = SimpleRouter()
router.register("proposals", response_api.ProposalViewSet, basename="proposal")
router.register("responses", response_api.ResponseViewSet, basename="response")

api_urlpatterns = [
    path("incidents/<int:pk>/suggested-level/", response_api.suggested_level, name="suggested-level"),
    *router.urls,
]
