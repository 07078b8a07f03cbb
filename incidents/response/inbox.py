"""What the notification inbox knows of responses: an order waits to be acted on until it is
acknowledged (or closed), a response measure until its department starts it (or closes it), a
proposal (and its reminder) until it is decided or withdrawn; and the
inbox's filter by incident (its own notifications, its responses' and their orders' and proposals')."""
from __future__ import annotations

from django.db.models import CharField, Q, Value
from django.db.models.functions import Cast, Concat
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from emergency.notify import hooks
from emergency.org.scope import unit_scope

from ..models import Incident
from .command import ORDER_REMIND
from .measures import MEASURE
from .models import Order, Proposal, Response, ResponseMeasure
from .notices import PROPOSED
from .services import REMIND

ORDER = "response.order"
INCIDENT_CHOICES = 100


def _open_orders():
    return Order.objects.filter(status=Order.Status.ISSUED)


hooks.pending(ORDER)(lambda: hooks.keys_of(f"{ORDER}:", _open_orders()))
hooks.pending(ORDER_REMIND)(lambda: hooks.timed_duty_keys(
    kind=ORDER_REMIND, subject_type=Order._meta.label_lower, subject_ids=_open_orders().values("pk")))
hooks.pending(PROPOSED)(lambda: hooks.keys_of(f"{PROPOSED}:", Proposal.objects.filter(state=Proposal.State.PENDING)))
hooks.pending(REMIND)(lambda: hooks.timed_duty_keys(
    kind=REMIND, subject_type=Proposal._meta.label_lower,
    subject_ids=Proposal.objects.filter(state=Proposal.State.PENDING).values("pk")))


def _measure_keys(measures):
    # the key names the department too (response.measure:<measure>:<department>): a measure passed on
    # to another department no longer waits in the first one's inbox
    return measures.annotate(_key=Concat(Value(f"{MEASURE}:"), Cast("pk", CharField()), Value(":"),
                                         Cast("department_id", CharField()))).values("_key")


hooks.pending(MEASURE)(lambda: _measure_keys(ResponseMeasure.objects.filter(status=ResponseMeasure.Status.ASSIGNED)))
hooks.kind_label(MEASURE, _("Response measure assigned"))
hooks.kind_label(ORDER, _("Order from the command post"))
hooks.kind_label(ORDER_REMIND, _("Order not yet acknowledged"))
hooks.kind_label(REMIND, _("Decision waiting"))
hooks.kind_label(PROPOSED, _("Response level proposed"))


def _choices(user) -> list[tuple[int, str]]:
    rows = (Incident.objects.filter(unit_id__in=unit_scope(user).visible).order_by("-received_at", "-id")
            .values_list("pk", "number", "title")[:INCIDENT_CHOICES])
    return [(pk, f"{number} {title}") for pk, number, title in rows]


def _about(user, pk: int) -> Q | None:
    incident = Incident.objects.filter(pk=pk, unit_id__in=unit_scope(user).visible).only("pk").first()
    if incident is None:
        return None
    responses = list(Response.objects.filter(incident=incident).values_list("pk", flat=True))
    orders = Order.objects.filter(response__incident=incident)
    proposals = Proposal.objects.filter(incident=incident)
    return (Q(link=reverse("incident-detail", args=[pk]))
            | Q(link__in=[reverse("response-detail", args=[r]) for r in responses])
            | Q(kind=ORDER, source_key__in=hooks.keys_of(f"{ORDER}:", orders))
            | Q(kind=PROPOSED, source_key__in=hooks.keys_of(f"{PROPOSED}:", proposals))
            | Q(kind=REMIND, source_key__in=hooks.timed_duty_keys(kind=REMIND, subject_type=Proposal._meta.label_lower,
                                                                 subject_ids=proposals.values("pk"))))


hooks.subject(hooks.Subject(name="incident", label=_("Incident"), choices=_choices, about=_about))
