"""Pages of the organisation: the unit tree, a unit, experts, department duties, people and their
roles. Every page only shows; each write on them posts to an operation (`emergency/org/operations.py`)."""
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, render

from emergency.operations.pages import page

from . import selectors
from .models import Expert
from .roles import Role
from .scope import unit_scope


def _page(request, queryset, per_page: int = 50):
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


def department_for(user, pk: int):
    return get_object_or_404(selectors.department_list(user=user), pk=pk)


def person_for(user, pk: int):
    return get_object_or_404(selectors.people_list(user=user), pk=pk)


def assignment_for(user, pk: int):
    return get_object_or_404(selectors.role_assignment_list(user=user), pk=pk)


@page
def org_tree(request):
    return render(request, "org/tree.html", {"units": selectors.unit_list(user=request.user)})


@page
def unit_detail(request, pk: int):
    unit = selectors.unit_get(user=request.user, pk=pk)
    if unit is None:
        raise Http404
    pools = unit.expert_pools.prefetch_related(Prefetch("experts", queryset=Expert.objects.order_by("id")))
    return render(request, "org/unit_detail.html", {
        "unit": unit,
        "ancestors": selectors.unit_ancestors(user=request.user, unit=unit),
        "children": unit.children.order_by("position", "id"),
        "departments": unit.departments.all(),
        "pools": pools,
    })


@page
def expert_list(request):
    experts = selectors.expert_list(user=request.user).order_by("pool__unit_id", "pool_id", "id")
    return render(request, "org/experts.html", {"page": _page(request, experts)})


@page
def department_list(request):
    if not unit_scope(request.user).units_with(Role.PLAN_ADMIN, Role.SYSTEM_ADMIN):
        raise PermissionDenied
    departments = selectors.department_list(user=request.user).order_by("unit_id", "position", "id")
    return render(request, "org/departments.html", {"page": _page(request, departments)})


@page
def department_edit(request, pk: int):
    department = department_for(request.user, pk)
    if not request.user.has_perm("org.change_department", department):
        raise PermissionDenied
    return render(request, "org/department_form.html", {"department": department})


def _require_people_admin(user) -> None:
    if not (user.is_superuser or unit_scope(user).units_with(Role.SYSTEM_ADMIN)):
        raise PermissionDenied


@page
def people(request):
    """The people of the units the user administers, with their roles, and the form to add one."""
    _require_people_admin(request.user)
    return render(request, "org/people.html", {"page": _page(request, selectors.people_with_roles(user=request.user))})


@page
def person_detail(request, pk: int):
    _require_people_admin(request.user)
    person = get_object_or_404(selectors.people_with_roles(user=request.user), pk=pk)
    return render(request, "org/person.html", {"person": person, "assignments": person.role_assignments.all()})
