"""The demo inventory of both organisations (resources/data/demo.yaml), loaded by the core's demo
loader through its hook. Idempotent: rows are matched by name (stock by batch); stock comes in
through the receiving service, as the organisation's system administrator."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import yaml

from emergency.audit.services import audit_record, snapshot
from emergency.org.demo import LoadReport, demo_hook
from emergency.org.models import OrgUnit, User

from .models import ApprovalRule, Batch, Equipment, Shelter, Store, SupplyItem, Team
from .services.inventory import stock_minimum_set, stock_receive

DEMO_FILE = Path(__file__).resolve().parent / "data" / "demo.yaml"


def _upsert(model, lookup: dict, values: dict, report: LoadReport, unit_id: int):
    instance = model.objects.filter(**lookup).first()
    if instance is None:
        instance = model.objects.create(**lookup, **values)
        report.created += 1
        audit_record(actor=None, unit_id=unit_id, action="demo.create", target=instance,
                     after=snapshot(instance, [*lookup, *values]))
    return instance


def _placed(row: dict) -> dict:
    return {"latitude": row["lat"], "longitude": row["lon"], "address": row.get("address", "")}


def load_inventory(code: str, data: dict) -> LoadReport:
    report = LoadReport()
    top = OrgUnit.objects.filter(code=code, parent__isnull=True).first()
    keeper = User.objects.filter(username=f"{code}-sysadmin").first()
    if top is None or keeper is None:
        return report
    units = {u.code: u for u in OrgUnit.objects.descendants(top, include_self=True)}
    for rule in data.get("approval", []):
        _upsert(ApprovalRule, {"organisation": top, "kind": rule["kind"]},
                {"approver_roles": rule["roles"], "basis": rule.get("basis", "")}, report, top.pk)
    items = {}
    for row in data.get("catalogue", []):
        items[row["code"]] = _upsert(SupplyItem, {"organisation": top, "code": row["code"]},
                                     {"name": row["name"], "category": row["category"], "unit_of_measure": row["uom"]},
                                     report, top.pk)
    for row in data.get("teams", []):
        unit = units[row["unit"]]
        _upsert(Team, {"unit": unit, "name": row["name"]}, {
            "kind": row["kind"], "capability": row.get("capability", ""), "head_count": row.get("head_count", 0),
            "leader": row.get("leader", ""), "contact": row.get("contact", ""), **_placed(row)}, report, unit.pk)
    for row in data.get("equipment", []):
        unit = units[row["unit"]]
        _upsert(Equipment, {"unit": unit, "name": row["name"]},
                {"kind": row["kind"], "identifier": row.get("identifier", ""), **_placed(row)}, report, unit.pk)
    for row in data.get("shelters", []):
        unit = units[row["unit"]]
        _upsert(Shelter, {"unit": unit, "name": row["name"]},
                {"kind": row.get("kind", "shelter"), "capacity": row["capacity"], **_placed(row)}, report, unit.pk)
    for row in data.get("stores", []):
        unit = units[row["unit"]]
        store = _upsert(Store, {"unit": unit, "name": row["name"]},
                        {"keeper": row.get("keeper", ""), "contact": row.get("contact", ""), **_placed(row)},
                        report, unit.pk)
        for line in row.get("stock", []):
            item = items[line["item"]]
            if not Batch.objects.filter(stock__store=store, stock__item=item, code=line["batch"]).exists():
                expires = line.get("expires")
                stock_receive(actor=keeper, store=store, item=item, quantity=line["quantity"], batch=line["batch"],
                              expires_on=expires if isinstance(expires, date) or expires is None
                              else date.fromisoformat(str(expires)), note="演示数据")
                stock_minimum_set(actor=keeper, store=store, item=item, minimum=line.get("minimum", 0))
                report.created += 1
    return report


@demo_hook
def load_demo_inventory() -> LoadReport:
    report = LoadReport()
    for code, data in yaml.safe_load(DEMO_FILE.read_text(encoding="utf-8")).items():
        report = report + load_inventory(code, data)
    return report
