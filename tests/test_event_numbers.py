"""The state's event numbers (the last per organisation in a screen's units, and the last that can
move the figures) are read by one index probe per unit: the same numbers as the aggregate over every
event, and a plan that never scans the events."""
import pytest
from django.db import connection, transaction
from django.db.models import Max, Q

from emergency.dashboard import selectors
from emergency.dashboard.models import FIGURE_EVENTS, LiveEvent
from emergency.live import publish

from .factories import UnitFactory

pytestmark = pytest.mark.django_db


def _aggregate(visible):
    rows = (LiveEvent.objects.filter(unit_id__in=visible).values("organisation_id")
            .annotate(last=Max("sequence"), figures=Max("sequence", filter=Q(event__in=FIGURE_EVENTS)))
            .values_list("organisation_id", "last", "figures"))
    return ({str(org): last for org, last, _f in rows}, {str(org): f for org, _last, f in rows if f})


def test_the_numbers_are_those_of_every_event_and_read_through_the_unit_indexes():
    city = UnitFactory(code="nc")
    counties = [UnitFactory(code=f"nc{n}", parent=city) for n in range(3)]
    other = UnitFactory(code="no")
    events = ["incident.updated", "incident.logged", "response.order", "response.decided", "warning.alert"]
    with transaction.atomic():
        for n in range(40):
            unit = (counties + [city, other])[n % 5]
            publish(event=events[n % len(events)], unit_id=unit.pk, data={})
    quiet = UnitFactory(code="nc9", parent=city)  # no event yet
    for visible in ([city.pk, *[c.pk for c in counties], quiet.pk], [counties[0].pk], [quiet.pk],
                    [counties[1].pk, other.pk], []):
        assert selectors.event_numbers(visible) == _aggregate(visible), visible
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a table this small is read whole otherwise
        cursor.execute("EXPLAIN " + selectors._NUMBERS_SQL, [[city.pk, counties[0].pk]])
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "event_unit_newest" in plan and "event_unit_figures" in plan, plan
