"""Issue 17, item 6: dispatches, arrivals and low stock are live events in the outbox, numbered per
organisation and sent to the dashboards of the incident's unit and its superiors (and of the
holding unit) once the step commits; a refused dispatch announces nothing."""
import pytest

from emergency.dashboard.models import LiveEvent
from emergency.dashboard.selectors import EVENT_LABELS
from emergency.errors import Conflict
from resources.services.requests import request_advance, request_create, request_decide

from .resource_helpers import city_with_inventory

pytestmark = pytest.mark.django_db


def test_dispatch_arrival_and_low_stock_are_numbered_events_with_a_place(grading_tables):
    city = city_with_inventory(tents=100, minimum=80)
    request = request_create(actor=city.requester, incident=city.incident, kind="supply", item=city.tents,
                             holding_unit=city.top, quantity=30, reason="安置")
    request_decide(actor=city.approver, request=request, approve=True)
    before = LiveEvent.objects.filter(organisation=city.top).order_by("-sequence").first().sequence
    request_advance(actor=city.keeper, request=request, state="dispatched", store=city.store)
    request_advance(actor=city.keeper, request=request, state="en_route")
    request_advance(actor=city.requester, request=request, state="arrived")
    events = list(LiveEvent.objects.filter(organisation=city.top, sequence__gt=before).order_by("sequence"))
    assert [e.event for e in events] == ["resources.dispatched", "resources.low_stock", "resources.request",
                                         "resources.arrived"]
    assert [e.sequence for e in events] == list(range(before + 1, before + 5))
    dispatched, low = events[0], events[1]
    assert dispatched.unit_id == city.township.pk and dispatched.data["request"] == request.pk
    assert (dispatched.data["lat"], dispatched.data["lon"]) == (23.21, 109.56)  # the incident's place
    assert "救灾帐篷" in dispatched.data["title"]
    assert low.unit_id == city.top.pk and (low.data["quantity"], low.data["minimum"]) == (70, 80)
    assert all(e.event in EVENT_LABELS for e in events)


def test_a_refused_dispatch_announces_nothing(grading_tables):
    city = city_with_inventory(tents=10)
    request = request_create(actor=city.requester, incident=city.incident, kind="supply", item=city.tents,
                             holding_unit=city.top, quantity=20, reason="安置")
    request_decide(actor=city.approver, request=request, approve=True)
    count = LiveEvent.objects.count()
    with pytest.raises(Conflict):
        request_advance(actor=city.keeper, request=request, state="dispatched", store=city.store)
    assert LiveEvent.objects.count() == count
