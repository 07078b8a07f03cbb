"""A screen of one county must not mistake the numbers other counties' changes took for lost frames
(each would cost it a request to the events API): every frame names the number last sent to the
same group (`prev`), so a screen holding it knows it missed nothing."""
import asyncio
import json

import pytest
from channels.layers import channel_layers
from django.db import connection
from django.utils import timezone

from emergency.dashboard.models import LiveEvent
from emergency.live import unit_group
from emergency.org.roles import Role
from incidents import services

from .factories import UnitFactory, user_with_role
from .processes import run_async

pytestmark = pytest.mark.django_db(transaction=True)


def _log(officer, unit, title):
    try:
        now = timezone.now()
        return services.incident_log(actor=officer, unit=unit, type_code="work_safety", title=title, address="厂区",
                                     occurred_at=now, received_at=now, body="首报", metrics={"deaths": 1})
    finally:
        connection.close()


def test_each_groups_frames_name_the_number_last_sent_to_that_group(grading_tables, live_relay):
    city = UnitFactory(code="city")
    east, west = UnitFactory(code="east", parent=city), UnitFactory(code="west", parent=city)
    officers = {east.pk: user_with_role(Role.DUTY_OFFICER, east), west.pk: user_with_role(Role.DUTY_OFFICER, west)}
    order = [east, west, west, east, west, east]

    async def scenario():
        layer = channel_layers.make_backend("default")
        channels = {unit.pk: await layer.new_channel() for unit in (city, east, west)}
        for unit_id, channel in channels.items():
            await layer.group_add(unit_group(unit_id), channel)
        for n, unit in enumerate(order):
            await asyncio.to_thread(_log, officers[unit.pk], unit, f"事故{n}")
        total = await asyncio.to_thread(lambda: LiveEvent.objects.count())
        received = {pk: [] for pk in channels}
        for pk, channel in channels.items():
            expected = total if pk == city.pk else await asyncio.to_thread(
                lambda: LiveEvent.objects.filter(unit_id=pk).count())
            while len(received[pk]) < expected:
                message = await asyncio.wait_for(layer.receive(channel), 10)
                received[pk].append(json.loads(message["text"]))
        return received

    received = run_async(scenario())
    for unit in (city, east, west):
        frames = received[unit.pk]
        assert "prev" not in frames[0]  # a relay that just took the lock knows no earlier number
        assert [f["prev"] for f in frames[1:]] == [f["seq"] for f in frames[:-1]]
    east_numbers = [f["seq"] for f in received[east.pk]]
    assert east_numbers != list(range(east_numbers[0], east_numbers[-1] + 1))  # the west's numbers in between
