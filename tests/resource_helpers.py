"""A small city with an inventory: the city holds a store, a team and a pump; a township logs an
incident nearby and asks for them. Made through the services, as the demo loads its own."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from alerts import services as alert_services
from alerts.models import EarlyWarning, WarningAuthority

from emergency.org.models import OrgUnit, User
from emergency.org.roles import Role
from incidents import services as incident_services
from incidents.models import Incident
from resources.models import ApprovalRule, Equipment, Store, SupplyItem, Team
from resources.services import inventory

from .factories import DepartmentFactory, UnitFactory, user_with_role

APPROVERS = [Role.COMMANDER, Role.PRINCIPAL, Role.LEADER_IN_CHARGE]


@dataclass
class City:
    top: OrgUnit
    county: OrgUnit
    township: OrgUnit
    keeper: User       # duty officer of the city: keeps the city's inventory
    approver: User     # commander of the city
    requester: User    # duty officer of the township
    store: Store
    tents: SupplyItem
    team: Team
    pump: Equipment
    incident: Incident


def approval_rules(top: OrgUnit) -> None:
    for kind in ApprovalRule.Kind.values:
        ApprovalRule.objects.create(organisation=top, kind=kind, approver_roles=APPROVERS, basis="4.3")


def city_with_inventory(code: str = "c", *, tents: int = 100, minimum: int = 20) -> City:
    top = UnitFactory(code=f"{code}-top", name="贵港市")
    county = UnitFactory(code=f"{code}-county", name="港北区", parent=top, kind=OrgUnit.Kind.COUNTY)
    township = UnitFactory(code=f"{code}-town", name="根竹镇", parent=county, kind=OrgUnit.Kind.TOWNSHIP)
    DepartmentFactory(unit=top, code=f"{code}-ema", name="市应急管理局")
    approval_rules(top)
    keeper = user_with_role(Role.DUTY_OFFICER, top, username=f"{code}-keeper")
    approver = user_with_role(Role.COMMANDER, top, username=f"{code}-commander")
    requester = user_with_role(Role.DUTY_OFFICER, township, username=f"{code}-town-duty")
    item = SupplyItem.objects.create(organisation=top, code="tent", name="救灾帐篷", category="living",
                                     unit_of_measure="顶")
    store = inventory.store_create(actor=keeper, unit=top, name="市救灾物资储备库", latitude=23.095, longitude=109.615)
    inventory.stock_receive(actor=keeper, store=store, item=item, quantity=tents // 2, batch="B-2025",
                            expires_on=timezone.localdate().replace(year=timezone.localdate().year + 1))
    inventory.stock_receive(actor=keeper, store=store, item=item, quantity=tents - tents // 2, batch="B-2026")
    inventory.stock_minimum_set(actor=keeper, store=store, item=item, minimum=minimum)
    team = inventory.team_create(actor=keeper, unit=top, name="消防救援支队特勤大队", kind="fire_rescue",
                                 latitude=23.103, longitude=109.599, head_count=60)
    pump = inventory.equipment_create(actor=keeper, unit=top, name="大流量排水抢险车", kind="pump", latitude=23.103,
                                      longitude=109.599)
    now = timezone.now()
    incident = incident_services.incident_log(
        actor=requester, unit=township, type_code="flood_drought", title="根竹镇山洪", address="根竹镇",
        occurred_at=now, received_at=now, body="首报", latitude="23.210", longitude="109.560")
    return City(top=top, county=county, township=township, keeper=keeper, approver=approver, requester=requester,
                store=store, tents=item, team=team, pump=pump, incident=incident)


def issued_warning(city: City, *, lasting: timedelta) -> tuple[EarlyWarning, User]:
    """A flood warning of the county (港北区), issued by its commander, in force for `lasting`."""
    WarningAuthority.objects.create(organisation=city.top, level=4, roles=[Role.COMMANDER])
    commander = user_with_role(Role.COMMANDER, city.county, username="county-commander")
    warning = alert_services.warning_draft(
        actor=commander, unit=city.county, type_code="flood_drought", level=4, title="郁江洪水预警",
        signs="上游强降雨", points="沿江低洼地带", area_desc="港北区郁江沿岸", starts_at=timezone.now(),
        expected_end=timezone.now() + lasting, circle="23.11,109.60 15")
    alert_services.warning_issue(actor=commander, warning=warning)
    return EarlyWarning.objects.get(pk=warning.pk), commander
