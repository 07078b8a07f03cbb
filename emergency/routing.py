"""WebSocket routes."""
from django.urls import path

from emergency.dashboard.consumers import DashboardConsumer

websocket_urlpatterns: list = [path("ws/dashboard/", DashboardConsumer.as_asgi())]
