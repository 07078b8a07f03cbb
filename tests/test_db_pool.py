"""A web process's connections come from its bounded pool (emergency.db.pool): a request hands its
connection back and the next request takes it, instead of PostgreSQL starting a server process
per request; the pool never holds more than its size, rolls back what a caller left open, drops
connections the server ended, and frees the place of one its thread lost."""
from __future__ import annotations

import gc
import time

import psycopg2
import pytest
import requests
from django.db import connection

from rest_framework.authtoken.models import Token

from emergency.db.pool import ConnectionPool
from emergency.org.roles import Role

from .factories import UnitFactory, user_with_role
from .processes import asgi_server

pytestmark = pytest.mark.django_db(transaction=True)


def _connect():
    params = connection.get_connection_params()
    return lambda: psycopg2.connect(**params)


def _backend(raw) -> int:
    with raw.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    raw.rollback()
    return pid


def test_a_handed_back_connection_serves_the_next_caller_and_an_open_transaction_is_rolled_back():
    pool = ConnectionPool(size=2, wait=1)
    first = pool.get(connect=_connect())
    pid = _backend(first)
    with first.cursor() as cursor:
        cursor.execute("CREATE TEMPORARY TABLE left_open (x int)")  # a transaction left open
    pool.put(first)
    again = pool.get(connect=_connect())
    assert again is first and _backend(again) == pid and pool.opened == 1
    with again.cursor() as cursor:
        cursor.execute("SELECT to_regclass('left_open')")
        assert cursor.fetchone()[0] is None  # rolled back, not committed
    pool.put(again)
    pool.close()


def test_the_pool_holds_at_most_its_size_and_a_caller_past_it_waits_then_gets_a_clear_error():
    pool = ConnectionPool(size=2, wait=0.3)
    taken = [pool.get(connect=_connect()), pool.get(connect=_connect())]
    started = time.monotonic()
    with pytest.raises(psycopg2.OperationalError, match="all 2 connections"):
        pool.get(connect=_connect())
    assert time.monotonic() - started >= 0.3 and pool.open_count() == 2
    pool.put(taken.pop())
    assert pool.get(connect=_connect()) is not None and pool.opened == 2
    pool.close()


def test_a_connection_the_server_ended_is_dropped_not_handed_out():
    pool = ConnectionPool(size=1, wait=1)
    raw = pool.get(connect=_connect())
    pid = _backend(raw)
    pool.put(raw)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
    time.sleep(0.2)
    fresh = pool.get(connect=_connect())
    assert _backend(fresh) != pid and pool.opened == 2
    pool.put(fresh)
    pool.close()


def test_a_connection_whose_thread_lost_it_frees_its_place():
    pool = ConnectionPool(size=1, wait=2)
    raw = pool.get(connect=_connect())
    del raw
    gc.collect()
    assert pool.get(connect=_connect()) is not None


def _app_backends(name: str) -> list[tuple[int, str]]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pid, state FROM pg_stat_activity WHERE application_name = %s ORDER BY pid", [name])
        return cursor.fetchall()


def test_a_web_process_serves_its_requests_on_the_connections_it_keeps():
    """Thirty requests one after another: one PostgreSQL session serves them all and stays open,
    idle, for the next one (without the pool each request started and ended its own)."""
    name = "pool-test"
    token = Token.objects.create(user=user_with_role(Role.DUTY_OFFICER, UnitFactory())).key
    with asgi_server(env={"PGAPPNAME": name, "LIVE_RELAY": "false"}, server="uvicorn") as server:
        def load():
            requests.get(server.url + "/api/v1/incidents/", headers={"Authorization": f"Token {token}"},
                         timeout=30).raise_for_status()
        load()
        after_first = _app_backends(name)
        for _ in range(30):
            load()
        after_all = _app_backends(name)
    assert len(after_first) == 1 and after_first[0][1] == "idle"
    assert after_all == after_first
