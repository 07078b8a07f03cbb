"""The incidents.response app's URLs: its pages (`urlpatterns`) and its API routes (`router`,
`api_urlpatterns`, under `/api/v1/`), both included by `emergency/urls.py`. Each write is an
operation's route, named by the operation (`incidents/response/operations.py`)."""
from django.urls import path, reverse
from rest_framework.routers import SimpleRouter

from emergency.operations.pages import operation_view
from incidents.response import api as response_api
from incidents.response import document_views
from incidents.response import dutylog_views as D
from incidents.response import operations  # noqa: F401  (registers the responses' operations)
from incidents.response import views as response_views

V = response_views


def _inbox_or_response(_proposal, decision) -> str:
    return decision.response.get_absolute_url() if decision.response_id else reverse("response-inbox")


# Each operation's page route: `<prefix>/<pk>/<verb>/`, named by the operation, on its scoped lookup.
OPERATION_ROUTES = [
    ("responses", V.response_for, ["response.end", "response.transfer", "response.take-command",
                                   "response.request-help", "response.open-post", "response.add-group",
                                   "response.issue-order", "response.assign-measure"]),
    ("responses/measures", V.measure_for, ["response_measure.start", "response_measure.done",
                                           "response_measure.not-applicable"]),
    ("responses/transfers", V.transfer_for, ["transfer.decide", "transfer.record-outside"]),
    ("responses/delegations", V.delegation_for, ["delegation.withdraw"]),
    ("responses/help-requests", V.help_request_for, ["help-request.answer"]),
    ("responses/orders", V.order_for, ["order.acknowledge", "order.report", "order.cancel"]),
    ("incidents", V.incident_for, ["incident.propose", "incident.start-response", "incident.log-entry"]),
]

urlpatterns = [
    path("responses/<int:pk>/situation.<str:fmt>", document_views.situation_report, name="response-situation-report"),
    path("incidents/<int:pk>/duty-log/", D.incident_duty_log, name="incident-duty-log"),
    path("incidents/<int:pk>/duty-log/document.<str:fmt>", D.incident_duty_log_document,
         name="incident-duty-log-document"),
    path("responses/<int:pk>/duty-log/", D.response_duty_log, name="response-duty-log"),
    path("responses/<int:pk>/duty-log/document.<str:fmt>", D.response_duty_log_document,
         name="response-duty-log-document"),
    path("responses/", V.response_list, name="response-list"),
    path("responses/inbox/", V.inbox, name="response-inbox"),
    path("responses/key-periods/", V.key_periods, name="key-periods"),
    path("responses/key-periods/add/", operation_view("key-period.add"), name="key-period.add"),
    path("responses/delegations/", V.delegations, name="delegations"),
    path("responses/delegations/grant/", operation_view("delegation.grant"), name="delegation.grant"),
    path("responses/<int:pk>/", V.response_detail, name="response-detail"),
    path("responses/proposals/<int:pk>/decide/", operation_view("proposal.decide", lookup=V.proposal_for,
                                                                next=_inbox_or_response), name="proposal.decide"),
    *[path(f"{prefix}/<int:pk>/{name.split('.', 1)[1]}/", operation_view(name, lookup=lookup), name=name)
      for prefix, lookup, names in OPERATION_ROUTES for name in names],
]

router = SimpleRouter()
router.register("proposals", response_api.ProposalViewSet, basename="proposal")
router.register("responses", response_api.ResponseViewSet, basename="response")
router.register("incidents", response_api.IncidentResponseViewSet, basename="incident-response")
router.register("transfers", response_api.TransferViewSet, basename="transfer")
router.register("orders", response_api.OrderViewSet, basename="order")
router.register("response-measures", response_api.ResponseMeasureViewSet, basename="response-measure")
router.register("command-posts", response_api.CommandPostViewSet, basename="command-post")
router.register("working-groups", response_api.WorkingGroupViewSet, basename="working-group")
router.register("key-periods", response_api.KeyPeriodViewSet, basename="key-period")
router.register("delegations", response_api.DelegationViewSet, basename="delegation")
router.register("help-requests", response_api.HelpRequestViewSet, basename="help-request")

api_urlpatterns = [
    path("incidents/<int:pk>/suggested-level/", response_api.suggested_level, name="suggested-level"),
    path("incidents/<int:pk>/duty-log/", D.incident_duty_log_api, name="incident-duty-log"),
    path("responses/<int:pk>/duty-log/", D.response_duty_log_api, name="response-duty-log"),
    path("incidents/<int:pk>/duty-log/document.<str:fmt>", D.incident_duty_log_document_api,
         name="incident-duty-log-document"),
    path("responses/<int:pk>/duty-log/document.<str:fmt>", D.response_duty_log_document_api,
         name="response-duty-log-document"),
    path("responses/<int:pk>/situation.<str:fmt>", document_views.situation_report_api,
         name="response-situation-report"),
    *router.urls,
]
