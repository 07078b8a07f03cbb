"""Load the taxonomy, a threshold table and the saved cases from the YAML under `data/`.

Works on real or historical models (`models` maps a name to a model class) so the default
table can ship with the migrations and be loaded on a freshly migrated database.
"""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any, Callable

import yaml

DATA_DIR = Path(__file__).resolve().parent / "data"


def read(name: str) -> dict[str, Any]:
    """The file parsed by libyaml where PyYAML has it (the same safe loader, several times faster)."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return yaml.load((DATA_DIR / name).read_text(encoding="utf-8"), Loader=loader)  # noqa: S506 (a safe loader)


def load_taxonomy(get_model: Callable[[str], Any], data: dict[str, Any]) -> None:
    Category, Type, Metric = (get_model(n) for n in ("IncidentCategory", "IncidentType", "Metric"))
    for position, item in enumerate(data["categories"]):
        category, _ = Category.objects.update_or_create(
            code=item["code"], defaults={"name": item["name"], "name_en": item.get("name_en", ""), "position": position})
        for type_position, kind in enumerate(item["types"]):
            Type.objects.update_or_create(code=kind["code"], defaults={
                "category": category, "name": kind["name"], "name_en": kind.get("name_en", ""),
                "plans": ",".join(kind.get("plans") or []), "position": position * 100 + type_position,
            })
    for position, item in enumerate(data["metrics"]):
        Metric.objects.update_or_create(key=item["key"], defaults={
            "name": item["name"], "name_en": item.get("name_en", ""), "unit": item.get("unit", ""),
            "unit_en": item.get("unit_en", ""), "integer": bool(item.get("integer", True)), "position": position,
            "sum_of": list(item.get("sum_of") or []),
        })
    from .selectors import forget_type_choices  # this process's kept choices are stale now

    forget_type_choices()


def origin_of(item: dict[str, Any]) -> str:
    """Whose figure a shipped row is: its `origin`, else a national rule's when its source names one
    (国家…), else the appendix's (every other shipped row quotes a clause of appendix 7.3)."""
    return item.get("origin") or ("national" if str(item.get("source", "")).startswith("国家") else "appendix")


def _has_field(model: Any, name: str) -> bool:
    return any(f.name == name for f in model._meta.get_fields())  # historical models before grading/0005 lack it


def load_table(get_model: Callable[[str], Any], data: dict[str, Any], *, version: int, state: str,
               note: str = "", **fields: Any) -> Any:
    Table, Criterion, Condition = (get_model(n) for n in ("ThresholdTable", "Criterion", "Condition"))
    Type, Metric = get_model("IncidentType"), get_model("Metric")
    types = {t.code: t for t in Type.objects.all()}
    metrics = {m.key: m for m in Metric.objects.all()}
    table = Table.objects.create(version=version, state=state, note=note, **fields)
    labelled = _has_field(Criterion, "origin")
    conditions = []
    for position, item in enumerate(data["criteria"]):
        criterion = Criterion.objects.create(
            table=table, incident_type=types[item["type"]], grade=item["grade"], source=item.get("source", ""),
            wording=item["wording"], wording_en=item.get("wording_en", ""), check_key=item.get("check") or "",
            floor=bool(item.get("floor", False)), position=position,
            **({"origin": origin_of(item)} if labelled else {}),
        )
        for condition in item.get("all") or []:
            conditions.append(Condition(criterion=criterion, metric=metrics[condition["metric"]], op=condition["op"],
                                        value=Decimal(str(condition["value"]))))
    Condition.objects.bulk_create(conditions)
    return table


def load_revision(get_model: Callable[[str], Any], data: dict[str, Any], *, note: str = "") -> Any | None:
    """Publish the next version of the shared table (the one shipped with the platform): a copy of
    the shared table published now, with every criterion of the types `data["replaces"]` names
    replaced by `data["criteria"]`. The table it replaces retires and keeps the incidents it graded;
    organisations with tables of their own keep them. None when the shared table already has it."""
    Table, Criterion, Condition = (get_model(n) for n in ("ThresholdTable", "Criterion", "Condition"))
    shared = Table.objects.filter(organisation__isnull=True)
    base = shared.filter(state="published").order_by("-version").first()
    if base is None or (note and shared.filter(note=note).exists()):
        return None
    version = max(shared.values_list("version", flat=True)) + 1
    replaced = set(data["replaces"])
    base.state = "retired"
    base.save(update_fields=["state"])
    table = load_table(get_model, {"criteria": data["criteria"]}, version=version, state="published", note=note)
    table.based_on_id = base.pk
    table.save(update_fields=["based_on"])
    kept = Criterion.objects.filter(table=base).exclude(incident_type__code__in=replaced).order_by("position", "id")
    offset = len(data["criteria"])
    for position, criterion in enumerate(list(kept.prefetch_related("conditions"))):
        conditions = list(criterion.conditions.all())
        criterion.pk, criterion.table_id, criterion.position = None, table.pk, offset + position
        criterion.save()
        Condition.objects.bulk_create(Condition(criterion=criterion, metric_id=c.metric_id, op=c.op, value=c.value)
                                      for c in conditions)
    return table


