from django.utils.translation import gettext_lazy as _

from emergency.ui import workbench
from emergency.ui.navigation import NavItem, register

register(NavItem("plans", _("Emergency plans"), "plan-tree", order=60))


def _overdue(user) -> int:
    from django.db.models import Q
    from django.utils import timezone

    from emergency.org.scope import unit_scope

    from .models import Plan

    today = timezone.localdate()
    return Plan.objects.filter(Q(next_drill_due__lt=today) | Q(next_evaluation_due__lt=today),
                               unit_id__in=unit_scope(user).visible).count()


def _open_requests(user) -> int:
    from emergency.org.scope import unit_scope

    from .models import RevisionRequest

    return RevisionRequest.objects.filter(plan__unit_id__in=unit_scope(user).visible, state="open").count()


workbench.register(workbench.Figure("plans-overdue", _("Plans overdue for a drill or evaluation"), _overdue,
                                    "plan-tree", order=30, alert=True))
workbench.register(workbench.Figure("revision-requests", _("Open revision requests"), _open_requests, "plan-tree",
                                    order=40))
workbench.register_action(workbench.Action("new-plan", _("New plan"), "plans.add_plan", "plan-new", order=30))
