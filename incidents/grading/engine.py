"""The grading engine: a compiled, cached view of one threshold table, and `grade()` over it.

A table is compiled once per (table, revision) into plain tuples; grading a case then touches
no database. The incident's grade is the most severe grade that any criterion reaches; a floor
criterion (work_safety Ⅳ) is reached when nothing higher is. When no criterion is reached the
grade is undetermined: what no row decides is set by hand (`authority.py`): Ⅲ/Ⅳ under the appendix's
Ⅰ/Ⅱ rows, Ⅰ–Ⅳ for a type without rows, by whom the organisation's rules name.
"""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, Iterable, Mapping

from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from emergency.errors import ValidationFailed
from emergency.org.selectors import organisation_ids
from emergency.org.tree import top_id

from . import bounds
from .models import GRADE_RANK, Condition, Criterion, IncidentType, Metric, ThresholdTable

UNDETERMINED_WORDING = "未达到本表所列等级标准；本表无条目可定的等级，由牵头部门或本单位规定的定级人员研判定级并说明理由。"
UNDETERMINED_WORDING_EN = ("No criterion of this table is reached; the grades no row decides are set by hand, "
                           "with a reason, by the lead department or whom the organisation's rules name.")

_OPS = {
    "gte": lambda value, threshold: value >= threshold,
    "gt": lambda value, threshold: value > threshold,
    "lt": lambda value, threshold: value < threshold,
    "lte": lambda value, threshold: value <= threshold,
}


@dataclass(frozen=True)
class CompiledCondition:
    metric: str
    op: str
    threshold: Decimal


@dataclass(frozen=True)
class CompiledCriterion:
    id: int
    grade: str
    source: str
    wording: str
    wording_en: str
    check_key: str
    floor: bool
    conditions: tuple[CompiledCondition, ...]

    def reached(self, metrics: Mapping[str, Decimal], checked: frozenset[str]) -> bool:
        if self.floor:
            return False
        if self.check_key and self.check_key not in checked:
            return False
        if not self.conditions and not self.check_key:
            return False
        for condition in self.conditions:
            value = metrics.get(condition.metric)
            if value is None or not _OPS[condition.op](value, condition.threshold):
                return False
        return True

    def reason(self, metrics: Mapping[str, Decimal]) -> dict[str, Any]:
        return {
            "criterion": self.id,
            "grade": self.grade,
            "source": self.source,
            "wording": self.wording,
            "wording_en": self.wording_en,
            "check": self.check_key or None,
            "floor": self.floor,
            "conditions": [
                {"metric": c.metric, "op": c.op, "threshold": _number(c.threshold),
                 "value": _number(metrics[c.metric]) if c.metric in metrics else None}
                for c in self.conditions
            ],
        }


@dataclass(frozen=True)
class MetricSpec:
    key: str
    integer: bool
    sum_of: tuple[str, ...] = ()
    maximum: Decimal = bounds.DEFAULT


@dataclass(frozen=True)
class CompiledTable:
    id: int
    version: int
    revision: int
    metrics: dict[str, MetricSpec]
    types: dict[str, tuple[CompiledCriterion, ...]]
    checks: dict[str, frozenset[str]] = field(default_factory=dict)
    type_ids: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class GradingResult:
    type: str
    grade: str | None
    reasons: list[dict[str, Any]]
    table_version: int
    table_id: int
    type_id: int

    @property
    def determined(self) -> bool:
        return self.grade is not None

    def as_contract(self) -> dict[str, Any]:
        """The shape the command line and the preview API speak: {type, grade, reasons}."""
        return {"type": self.type, "grade": self.grade, "reasons": self.reasons}


def _number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


# --- Compilation and cache --------------------------------------------------------------------

_cache: dict[tuple[int, int], CompiledTable] = {}
_lock = threading.Lock()