def correct_cases(get_model: Callable[[str], Any], data: dict[str, Any]) -> None:
    """Shipped cases whose expected grade a later reading of the plan corrected, then new cases."""
    Case = get_model("GradingCase")
    for item in data.get("corrected") or []:
        Case.objects.filter(organisation__isnull=True, name=item["name"]).update(
            expected=item["expected"] or "", name=item.get("rename") or item["name"])
    load_cases(get_model, data)


def ship_v2(get_model: Callable[[str], Any]) -> None:
    """Issue 19, items 11 and 12: the taxonomy's new types, table v2 and its cases."""
    load_taxonomy(get_model, read("taxonomy.yaml"))
    if load_revision(get_model, read("thresholds_v2.yaml"), note=V2_NOTE) is not None:
        correct_cases(get_model, read("cases_v2.yaml"))


def unship_v2(get_model: Callable[[str], Any]) -> None:
    """Undo `ship_v2` (migrating backwards): the table it replaced is published again and the
    shipped cases read as before. Refused by the database if an incident was graded by v2."""
    Table, Case = get_model("ThresholdTable"), get_model("GradingCase")
    Criterion, Condition, Run = get_model("Criterion"), get_model("Condition"), get_model("CaseRun")
    for table_id, base_id in Table.objects.filter(organisation__isnull=True, note=V2_NOTE).values_list(
            "pk", "based_on_id"):
        Condition.objects.filter(criterion__table_id=table_id)._raw_delete(Condition.objects.db)
        Criterion.objects.filter(table_id=table_id)._raw_delete(Criterion.objects.db)
        Run.objects.filter(table_id=table_id)._raw_delete(Run.objects.db)
        Table.objects.filter(pk=table_id)._raw_delete(Table.objects.db)
        Table.objects.filter(pk=base_id).update(state="published")
    data, v1 = read("cases_v2.yaml"), {c["name"]: c for c in read("cases_v1.yaml")["cases"]}
    Case.objects.filter(organisation__isnull=True, name__in=[c["name"] for c in data["cases"]]).delete()
    for item in data["corrected"]:
        Case.objects.filter(organisation__isnull=True, name=item.get("rename") or item["name"]).update(
            name=item["name"], expected=v1[item["name"]].get("expected") or "")


def load_cases(get_model: Callable[[str], Any], data: dict[str, Any], **fields: Any) -> int:
    Case, Type = get_model("GradingCase"), get_model("IncidentType")
    types = {t.code: t for t in Type.objects.all()}
    Case.objects.bulk_create([
        Case(name=item["name"], incident_type=types[item["type"]], metrics=item.get("metrics") or {},
             checked=item.get("checked") or [], expected=item.get("expected") or "", **fields)
        for item in data["cases"]
    ])
    return len(data["cases"])


NATIONAL_NOTE = ("国家突发事件分级标准（海关预案1.3“具体分级标准按照国家突发事件分级标准执行”）：安全生产、交通运输、设施设备事故"
                 "和火灾按《生产安全事故报告和调查处理条例》与火灾等级标准，地震、地质灾害、突发环境事件按相应国家预案；"
                 "其他类型由本单位专项、部门预案补充，未补充前由本单位规定的定级人员研判定级（Ⅰ–Ⅳ级）。")


def load_national(*, organisation: Any, version: int, actor: Any = None) -> Any:
    """A published table of the organisation seeded from the national standards, with their cases as
    the organisation's own (real models: called by `services.table_seed`)."""
    from django.apps import apps

    def get_model(name: str):
        return apps.get_model("grading", name)

    table = load_table(get_model, read("thresholds_national.yaml"), version=version, state="published",
                       note=NATIONAL_NOTE, organisation=organisation, standard="national", created_by=actor,
                       published_by=actor)
    Case = get_model("GradingCase")
    data = read("cases_national.yaml")
    known = set(Case.objects.filter(organisation=organisation).values_list("name", flat=True))
    load_cases(get_model, {"cases": [c for c in data["cases"] if c["name"] not in known]},
               organisation=organisation, created_by=actor)
    return table


def ensure_defaults() -> bool:
    """Load the shipped taxonomy, tables v1 (retired) and v2 and their cases where no table exists (a database emptied
    after migrating, as transactional tests leave it). True when it loaded them."""
    from django.apps import apps
    from django.db import transaction

    def get_model(name: str):
        return apps.get_model("grading", name)

    if get_model("ThresholdTable").objects.exists():
        return False
    with transaction.atomic():
        load_taxonomy(get_model, read("taxonomy.yaml"))
        load_table(get_model, read("thresholds_v1.yaml"), version=1, state="published", note=DEFAULT_NOTE)
        load_cases(get_model, read("cases_v1.yaml"))
        ship_v2(get_model)
    return True


DEFAULT_NOTE = "附件7.3 特别重大、重大突发事件分级标准（试行）；生产安全事故较大、一般等级按国家规定。"
V2_NOTE = ("附件7.3 特别重大、重大突发事件分级标准（试行）第2版：安全事故各行（7.3.2 1)）适用于交通运输、设施设备和火灾事故，"
           "食品安全、植物疫情、冲击海关、核与辐射等按附件相应条目；气象灾害Ⅰ级须影响重要城市和50平方公里以上较大区域；"
           "恐怖袭击事件（7.3.4 5)未分特别重大、重大）定为重大（Ⅱ）；舆情突发事件、经济安全事件附件无条目，由牵头部门定级。")
