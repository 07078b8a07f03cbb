"""Small template helpers shared by the pages."""
from django import template

register = template.Library()


@register.filter
def get_item(mapping, key):
    """`{{ mapping|get_item:key }}`: a dict lookup by a variable key ('' when absent)."""
    if not mapping:
        return ""
    return mapping.get(key, "")
