"""The attachments' URLs: download and thumbnail pages, the attach operation, and the API."""
from django.urls import path
from rest_framework.routers import SimpleRouter

from emergency.attachments import api, views
from emergency.operations.pages import operation_view

urlpatterns = [
    path("attachments/add/", operation_view("attachment.add"), name="attachment.add"),
    path("attachments/<int:pk>/", views.content, name="attachment-content"),
    path("attachments/<int:pk>/thumbnail/", views.thumbnail, name="attachment-thumbnail"),
]

router = SimpleRouter()
router.register("attachments", api.AttachmentViewSet, basename="attachment")

api_urlpatterns = router.urls
