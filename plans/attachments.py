"""Plans, drills and evaluations take attachments (the signed plan, drill photos, evaluation reports):
the plan administrators of the plan's unit."""
from django.utils.translation import gettext_lazy as _

from emergency.attachments.owners import attachment_owner
from emergency.attachments.rules import held_in_unit
from emergency.org.roles import Role

from . import selectors
from .models import Drill, Evaluation, Plan

attachment_owner(
    "plan", model=Plan, unit=lambda plan: plan.unit_id, label=_("plan"),
    visible=lambda *, user: selectors.plans_visible(user=user),
    may_attach=held_in_unit(Role.PLAN_ADMIN, unit=lambda plan: plan.unit_id),
)
for kind, model, label in (("drill", Drill, _("drill")), ("evaluation", Evaluation, _("evaluation"))):
    attachment_owner(
        kind, model=model, unit=lambda record: record.plan.unit_id, label=label,
        visible=lambda *, user, model=model: model.objects.filter(plan__in=selectors.plans_visible(user=user))
        .select_related("plan"),
        may_attach=held_in_unit(Role.PLAN_ADMIN, unit=lambda record: record.plan.unit_id),
    )
