"""The emergency.org app's URLs: its pages (`urlpatterns`) and, where it has them, its API routes
(`api_urlpatterns`, under `/api/v1/`), both included by `emergency/urls.py`."""
from django.urls import path
from rest_framework.routers import SimpleRouter

from emergency.org import views as org_views
from emergency.org import api as org_api

urlpatterns = [
    path("org/", org_views.org_tree, name="org-tree"),
    path("org/units/<int:pk>/", org_views.unit_detail, name="unit-detail"),
    path("org/experts/", org_views.expert_list, name="expert-list"),
    path("org/departments/", org_views.department_list, name="department-list"),
    path("org/departments/<int:pk>/edit/", org_views.department_edit, name="department-edit"),
    path("org/people/", org_views.people, name="people"),
]

router = SimpleRouter()
router.register("units", org_api.UnitViewSet, basename="unit")
router.register("departments", org_api.DepartmentViewSet, basename="department")
router.register("expert-pools", org_api.ExpertPoolViewSet, basename="expert-pool")
router.register("experts", org_api.ExpertViewSet, basename="expert")
router.register("role-assignments", org_api.RoleAssignmentViewSet, basename="role-assignment")

api_urlpatterns = [
    path("me/", org_api.me, name="me"),
    *router.urls,
]
