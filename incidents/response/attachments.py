"""Orders take attachments (a map of the area, a list of supplies): the command and the departments."""
from django.utils.translation import gettext_lazy as _

from emergency.attachments.owners import attachment_owner
from emergency.attachments.rules import held_in_unit
from emergency.org.roles import Role

from . import selectors
from .models import Order


def _unit(order) -> int:
    return order.response.incident.unit_id


attachment_owner(
    "order", model=Order, unit=_unit, label=_("order"),
    visible=lambda *, user: Order.objects.filter(response__in=selectors.response_list(user=user))
    .select_related("response__incident"),
    may_attach=held_in_unit(Role.COMMANDER, Role.LEAD_OFFICER, Role.DUTY_OFFICER, Role.PRINCIPAL, unit=_unit),
)
