"""Issue 17: 50 dispatches racing on one store, each from its own thread and PostgreSQL connection,
never overdraw it: as many succeed as the stock allows, the others are refused with a conflict, and
the balance equals the receipts less what the successful dispatches' movements took."""
from __future__ import annotations

import threading

import pytest
from django.db import connection
from django.db.models import Sum

from emergency.errors import Conflict
from resources.models import Batch, ResourceRequest, Stock, StockMovement
from resources.services.requests import request_advance, request_create, request_decide

from .resource_helpers import city_with_inventory

RACERS = 50
EACH = 3


@pytest.mark.django_db(transaction=True)
def test_fifty_concurrent_dispatches_never_overdraw_one_store(grading_tables):
    city = city_with_inventory(tents=100)
    requests = []
    for n in range(RACERS):
        request = request_create(actor=city.requester, incident=city.incident, kind="supply", item=city.tents,
                                 holding_unit=city.top, quantity=EACH, reason=f"安置点{n}")
        requests.append(request_decide(actor=city.approver, request=request, approve=True))
    start = threading.Barrier(RACERS)
    outcomes: list[str] = []
    lock = threading.Lock()

    def dispatch(request):
        try:
            start.wait()
            request_advance(actor=city.keeper, request=request, state="dispatched", store=city.store)
            outcome = "dispatched"
        except Conflict:
            outcome = "refused"
        except Exception as error:  # reported below: anything else is a defect
            outcome = f"error: {error!r}"
        finally:
            connection.close()
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=dispatch, args=(request,)) for request in requests]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert sorted(set(outcomes)) == ["dispatched", "refused"], outcomes
    won = outcomes.count("dispatched")
    assert won == 100 // EACH and outcomes.count("refused") == RACERS - won
    stock = Stock.objects.get(store=city.store, item=city.tents)
    assert stock.quantity == 100 - won * EACH == 1
    assert Batch.objects.filter(stock=stock).aggregate(total=Sum("quantity"))["total"] == stock.quantity
    taken = StockMovement.objects.filter(stock=stock, reason="dispatch").aggregate(total=Sum("change"))["total"]
    assert -taken == won * EACH
    assert ResourceRequest.objects.filter(state="dispatched").count() == won
    assert ResourceRequest.objects.filter(state="approved").count() == RACERS - won  # refused ones wrote nothing
