"""`{% incident_closure incident %}` on the incident page: how it was closed as no incident, or
the form to close it for the people of the unit that logged it."""
from django import template

from ..closure import may_close
from ..models import Incident, IncidentClosure
from ..selectors import incident_list

register = template.Library()
DUPLICATE_CHOICES = 50


@register.inclusion_tag("incidents/closure.html", takes_context=True)
def incident_closure(context, incident: Incident) -> dict:
    user = context["request"].user
    done = IncidentClosure.objects.select_related("duplicate_of", "closed_by").filter(incident=incident).first()
    can = done is None and may_close(actor=user, incident=incident)
    others = (list(incident_list(user=user).exclude(pk=incident.pk).exclude(status=Incident.Status.CLOSED)
                   .order_by("-received_at")[:DUPLICATE_CHOICES]) if can else [])
    return {"incident": incident, "closure": done, "can_close": can, "others": others,
            "reasons": IncidentClosure.Reason.choices, "csrf_token": context.get("csrf_token")}
