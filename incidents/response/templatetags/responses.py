"""One wording for a response level everywhere: 一级响应 … 四级响应 (Level 1 response …)."""
from django import template
from django.utils.translation import gettext as _

from incidents.response.models import Level

register = template.Library()


@register.filter
def response_level(level) -> str:
    """`{{ response.level|response_level }}` -> 一级响应; the level alone: `{{ level|level_label }}` -> 一级."""
    if level in (None, ""):
        return ""
    return _("%(level)s response") % {"level": level_label(level)}


@register.filter
def level_label(level) -> str:
    try:
        return str(Level(int(level)).label)
    except (TypeError, ValueError):
        return str(level)
