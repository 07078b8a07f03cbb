from __future__ import annotations

from django.db.models import QuerySet

from emergency.org.roles import Role
from emergency.org.scope import unit_scope

from .models import AuditCheck, AuditEntry


def audit_entry_list(*, user) -> QuerySet[AuditEntry]:
    """Entries about the units where the user is a system administrator or the principal."""
    units = unit_scope(user).units_with(Role.SYSTEM_ADMIN, Role.PRINCIPAL)
    return AuditEntry.objects.filter(unit_id__in=units).select_related("actor", "unit").order_by("-id")


def audit_last_check() -> AuditCheck | None:
    return AuditCheck.objects.order_by("-at").first()
