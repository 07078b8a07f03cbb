from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from emergency.audit import views as audit_views
from emergency.org import views as org_views
from emergency.ui import views as ui_views
from incidents import views as incident_views
from alerts import feeds as alert_feeds
from emergency.dashboard import views as dashboard_views
from alerts import public as alert_public
from alerts import views as alert_views
from plans import views as plan_views
from incidents.grading import views as grading_views
from incidents.response import views as response_views

urlpatterns = [
    path("", ui_views.home, name="home"),
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("org/", org_views.org_tree, name="org-tree"),
    path("org/units/<int:pk>/", org_views.unit_detail, name="unit-detail"),
    path("org/experts/", org_views.expert_list, name="expert-list"),
    path("org/departments/", org_views.department_list, name="department-list"),
    path("org/departments/<int:pk>/edit/", org_views.department_edit, name="department-edit"),
    path("org/people/", org_views.people, name="people"),
    path("audit/", audit_views.audit_log, name="audit-log"),
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
    path("grading/", grading_views.table_list, name="grading-tables"),
    path("grading/draft/", grading_views.table_draft, name="grading-draft"),
    path("grading/<int:pk>/", grading_views.table_detail, name="grading-table"),
    path("grading/<int:pk>/run/", grading_views.table_run, name="grading-run"),
    path("grading/<int:pk>/publish/", grading_views.table_publish, name="grading-publish"),
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
    path("api/v1/warnings/<int:pk>.cap", alert_feeds.cap_document, name="warning-cap"),
    path("api/v1/warnings/<int:pk>/messages/<int:sequence>.cap", alert_feeds.cap_document, name="warning-cap-message"),
    path("warnings/feed/<slug:code>.atom", alert_feeds.ActiveWarningsFeed(), name="warning-feed"),
    path("public/warnings/<int:pk>/", alert_public.public_warning, name="public-warning"),
    path("warnings/", alert_views.warning_list, name="warning-list"),
    path("warnings/new/", alert_views.warning_new, name="warning-new"),
    path("warnings/<int:pk>/", alert_views.warning_detail, name="warning-detail"),
    path("warnings/<int:pk>/<str:action>/", alert_views.warning_action, name="warning-action"),
    path("dashboard/", dashboard_views.dashboard, name="dashboard"),
    path("api/v1/dashboard/state/", dashboard_views.state, name="dashboard-state"),
    path("api/v1/events/", dashboard_views.events, name="events"),
    path("api/v1/", include("emergency.api.urls", namespace="api")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("admin/", admin.site.urls),
]

handler400 = "emergency.api.errors.bad_request"
handler404 = "emergency.api.errors.page_not_found"
handler500 = "emergency.api.errors.server_error"
