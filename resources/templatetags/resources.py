"""The teams and supplies a warning put on standby, for the warning's page (an include there)."""
from django import template

from ..models import Standby

register = template.Library()


@register.inclusion_tag("resources/standby_list.html")
def standby_panel(warning):
    standbys = Standby.objects.filter(warning=warning).select_related("team", "equipment", "stock__store", "stock__item")
    return {"standbys": standbys, "warning": warning, "manage": True}
