"""The resources app's URLs: its pages (`urlpatterns`) and its API routes (`api_urlpatterns`)."""
from django.urls import path
from rest_framework.routers import SimpleRouter

from . import api, record_api, record_views, views

urlpatterns = [
    path("resources/", views.inventory, name="resources-inventory"),
    path("resources/stores/<int:pk>/", views.store_detail, name="resources-store"),
    path("resources/stores/<int:pk>/receive/", views.stock_receive, name="resources-store-receive"),
    path("resources/teams/<int:pk>/readiness/", views.team_readiness, name="resources-team-readiness"),
    path("resources/requests/", views.request_list, name="resources-requests"),
    path("resources/requests/<int:pk>/", views.request_detail, name="resources-request"),
    path("resources/requests/<int:pk>/decide/", views.request_decide, name="resources-request-decide"),
    path("resources/requests/<int:pk>/advance/", views.request_advance, name="resources-request-advance"),
    path("resources/incidents/<int:pk>/", views.incident_resources, name="resources-incident"),
    path("resources/incidents/<int:pk>/request/", views.request_new, name="resources-incident-request"),
    path("resources/incidents/<int:pk>/points/", views.point_open, name="resources-incident-point"),
    path("resources/incidents/<int:pk>/requisitions/", record_views.requisition_add,
         name="resources-incident-requisition"),
    path("resources/compensation/", record_views.compensation_list, name="resources-compensation"),
    path("resources/requisitions/<int:pk>/compensate/", record_views.compensate, name="resources-compensate"),
    path("resources/training/", record_views.training, name="resources-training"),
    path("resources/accountability/", record_views.accountability, name="resources-accountability"),
    path("resources/warnings/<int:pk>/standby/", record_views.warning_standby, name="resources-warning-standby"),
    path("resources/standby/<int:pk>/release/", record_views.standby_release, name="resources-standby-release"),
    path("resources/standby/<int:pk>/in-place/", record_views.standby_in_place, name="resources-standby-in-place"),
]

router = SimpleRouter()
router.register("resources/teams", api.TeamViewSet, basename="resource-team")
router.register("resources/stores", api.StoreViewSet, basename="resource-store")
router.register("resources/equipment", api.EquipmentViewSet, basename="resource-equipment")
router.register("resources/shelters", api.ShelterViewSet, basename="resource-shelter")
router.register("resources/supplies", api.SupplyItemViewSet, basename="resource-supply")
router.register("resources/requests", api.RequestViewSet, basename="resource-request")
router.register("resources/requisitions", record_api.RequisitionViewSet, basename="resource-requisition")
router.register("resources/standbys", record_api.StandbyViewSet, basename="resource-standby")
router.register("resources/training", record_api.TrainingViewSet, basename="resource-training")
router.register("resources/sanctions", record_api.SanctionViewSet, basename="resource-sanction")

api_urlpatterns = [
    path("resources/incidents/<int:pk>/nearest/", api.nearest, name="resource-nearest"),
    path("resources/units/<int:pk>/findings/", record_api.findings, name="resource-findings"),
    *router.urls,
]
