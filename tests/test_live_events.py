"""Changes reach the command dashboards' groups through the real Redis channel layer, after commit,
sent by the outbox relay in number order; a standby relay takes over without a gap."""
import asyncio
import json
from concurrent.futures import ThreadPoolExecutor

import pytest
from channels.layers import channel_layers
from django.db import connection, transaction
from django.utils import timezone

from emergency.dashboard.models import LiveEvent
from emergency.dashboard.relay import Relay
from emergency.live import unit_group
from emergency.org.roles import Role
from incidents import services

from .factories import UnitFactory, user_with_role
from .processes import run_async

pytestmark = pytest.mark.django_db(transaction=True)


def _closing(function):
    """Run DB work and close this thread's connection after (worker threads each open their own)."""
    try:
        return function()
    finally:
        connection.close()


def _in_thread(function):
    """DB work in its own thread (and connection), awaited from inside the test's event loop."""
    return asyncio.to_thread(_closing, function)


async def _next(layer, channel, timeout=10.0):
    return json.loads((await asyncio.wait_for(layer.receive(channel), timeout))["text"])


def _log(officer, unit, title, **metrics):
    now = timezone.now()
    return services.incident_log(actor=officer, unit=unit, type_code="work_safety", title=title, address="厂区",
                                 occurred_at=now, received_at=now, body="首报", metrics=metrics or {"deaths": 1})


def test_a_logged_incident_reaches_its_unit_and_every_superior_after_commit(grading_tables, live_relay):
    city = UnitFactory(code="city")
    county = UnitFactory(code="county", parent=city)
    other = UnitFactory(code="other")
    officer = user_with_role(Role.DUTY_OFFICER, county)

    async def scenario():
        layer = channel_layers.make_backend("default")  # the test's own client of the same Redis layer
        channels = {unit.pk: await layer.new_channel() for unit in (city, county, other)}
        for unit_id, channel in channels.items():
            await layer.group_add(unit_group(unit_id), channel)
        incident = await _in_thread(lambda: _log(officer, county, "林火", deaths=40))
        received = {unit.pk: await _next(layer, channels[unit.pk]) for unit in (county, city)}
        with pytest.raises(asyncio.TimeoutError):
            await asyncio.wait_for(layer.receive(channels[other.pk]), 0.5)
        return incident, received

    incident, received = run_async(scenario())
    stored = LiveEvent.objects.get(event="incident.logged").apply
    for message in received.values():
        assert message["event"] == "incident.logged" and message["organisation"] == city.pk
        assert message["data"]["id"] == incident.pk and message["data"]["grade"] == "I"
        # The relay described the incident after commit, and kept it on the row for the events API.
        assert message["apply"]["zh-hans"]["incidents"][str(incident.pk)]["grade"] == "I"
        assert message["apply"]["en"]["clocks"][f"incident:{incident.pk}"]
        assert message["apply"] == stored


def test_nothing_leaves_before_commit(grading_tables, live_relay):
    city = UnitFactory(code="city")
    officer = user_with_role(Role.DUTY_OFFICER, city)

    async def scenario():
        # Two clients of the group: the watcher's receive is cancelled by its timeout (a cancelled blocking
        # pop may lose the message it was waiting for), so the message is read from the other one's channel.
        layer, watcher = channel_layers.make_backend("default"), channel_layers.make_backend("default")
        channel, watching = await layer.new_channel(), await watcher.new_channel()
        await layer.group_add(unit_group(city.pk), channel)
        await watcher.group_add(unit_group(city.pk), watching)
        release = asyncio.Event()
        loop = asyncio.get_running_loop()

        def change():
            with transaction.atomic():
                _log(officer, city, "未提交")
                asyncio.run_coroutine_threadsafe(release.wait(), loop).result()  # hold the transaction open

        holder = asyncio.ensure_future(_in_thread(change))
        with pytest.raises(asyncio.TimeoutError):  # recorded, not committed: nothing sent
            await asyncio.wait_for(watcher.receive(watching), 1.0)
        release.set()
        await holder
        return await _next(layer, channel, timeout=30.0)

    assert run_async(scenario())["data"]["title"] == "未提交"


def test_the_relay_sends_in_commit_order_and_a_standby_takes_over_without_a_gap(grading_tables, live_relay):
    """Eight writers at once: the group receives every number once, in order. Then the relay stops;
    a standby (already waiting for the lock) takes over and sends what was recorded meanwhile."""
    city = UnitFactory(code="city")
    officer = user_with_role(Role.DUTY_OFFICER, city)
    standby = Relay(poll_seconds=0.2)

    async def scenario():
        layer = channel_layers.make_backend("default")
        channel = await layer.new_channel()
        await layer.group_add(unit_group(city.pk), channel)

        def burst(titles):
            with ThreadPoolExecutor(8) as pool:
                list(pool.map(lambda title: _closing(lambda: _log(officer, city, title)), titles))

        await asyncio.to_thread(burst, [f"事件{n}" for n in range(24)])
        first = [(await _next(layer, channel))["seq"] for _ in range(24)]
        standby.start()
        await asyncio.sleep(0.5)
        was_standing_by = not standby.active.is_set()
        await asyncio.to_thread(live_relay.stop)
        await asyncio.to_thread(burst, [f"接管后{n}" for n in range(5)])
        taken_over = await asyncio.to_thread(standby.active.wait, 10)
        after = [(await _next(layer, channel))["seq"] for _ in range(5)]
        return first, was_standing_by, taken_over, after

    try:
        first, was_standing_by, taken_over, after = run_async(scenario())
    finally:
        standby.stop()
    assert first == sorted(first) and len(set(first)) == 24
    assert was_standing_by and taken_over
    assert after == list(range(first[-1] + 1, first[-1] + 6))
