"""One wording for a response level everywhere: 一级响应 … 四级响应 (Level 1 response …), and for what
a proposal asks: 启动二级响应, 提升至一级响应, 降低至三级响应."""
from django import template
from django.utils.translation import gettext as _

from incidents.response.models import Level, Proposal

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


@register.filter
def proposal_action(proposal) -> str:
    """`{{ proposal|proposal_action }}` -> 启动二级响应 (Start the Level 2 response), in one phrase."""
    response = response_level(proposal.level)
    if proposal.kind == Proposal.Kind.RAISE:
        return _("Raise to the %(response)s") % {"response": response}
    if proposal.kind == Proposal.Kind.LOWER:
        return _("Lower to the %(response)s") % {"response": response}
    return _("Start the %(response)s") % {"response": response}