def compile_table(table: ThresholdTable) -> CompiledTable:
    key = (table.pk, table.revision)
    compiled = _cache.get(key)
    if compiled is not None:
        return compiled
    metrics = {m.key: MetricSpec(m.key, m.integer, tuple(m.sum_of or ()), bounds.maximum(m.key, m.unit)) for m in Metric.objects.all()}
    conditions: dict[int, list[CompiledCondition]] = {}
    for criterion_id, metric_key, op, value in Condition.objects.filter(criterion__table=table).values_list(
            "criterion_id", "metric__key", "op", "value").order_by("id"):
        conditions.setdefault(criterion_id, []).append(CompiledCondition(metric_key, op, value))
    type_ids = dict(IncidentType.objects.values_list("code", "id"))
    types: dict[str, list[CompiledCriterion]] = {code: [] for code in type_ids}
    for row in Criterion.objects.filter(table=table).select_related("incident_type").order_by(
            "incident_type_id", "position", "id"):
        types[row.incident_type.code].append(CompiledCriterion(
            id=row.pk, grade=row.grade, source=row.source, wording=row.wording, wording_en=row.wording_en,
            check_key=row.check_key, floor=row.floor, conditions=tuple(conditions.get(row.pk, ())),
        ))
    compiled = CompiledTable(
        id=table.pk, version=table.version, revision=table.revision, metrics=metrics,
        types={code: tuple(sorted(rows, key=lambda c: GRADE_RANK[c.grade])) for code, rows in types.items()},
        checks={code: frozenset(c.check_key for c in rows if c.check_key) for code, rows in types.items()},
        type_ids=type_ids,
    )
    with _lock:
        for stale in [k for k in _cache if k[0] == table.pk]:
            del _cache[stale]
        _cache[key] = compiled
    return compiled


_current: dict[int | None, tuple[float, ThresholdTable]] = {}
CURRENT_TTL_SECONDS = 2.0  # another process's publication is seen within this time


def current_table(organisation_id: int | None = None) -> ThresholdTable:
    """The table that grades the organisation's incidents: its own published table, or else the
    shared one shipped with the platform (remembered for a moment: grading is then query-free)."""
    remembered = _current.get(organisation_id)
    if remembered is not None and time.monotonic() - remembered[0] < CURRENT_TTL_SECONDS:
        return remembered[1]
    owners = Q(organisation__isnull=True)
    if organisation_id is not None:
        owners |= Q(organisation_id=organisation_id)
    table = (ThresholdTable.objects.filter(owners, state=ThresholdTable.State.PUBLISHED)
             .order_by(F("organisation_id").asc(nulls_last=True))
             .only("id", "version", "revision", "organisation_id").first())
    if table is None:
        raise ValidationFailed(_("No threshold table is published."))
    if len(_current) > 10_000:
        _current.clear()
    _current[organisation_id] = (time.monotonic(), table)
    return table


def current_table_for_unit(unit_id: int | None) -> ThresholdTable:
    """The table that grades incidents of the unit (the one of its organisation)."""
    return current_table(top_id(unit_id) if unit_id else None)


def current_table_for_user(user) -> ThresholdTable:
    """For forms and previews before a unit is chosen: the table of the user's first organisation."""
    organisations = sorted(organisation_ids(user=user)) if user is not None and user.is_authenticated else []
    return current_table(organisations[0] if organisations else None)


def forget_current_table() -> None:
    """Called when a table is published in this process (and between tests)."""
    _current.clear()


def forget_compiled() -> None:
    with _lock:
        _cache.clear()
    forget_current_table()


# --- Input checking ---------------------------------------------------------------------------

def clean_metrics(compiled: CompiledTable, metrics: Mapping[str, Any]) -> dict[str, Decimal]:
    """Refuse unknown keys, non-numbers, negatives and fractions of whole-number metrics."""
    if not isinstance(metrics, Mapping):
        raise ValidationFailed(_("Metrics must be an object of metric keys and numbers."),
                               fields={"metrics": [_("Metrics must be an object of metric keys and numbers.")]})
    errors: dict[str, list[Any]] = {}
    cleaned: dict[str, Decimal] = {}
    for key, raw in metrics.items():
        spec = compiled.metrics.get(key)
        if spec is None:
            errors[key] = [_("Unknown metric.")]
            continue
        if spec.sum_of:
            errors[key] = [_("This figure is computed from its parts; enter them instead.")]
            continue
        if raw is None or raw == "":
            continue
        if isinstance(raw, bool):
            errors[key] = [_("Enter a number.")]
            continue
        try:
            value = Decimal(str(raw).strip())
        except (InvalidOperation, ValueError):
            errors[key] = [_("Enter a number.")]
            continue
        if not value.is_finite():
            errors[key] = [_("Enter a number.")]
        elif value < 0:
            errors[key] = [_("The value cannot be negative.")]
        elif value > spec.maximum:
            errors[key] = [_("At most %(maximum)s.") % {"maximum": f"{spec.maximum:,}"}]
        elif spec.integer and value != value.to_integral_value():
            errors[key] = [_("Enter a whole number.")]
        else:
            cleaned[key] = value
    if errors:
        raise ValidationFailed(_("Some metrics are unknown or invalid."),
                               fields={f"metrics.{key}": messages for key, messages in errors.items()})
    return cleaned


