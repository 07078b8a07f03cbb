"""Pages of the organisation: the unit tree, a unit, experts, department duties, users and roles."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from emergency.errors import DomainError

from . import selectors, services
from .forms import DepartmentForm
from .models import Expert
from .roles import Role
from .scope import unit_scope


def _page(request, queryset, per_page: int = 50):
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


@login_required
def org_tree(request):
    return render(request, "org/tree.html", {"units": selectors.unit_list(user=request.user)})


@login_required
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
        "can_edit_departments": request.user.has_perm("org.change_department", unit),
    })


@login_required
def expert_list(request):
    experts = selectors.expert_list(user=request.user).order_by("pool__unit_id", "pool_id", "id")
    return render(request, "org/experts.html", {"page": _page(request, experts)})


@login_required
def department_list(request):
    if not unit_scope(request.user).units_with(Role.PLAN_ADMIN, Role.SYSTEM_ADMIN):
        raise PermissionDenied
    departments = selectors.department_list(user=request.user).order_by("unit_id", "position", "id")
    return render(request, "org/departments.html", {"page": _page(request, departments)})


@login_required
def department_edit(request, pk: int):
    department = selectors.department_list(user=request.user).filter(pk=pk).first()
    if department is None:
        raise Http404
    if not request.user.has_perm("org.change_department", department):
        raise PermissionDenied
    form = DepartmentForm(request.POST or None, instance=department)
    if request.method == "POST" and form.is_valid():
        try:
            services.department_update(actor=request.user, department=department, **{
                name: form.cleaned_data[name] for name in form.changed_data
            })
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Department duties saved."))
            return redirect("unit-detail", pk=department.unit_id)
    return render(request, "org/department_form.html", {"form": form, "department": department})


@login_required
def people(request):
    if not unit_scope(request.user).units_with(Role.SYSTEM_ADMIN):
        raise PermissionDenied
    assignments = selectors.role_assignment_list(user=request.user).order_by("unit_id", "user__username", "role")
    return render(request, "org/people.html", {"page": _page(request, assignments)})
