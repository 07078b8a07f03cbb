"""Issue 17: a request for resources goes request → approve → dispatch → en route → arrived → in
use → returned or consumed; every step is an append-only record; stock moves only through
movements, first-expiring batch first; the approver comes from the organisation's rules."""
import pytest
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.utils import timezone, translation

from emergency.errors import Conflict, NotFound, NotPermitted, ValidationFailed
from emergency.org.roles import Role
from resources.models import Batch, RequestStep, Stock, StockMovement, Team
from resources.services import inventory
from resources.services.requests import request_advance, request_create, request_decide

from .factories import user_with_role
from .resource_helpers import city_with_inventory

pytestmark = pytest.mark.django_db


@pytest.fixture
def city(grading_tables):
    return city_with_inventory()


def _stock(city) -> Stock:
    return Stock.objects.get(store=city.store, item=city.tents)


def _tents(city, quantity=30):
    return request_create(actor=city.requester, incident=city.incident, kind="supply", item=city.tents,
                          holding_unit=city.top, quantity=quantity, reason="安置转移群众")


def test_supplies_go_out_and_come_back_through_the_records_only(city):
    request = _tents(city, 60)
    assert _stock(city).quantity == 100
    with translation.override("zh-hans"), pytest.raises(NotPermitted, match="批准"):  # not the approver
        request_decide(actor=city.requester, request=request, approve=True)
    request_decide(actor=city.approver, request=request, approve=True)
    request_advance(actor=city.keeper, request=request, state="dispatched", store=city.store, quantity=60)
    stock = _stock(city)
    assert stock.quantity == 40
    # The batch expiring first went first: B-2025 (50) emptied, then 10 of B-2026.
    assert dict(Batch.objects.filter(stock=stock).values_list("code", "quantity")) == {"B-2025": 0, "B-2026": 40}
    for state in ("en_route", "arrived", "in_use"):
        actor = city.keeper if state == "en_route" else city.requester
        request_advance(actor=actor, request=request, state=state)
    request_advance(actor=city.keeper, request=request, state="returned", quantity=25)
    assert _stock(city).quantity == 65
    request.refresh_from_db()
    assert (request.state, request.dispatched_quantity, request.returned_quantity) == ("returned", 60, 25)
    assert list(request.steps.values_list("state", flat=True)) == [
        "requested", "approved", "dispatched", "en_route", "arrived", "in_use", "returned"]
    balances = list(StockMovement.objects.filter(stock=stock).order_by("id").values_list("reason", "change", "balance"))
    assert balances == [("receipt", 50, 50), ("receipt", 50, 100), ("dispatch", -50, 50), ("dispatch", -10, 40),
                        ("return", 10, 50), ("return", 15, 65)]


def test_consumed_supplies_do_not_come_back(city):
    request = _tents(city, 10)
    request_decide(actor=city.approver, request=request, approve=True)
    request_advance(actor=city.keeper, request=request, state="dispatched", store=city.store)
    request_advance(actor=city.keeper, request=request, state="en_route")
    request_advance(actor=city.requester, request=request, state="arrived")
    request_advance(actor=city.requester, request=request, state="in_use")
    request_advance(actor=city.keeper, request=request, state="consumed")
    assert _stock(city).quantity == 90


def test_a_team_is_deployed_and_ready_again_when_it_returns(city):
    request = request_create(actor=city.requester, incident=city.incident, kind="team", team=city.team,
                             reason="山洪救援")
    assert request.holding_unit_id == city.top.pk  # asked of the unit that holds the team
    request_decide(actor=city.approver, request=request, approve=True)
    request_advance(actor=city.keeper, request=request, state="dispatched")
    assert Team.objects.get(pk=city.team.pk).readiness == "deployed"
    second = request_create(actor=city.requester, incident=city.incident, kind="team", team=city.team, reason="再派")
    request_decide(actor=city.approver, request=second, approve=True)
    with pytest.raises(Conflict):
        request_advance(actor=city.keeper, request=second, state="dispatched")
    for state, actor in (("en_route", city.keeper), ("arrived", city.requester), ("in_use", city.requester),
                         ("returned", city.keeper)):
        request_advance(actor=actor, request=request, state=state)
    assert Team.objects.get(pk=city.team.pk).readiness == "ready"


