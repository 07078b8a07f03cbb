"""The emergency.org app's URLs: its pages (`urlpatterns`) and, where it has them, its API routes
(`api_urlpatterns`, under `/api/v1/`), both included by `emergency/urls.py`."""
from django.urls import path, reverse
from rest_framework.routers import SimpleRouter

from emergency.operations.pages import operation_view
from emergency.org import api as org_api
from emergency.org import operations  # noqa: F401  (registers the organisation's operations)
from emergency.org import views as org_views


def _person_page(target, result) -> str:
    return reverse("person-detail", args=[result.pk])


urlpatterns = [
    path("org/", org_views.org_tree, name="org-tree"),
    path("org/units/<int:pk>/", org_views.unit_detail, name="unit-detail"),
    path("org/experts/", org_views.expert_list, name="expert-list"),
    path("org/departments/", org_views.department_list, name="department-list"),
    path("org/departments/<int:pk>/", org_views.department_edit, name="department-edit"),
    path("org/departments/<int:pk>/edit/", operation_view(
        "department.edit", lookup=org_views.department_for,
        next=lambda department, result: reverse("unit-detail", args=[department.unit_id])), name="department.edit"),
    path("org/people/", org_views.people, name="people"),
    path("org/people/add/", operation_view("user.add", next=_person_page), name="user.add"),
    path("org/people/<int:pk>/", org_views.person_detail, name="person-detail"),
    path("org/people/<int:pk>/grant/", operation_view("user.grant", lookup=org_views.person_for), name="user.grant"),
    path("org/people/<int:pk>/reset-password/", operation_view("user.reset-password", lookup=org_views.person_for),
         name="user.reset-password"),
    path("org/people/<int:pk>/deactivate/", operation_view("user.deactivate", lookup=org_views.person_for),
         name="user.deactivate"),
    path("org/people/<int:pk>/reactivate/", operation_view("user.reactivate", lookup=org_views.person_for),
         name="user.reactivate"),
    path("org/role-assignments/<int:pk>/withdraw/", operation_view("role_assignment.withdraw",
                                                                   lookup=org_views.assignment_for),
         name="role_assignment.withdraw"),
]

router = SimpleRouter()
router.register("units", org_api.UnitViewSet, basename="unit")
router.register("departments", org_api.DepartmentViewSet, basename="department")
router.register("expert-pools", org_api.ExpertPoolViewSet, basename="expert-pool")
router.register("experts", org_api.ExpertViewSet, basename="expert")
router.register("role-assignments", org_api.RoleAssignmentViewSet, basename="role-assignment")
router.register("people", org_api.PersonViewSet, basename="person")

api_urlpatterns = [
    path("me/", org_api.me, name="me"),
    *router.urls,
]
