"""The emergency.dashboard app's URLs: its pages (`urlpatterns`) and, where it has them, its API routes
(`api_urlpatterns`, under `/api/v1/`), both included by `emergency/urls.py`."""
from django.urls import path

from emergency.dashboard import views as dashboard_views

urlpatterns = [
    path("dashboard/", dashboard_views.dashboard, name="dashboard"),
    path("api/v1/dashboard/state/", dashboard_views.state, name="dashboard-state"),
    path("api/v1/events/", dashboard_views.events, name="events"),
]
