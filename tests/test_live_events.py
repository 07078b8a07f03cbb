"""Changes reach the command dashboards' groups through the real Redis channel layer, after commit."""
import asyncio

import pytest
from channels.layers import channel_layers
from django.db import transaction
from django.utils import timezone

from emergency.live import unit_group
from emergency.org.roles import Role
from incidents import services

from .factories import UnitFactory, user_with_role
from .processes import run_async

pytestmark = pytest.mark.django_db(transaction=True)




async def _receive(layer, channel, timeout=5.0):
    return await asyncio.wait_for(layer.receive(channel), timeout)


def test_a_logged_incident_reaches_its_unit_and_every_superior_after_commit(grading_tables):
    city = UnitFactory(code="city")
    county = UnitFactory(code="county", parent=city)
    other = UnitFactory(code="other")
    officer = user_with_role(Role.DUTY_OFFICER, county)
    layer = channel_layers.make_backend("default")  # the test's own client of the same Redis layer
    channels = {}
    for unit in (city, county, other):
        channels[unit.pk] = f"test-dashboard.unit{unit.pk}"
        run_async(layer.group_add(unit_group(unit.pk), channels[unit.pk]))
    now = timezone.now()
    with transaction.atomic():
        incident = services.incident_log(actor=officer, unit=county, type_code="forest_fire", title="林火",
                                         address="山上", occurred_at=now, received_at=now, body="首报",
                                         metrics={"area_ha": 1200})
        with pytest.raises(asyncio.TimeoutError):  # nothing leaves before commit
            run_async(_receive(layer, channels[county.pk], 0.3))
    for unit in (county, city):
        message = run_async(_receive(layer, channels[unit.pk]))
        assert message["event"] == "incident.logged"
        assert message["data"]["id"] == incident.pk and message["data"]["grade"] == "I"
    with pytest.raises(asyncio.TimeoutError):
        run_async(_receive(layer, channels[other.pk], 0.3))
    for unit_id, channel in channels.items():
        run_async(layer.group_discard(unit_group(unit_id), channel))
