"""Issue 17, items 4, 5, 7, 8: requisitions are compensated once after the response; a warning puts
a team and stock on standby and releases them; who is due for training; a unit's year lists its
late reports with the decisions entered against them; the demo loads both organisations' inventory."""
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from alerts import services as alert_services
from emergency.errors import Conflict, NotPermitted, ValidationFailed
from emergency.org.roles import Role
from incidents.models import ReportingDeadline
from resources import reports
from resources.models import Requisition, Stock, Team
from resources.services import records

from .factories import user_with_role
from .resource_helpers import city_with_inventory

pytestmark = pytest.mark.django_db


@pytest.fixture
def city(grading_tables):
    return city_with_inventory()


def test_a_requisition_is_compensated_once_and_stays_as_recorded(city):
    requisition = records.requisition_record(actor=city.requester, incident=city.incident, kind="vehicle",
                                             description="挖掘机1台", owner="某建筑公司", owner_kind="company",
                                             value=Decimal("12000.00"))
    assert [r.pk for r in reports.requisition_list(user=city.keeper).filter(compensations__isnull=True)] == [
        requisition.pk]
    with pytest.raises(ValidationFailed):
        records.compensation_record(actor=city.requester, requisition=requisition, amount=Decimal("-1"))
    records.compensation_record(actor=city.requester, requisition=requisition, amount=Decimal("9800.00"), note="按台班")
    with pytest.raises(Conflict):
        records.compensation_record(actor=city.requester, requisition=requisition, amount=Decimal("1"))
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE resources_requisition SET value = 1 WHERE id = %s", [requisition.pk])
    assert Requisition.objects.get(pk=requisition.pk).value == Decimal("12000.00")


def _warning(city):
    officer = user_with_role(Role.COMMANDER, city.top, username="warner")
    warning = alert_services.warning_draft(actor=officer, unit=city.top, type_code="flood_drought", level=4,
                                           title="山洪预警", signs="降雨", points="沿河低洼", area_desc="根竹镇",
                                           starts_at=timezone.now())
    return warning, officer


def test_a_warning_puts_a_team_and_stock_on_standby_and_releases_them(city):
    from alerts.models import WarningAuthority

    WarningAuthority.objects.create(organisation=city.top, level=4, roles=[Role.COMMANDER])
    warning, officer = _warning(city)
    with pytest.raises(Conflict):  # a draft puts nothing on standby
        records.standby_set(actor=city.keeper, warning=warning, team=city.team)
    alert_services.warning_issue(actor=officer, warning=warning)
    standby = records.standby_set(actor=city.keeper, warning=warning, team=city.team)
    assert Team.objects.get(pk=city.team.pk).readiness == "standby"
    stock = Stock.objects.get(store=city.store)
    with pytest.raises(ValidationFailed):
        records.standby_set(actor=city.keeper, warning=warning, stock=stock, quantity=stock.quantity + 1)
    records.standby_set(actor=city.keeper, warning=warning, stock=stock, quantity=40)
    with pytest.raises(NotPermitted):  # a plan administrator sees the team but does not keep it
        records.standby_release(actor=user_with_role(Role.PLAN_ADMIN, city.top), standby=standby)
    records.standby_release(actor=city.keeper, standby=standby)
    assert Team.objects.get(pk=city.team.pk).readiness == "ready"


def test_leaders_and_teams_untrained_for_a_year_are_due(city):
    due = {(d.kind, d.name) for d in reports.training_due(user=city.keeper)}
    assert ("team", city.team.name) in due and ("leader", city.approver.full_name) in due
    records.training_record(actor=city.keeper, unit=city.top, kind="training", topic="防汛抢险培训",
                            held_on=timezone.localdate() - timedelta(days=30), participants=[city.approver],
                            teams=[city.team])
    due = {(d.kind, d.name) for d in reports.training_due(user=city.keeper)}
    assert ("team", city.team.name) not in due and ("leader", city.approver.full_name) not in due
    with pytest.raises(ValidationFailed):
        records.training_record(actor=city.keeper, unit=city.top, kind="training", topic="未来",
                                held_on=timezone.localdate() + timedelta(days=1))


def test_a_late_report_is_a_finding_of_the_units_year_with_its_decision(city):
    deadline = city.incident.deadlines.first()
    ReportingDeadline.objects.filter(pk=deadline.pk).update(state=ReportingDeadline.State.LATE)
    year = timezone.localdate(deadline.due_at).year
    findings, _ = reports.accountability(user=city.keeper, unit=city.township, year=year)
    assert [f.key for f in findings] == [f"deadline:{deadline.pk}"]
    with pytest.raises(NotPermitted):  # a duty officer does not decide sanctions
        records.sanction_record(actor=city.requester, unit=city.township, year=year, kind="sanction",
                                finding=findings[0].key, subject="值班员", decision="约谈", decided_on=timezone.localdate())
    principal = user_with_role(Role.PRINCIPAL, city.top, username="principal")
    records.sanction_record(actor=principal, unit=city.township, year=year, kind="sanction", finding=findings[0].key,
                            subject="根竹镇值班员", decision="通报批评", decided_on=timezone.localdate())
    findings, decisions = reports.accountability(user=principal, unit=city.township, year=year)
    assert [d.decision for d in findings[0].decisions] == ["通报批评"] and len(decisions) == 1
    assert reports.accountability(user=city.requester, unit=city.county, year=year) == ([], [])  # not its unit


def test_the_demo_loads_both_organisations_inventory_once(grading_tables):
    from emergency.org.demo import load_demo
    from resources.models import Store

    load_demo()
    assert Team.objects.filter(unit__code__startswith="xa").exists()
    assert Team.objects.filter(unit__code__startswith="gg").count() >= 5
    store = Store.objects.get(name="贵港市救灾物资储备库")
    assert store.stock.get(item__code="tent").quantity == 500
    again = load_demo()
    assert again.created == 0 and store.stock.get(item__code="tent").quantity == 500