def with_sums(compiled: CompiledTable, values: dict[str, Decimal]) -> dict[str, Decimal]:
    """Add the computed metrics (deaths + missing, …) whose parts were given."""
    for spec in compiled.metrics.values():
        if spec.sum_of:
            parts = [values[key] for key in spec.sum_of if key in values]
            if parts:
                values[spec.key] = sum(parts, Decimal(0))
    return values


def _clean_checked(compiled: CompiledTable, type_codes: Iterable[str], checked: Iterable[str]) -> frozenset[str]:
    if isinstance(checked, (str, bytes)) or not isinstance(checked, Iterable):
        raise ValidationFailed(_("Checked criteria must be a list of checklist keys."),
                               fields={"checked": [_("Checked criteria must be a list of checklist keys.")]})
    checked = frozenset(str(key) for key in checked)
    known = frozenset().union(*(compiled.checks.get(code, frozenset()) for code in type_codes))
    unknown = sorted(checked - known)
    if unknown:
        raise ValidationFailed(_("Unknown checklist items: %(keys)s") % {"keys": ", ".join(unknown)},
                               fields={"checked": [_("Unknown checklist items: %(keys)s") % {"keys": ", ".join(unknown)}]})
    return checked


def _clean_type(compiled: CompiledTable, type_code: Any) -> str:
    if not isinstance(type_code, str) or type_code not in compiled.types:
        raise ValidationFailed(_("Unknown incident type."), fields={"type": [_("Unknown incident type.")]})
    return type_code


# --- Grading ------------------------------------------------------------------------------------

def grade(*, type_code: str, metrics: Mapping[str, Any], checked: Iterable[str] = (),
          secondary_types: Iterable[str] = (), table: ThresholdTable | None = None,
          organisation_id: int | None = None) -> GradingResult:
    """Grade one incident with `table`, or the organisation's current table. Secondary (次生、衍生)
    types are graded too; the most severe grade wins."""
    compiled = compile_table(table or current_table(organisation_id))
    type_code = _clean_type(compiled, type_code)
    codes = [type_code] + [_clean_type(compiled, code) for code in secondary_types if code != type_code]
    values = with_sums(compiled, clean_metrics(compiled, metrics))
    ticks = _clean_checked(compiled, codes, checked)
    reached: list[CompiledCriterion] = []
    floors: list[CompiledCriterion] = []
    for code in codes:
        for criterion in compiled.types[code]:
            if criterion.floor:
                floors.append(criterion)
            elif criterion.reached(values, ticks):
                reached.append(criterion)
    if not reached and floors:
        reached = [min(floors, key=lambda c: GRADE_RANK[c.grade])]
    if not reached:
        reasons = [{"criterion": None, "grade": None, "source": "", "wording": UNDETERMINED_WORDING,
                    "wording_en": UNDETERMINED_WORDING_EN, "check": None, "floor": False, "conditions": []}]
        return GradingResult(type=type_code, grade=None, reasons=reasons, table_version=compiled.version,
                             table_id=compiled.id, type_id=compiled.type_ids[type_code])
    reached.sort(key=lambda c: GRADE_RANK[c.grade])
    return GradingResult(type=type_code, grade=reached[0].grade, reasons=[c.reason(values) for c in reached],
                         table_version=compiled.version,
                             table_id=compiled.id, type_id=compiled.type_ids[type_code])
