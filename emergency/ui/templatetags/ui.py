"""Small template helpers shared by the pages."""
from django import template
from django.utils import timezone
from django.utils.timesince import timesince
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def get_item(mapping, key):
    """`{{ mapping|get_item:key }}`: a dict lookup by a variable key ('' when absent)."""
    if not mapping:
        return ""
    return mapping.get(key, "")


@register.filter
def ago(moment):
    """How long ago, for people: "just now" under a minute, else "5 minutes ago"."""
    if not moment:
        return ""
    if (timezone.now() - moment).total_seconds() < 60:
        return _("just now")
    return _("%(age)s ago") % {"age": timesince(moment)}
