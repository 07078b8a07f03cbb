"""`{% last_mile_panel warning %}`: the special populations and places in the warning's area, whether
each has been reached for the latest message, and the form to record it."""
from django import template

from alerts.reach import last_mile

register = template.Library()


@register.inclusion_tag("alerts/last_mile.html", takes_context=True)
def last_mile_panel(context, warning):
    message, rows = last_mile(warning)
    return {"request": context["request"], "csrf_token": context.get("csrf_token"), "warning": warning,
            "message": message, "rows": rows, "pending": sum(1 for r in rows if r.state == "pending")}
