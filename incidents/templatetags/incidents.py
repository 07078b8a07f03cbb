"""Template filters of the incident pages."""
from django import template
from django.utils.translation import get_language

register = template.Library()


@register.filter
def in_language(record, name: str):
    """`{{ reason|in_language:"wording" }}`: the English rendering (`wording_en`) in English, the
    official text otherwise (a stored grading reason is a dict, a criterion an object)."""
    def read(key):
        return record.get(key, "") if isinstance(record, dict) else getattr(record, key, "")
    if (get_language() or "").startswith("en") and read(f"{name}_en"):
        return read(f"{name}_en")
    return read(name)
