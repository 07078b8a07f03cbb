from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render

from emergency.operations.pages import page
from emergency.org.roles import Role
from emergency.org.scope import unit_scope

from .labels import action_label, object_label
from .selectors import audit_entry_list, audit_last_check


@page
def audit_log(request):
    if not unit_scope(request.user).units_with(Role.SYSTEM_ADMIN, Role.PRINCIPAL):
        raise PermissionDenied
    entries = Paginator(audit_entry_list(user=request.user), 50).get_page(request.GET.get("page"))
    for entry in entries:
        entry.action_label, entry.object_label = action_label(entry.action, entry.object_type), object_label(entry)
    return render(request, "audit/log.html", {"page": entries, "last_check": audit_last_check()})
