from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from emergency.org.models import RoleAssignment
from emergency.org.scope import unit_scope

from .workbench import actions_for, figures_for


@login_required
def home(request):
    """The workbench: who I am, where, and in which roles."""
    scope = unit_scope(request.user)
    assignments = RoleAssignment.objects.filter(user=request.user).select_related("unit", "department")
    return render(request, "ui/home.html", {
        "assignments": assignments,
        "visible_unit_count": len(scope.visible),
        "figures": figures_for(request.user),
        "actions": actions_for(request.user),
    })
