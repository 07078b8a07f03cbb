"""The project's URLconf: it composes each app's pages and its API routes (`<app>/urls.py`); no app
is wired here route by route."""
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from emergency.ui import views as ui_views

# Each app's `urls` module; the order is the order its routes are tried.
APPS = (
    "emergency.api",
    "emergency.org",
    "emergency.audit",
    "emergency.dashboard",
    "emergency.attachments",
    "emergency.notify",
    "plans",
    "incidents.grading",
    "incidents.response",
    "incidents",
    "alerts",
    "emergency.search",
    "resources",
)


def _modules():
    from importlib import import_module
    return [import_module(f"{app}.urls") for app in APPS]


def api_routers():
    """Every app's API router (the tests walk their registries)."""
    return [module.router for module in _modules() if hasattr(module, "router")]


def _api_urlpatterns():
    return [route for module in _modules() for route in getattr(module, "api_urlpatterns", [])]


urlpatterns = [
    path("", ui_views.home, name="home"),
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
]
urlpatterns += [path("", include(module.urlpatterns)) for module in _modules()]
urlpatterns += [
    path("api/v1/", include((_api_urlpatterns(), "api"))),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("admin/", admin.site.urls),
]

handler400 = "emergency.api.errors.bad_request"
handler404 = "emergency.api.errors.page_not_found"
handler500 = "emergency.api.errors.server_error"
