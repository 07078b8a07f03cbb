from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render

from emergency.org.roles import Role
from emergency.org.scope import unit_scope

from .selectors import audit_entry_list, audit_last_check


@login_required
def audit_log(request):
    if not unit_scope(request.user).units_with(Role.SYSTEM_ADMIN, Role.PRINCIPAL):
        raise PermissionDenied
    page = Paginator(audit_entry_list(user=request.user), 50).get_page(request.GET.get("page"))
    return render(request, "audit/log.html", {"page": page, "last_check": audit_last_check()})
