"""The emergency.search app's URLs: the results page (`urlpatterns`) and `/api/v1/search/`
(`api_urlpatterns`), both included by `emergency/urls.py`."""
from django.urls import path

from . import views
from .api import SearchView

urlpatterns = [
    path("search/", views.results, name="search"),
]

api_urlpatterns = [
    path("search/", SearchView.as_view(), name="search"),
]