def test_steps_are_taken_in_order_by_the_right_side(city):
    request = _tents(city)
    with pytest.raises(Conflict):
        request_advance(actor=city.keeper, request=request, state="dispatched", store=city.store)
    request_decide(actor=city.approver, request=request, approve=True)
    with pytest.raises(NotPermitted):  # the township does not send the city's stock out
        request_advance(actor=city.requester, request=request, state="dispatched", store=city.store)
    with pytest.raises(Conflict):
        request_decide(actor=city.approver, request=request, approve=True)
    with pytest.raises(ValidationFailed):  # more than was asked for
        request_advance(actor=city.keeper, request=request, state="dispatched", store=city.store, quantity=31)
    assert _stock(city).quantity == 100


def test_a_refusal_says_why_and_the_requester_may_not_approve_their_own(city):
    boss = user_with_role(Role.COMMANDER, city.top, username="boss")
    request = request_create(actor=boss, incident=city.incident, kind="equipment", equipment=city.pump, reason="排涝")
    with pytest.raises(NotPermitted):
        request_decide(actor=boss, request=request, approve=True)
    with pytest.raises(ValidationFailed):
        request_decide(actor=city.approver, request=request, approve=False)
    request_decide(actor=city.approver, request=request, approve=False, note="车辆正在检修")
    assert request.steps.last().state == "rejected"


def test_another_organisations_resources_cannot_be_requested(city):
    other = city_with_inventory("o")
    with pytest.raises(NotFound):
        request_create(actor=city.requester, incident=city.incident, kind="team", team=other.team, reason="x")
    with pytest.raises(NotFound):
        request_create(actor=other.requester, incident=city.incident, kind="team", team=city.team, reason="x")


def test_more_than_the_store_holds_is_refused_and_nothing_moves(city):
    request = _tents(city, 100)
    request_decide(actor=city.approver, request=request, approve=True)
    small = _tents(city, 5)
    request_decide(actor=city.approver, request=small, approve=True)
    request_advance(actor=city.keeper, request=small, state="dispatched", store=city.store)
    with pytest.raises(Conflict, match="95"):
        request_advance(actor=city.keeper, request=request, state="dispatched", store=city.store)
    assert _stock(city).quantity == 95 and request.steps.count() == 2


def _refused(sql, *params, match="append-only"):
    with pytest.raises(DatabaseError, match=match), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, list(params))


def test_the_database_refuses_to_change_steps_movements_or_a_balance_by_hand(city):
    request = _tents(city)
    step = request.steps.get()
    movement = StockMovement.objects.first()
    _refused("UPDATE resources_requeststep SET state = 'approved' WHERE id = %s", step.pk)
    _refused("DELETE FROM resources_requeststep WHERE id = %s", step.pk)
    _refused("UPDATE resources_stockmovement SET change = 1000 WHERE id = %s", movement.pk)
    _refused("DELETE FROM resources_stockmovement WHERE id = %s", movement.pk)
    _refused("UPDATE resources_stock SET quantity = 5000 WHERE id = %s", _stock(city).pk, match="stock movements")
    _refused("UPDATE resources_batch SET quantity = 5000 WHERE stock_id = %s", _stock(city).pk, match="stock movements")
    assert _stock(city).quantity == 100 and RequestStep.objects.get(pk=step.pk).state == "requested"


def test_the_balance_cannot_go_negative_even_without_the_lock(city):
    stock, batch = _stock(city), Batch.objects.filter(stock__store=city.store, quantity__gt=0).first()
    with pytest.raises(IntegrityError), transaction.atomic():
        StockMovement.objects.create(stock=stock, batch=batch, change=-(batch.quantity + 1), balance=0,
                                     reason="dispatch", at=timezone.now(), actor=city.keeper)
    assert _stock(city).quantity == 100


def test_receiving_stock_checks_its_input_and_who_keeps_the_store(city):
    with pytest.raises(ValidationFailed):
        inventory.stock_receive(actor=city.keeper, store=city.store, item=city.tents, quantity=0, batch="X")
    with pytest.raises(NotFound):  # the township does not see the city's store
        inventory.stock_receive(actor=city.requester, store=city.store, item=city.tents, quantity=5, batch="X")
    with pytest.raises(NotPermitted):  # a plan administrator sees it but does not keep it
        inventory.stock_receive(actor=user_with_role(Role.PLAN_ADMIN, city.top), store=city.store, item=city.tents,
                                quantity=5, batch="X")
    assert _stock(city).quantity == 100
