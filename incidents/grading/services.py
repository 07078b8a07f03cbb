"""Maintaining threshold tables: draft from the current table, edit criteria, run the saved
cases, publish. A published table never changes; every step is audited."""
from __future__ import annotations

from decimal import Decimal
from typing import Any, Iterable

from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from emergency.audit.services import audit_record, snapshot
from emergency.errors import Conflict, NotFound, NotPermitted, ValidationFailed
from emergency.org.models import OrgUnit, User
from emergency.org.selectors import organisation_ids

from . import engine, loader
from .models import CaseRun, Condition, Criterion, Grade, GradingCase, IncidentType, Metric, ThresholdTable
from .rules import grading_organisations

CRITERION_FIELDS = ("table", "incident_type", "grade", "source", "origin", "wording", "wording_en", "check_key",
                    "floor")


def require_admin(actor: User, table: ThresholdTable | None = None) -> None:
    """Refuse unless the actor maintains the grading of the table's organisation. The table shipped
    with the platform belongs to no organisation and is changed by nobody; a table of another
    organisation does not exist for the actor."""
    if table is not None and table.organisation_id is not None and not actor.is_superuser and \
            table.organisation_id not in organisation_ids(user=actor):
        raise NotFound(_("Not found."))
    if table is not None and table.organisation_id is None:
        raise NotPermitted(_("The table shipped with the platform never changes; draft your organisation's own."))
    if table is not None and not actor.has_perm("grading.change_thresholdtable", table):
        # issue 19, item 13: each organisation's own table; another's administrator is refused by name
        owner = OrgUnit.objects.filter(pk=table.organisation_id).values_list("name", flat=True).first()
        raise NotPermitted(_("This table grades the incidents of %(organisation)s: only the plan or system "
                             "administrators of %(organisation)s may change or publish it.") % {"organisation": owner})
    if not actor.has_perm("grading.change_thresholdtable", table):
        raise NotPermitted(_("You do not have permission to perform this action."))


def _organisation(actor: User, organisation: OrgUnit | None) -> OrgUnit:
    """The organisation a new draft or case is for: the one given, or the actor's only one."""
    mine = grading_organisations(actor)
    if organisation is None:
        if len(mine) != 1:
            raise ValidationFailed(_("Some fields are missing or invalid."),
                                   fields={"organisation": [_("Choose the organisation.")]})
        return OrgUnit.objects.get(pk=next(iter(mine)))
    if organisation.pk not in mine:
        raise NotPermitted(_("You do not have permission to perform this action."))
    return organisation


def _draft(table: ThresholdTable) -> ThresholdTable:
    table = ThresholdTable.objects.select_for_update().get(pk=table.pk)
    if table.state != ThresholdTable.State.DRAFT:
        raise Conflict(_("A published table never changes; start a new draft."))
    return table


def _touch(table: ThresholdTable) -> None:
    table.revision += 1
    table.save(update_fields=["revision"])


@transaction.atomic
def table_draft_create(*, actor: User, organisation: OrgUnit | None = None, note: str = "") -> ThresholdTable:
    """A new draft of the organisation's table, holding a copy of the criteria that grade its
    incidents now (its own published table, or the shipped one)."""
    require_admin(actor)
    organisation = _organisation(actor, organisation)
    OrgUnit.objects.select_for_update().filter(pk=organisation.pk).first()  # one new version at a time
    base = ThresholdTable.objects.get(pk=engine.current_table(organisation.pk).pk)
    version = _next_version(organisation, base.standard)
    draft = ThresholdTable.objects.create(organisation=organisation, version=version, note=note, based_on_id=base.pk,
                                          created_by=actor, standard=base.standard)
    _copy_criteria(base, draft)
    audit_record(actor=actor, unit_id=organisation.pk, action="grading.table.draft", target=draft,
                 after={"version": version, "based_on": base.version, "organisation": organisation.pk})
    return draft


@transaction.atomic
def table_adopt_shipped(*, organisation: OrgUnit, actor: User | None = None) -> ThresholdTable | None:
    """Give an organisation without tables of its own a published copy of the shipped table (same
    version and criteria): from then on only its own administrators change what grades it."""
    if ThresholdTable.objects.filter(organisation=organisation).exists():
        return None
    shipped = engine.current_table(None)
    shipped = ThresholdTable.objects.get(pk=shipped.pk)
    table = ThresholdTable.objects.create(organisation=organisation, version=shipped.version, note=shipped.note,
                                          based_on=shipped, state=ThresholdTable.State.PUBLISHED,
                                          published_at=timezone.now(), published_by=actor, created_by=actor)
    _copy_criteria(shipped, table)
    transaction.on_commit(engine.forget_current_table)
    engine.forget_current_table()
    audit_record(actor=actor, unit_id=organisation.pk, action="grading.table.adopt", target=table,
                 after={"version": table.version, "based_on": shipped.pk, "organisation": organisation.pk})
    return table


def _next_version(organisation: OrgUnit, standard: str) -> int:
    """Versions count on from the organisation's own tables, and from the shipped ones for a table
    of the shipped standard (the appendix)."""
    lineage = Q(organisation=organisation)
    if standard == ThresholdTable.Standard.APPENDIX:
        lineage |= Q(organisation__isnull=True)
    return (ThresholdTable.objects.filter(lineage).aggregate(v=Max("version"))["v"] or 0) + 1


@transaction.atomic
def table_seed(*, organisation: OrgUnit, standard: str, actor: User | None = None) -> ThresholdTable | None:
    """Give the organisation a published table of the standard its plan grades by (issue 19, item 13):
    the city's appendix 7.3 (a copy of the shipped table) or the national standards (customs 1.3
    "具体分级标准按照国家突发事件分级标准执行"). None when its published table is already of that standard;
    otherwise the one it had retires, keeping the incidents it graded."""
    if standard not in ThresholdTable.Standard.values:
        raise ValidationFailed(_("Some fields are missing or invalid."), fields={"standard": [_("Unknown standard.")]})
    OrgUnit.objects.select_for_update().filter(pk=organisation.pk).first()
    current = ThresholdTable.objects.filter(organisation=organisation, state=ThresholdTable.State.PUBLISHED).first()
    if current is not None and current.standard == standard:
        return None
    if standard == ThresholdTable.Standard.APPENDIX and current is None:
        return table_adopt_shipped(organisation=organisation, actor=actor)
    if current is not None:
        current.state = ThresholdTable.State.RETIRED
        current.save(update_fields=["state"])
    version = _next_version(organisation, standard)
    if standard == ThresholdTable.Standard.NATIONAL:
        table = loader.load_national(organisation=organisation, version=version, actor=actor)
    else:
        shipped = ThresholdTable.objects.get(pk=engine.current_table(None).pk)
        table = ThresholdTable.objects.create(organisation=organisation, version=version, note=shipped.note,
                                              based_on=shipped, state=ThresholdTable.State.PUBLISHED,
                                              created_by=actor, published_by=actor)
        _copy_criteria(shipped, table)
    table.published_at = timezone.now()
    table.save(update_fields=["published_at"])
    transaction.on_commit(engine.forget_current_table)
    engine.forget_current_table()
    audit_record(actor=actor, unit_id=organisation.pk, action="grading.table.seed", target=table,
                 after={"version": table.version, "standard": standard, "organisation": organisation.pk,
                        "retired": current.version if current else None})
    return table


def _copy_criteria(source: ThresholdTable, target: ThresholdTable) -> None:
    for criterion in Criterion.objects.filter(table_id=source.pk).prefetch_related("conditions"):
        conditions = list(criterion.conditions.all())
        criterion.pk, criterion.table = None, target
        criterion.save()
        Condition.objects.bulk_create(
            Condition(criterion=criterion, metric_id=c.metric_id, op=c.op, value=c.value) for c in conditions)


def _clean_conditions(conditions: Iterable[dict[str, Any]]) -> list[tuple[Metric, str, Decimal]]:
    metrics = {m.key: m for m in Metric.objects.all()}
    cleaned = []
    for item in conditions:
        metric = metrics.get(item.get("metric"))
        if metric is None:
            raise ValidationFailed(_("Unknown metric."), fields={"conditions": [_("Unknown metric.")]})
        if item.get("op") not in Condition.Op.values:
            raise ValidationFailed(_("Unknown comparison."), fields={"conditions": [_("Unknown comparison.")]})
        try:
            value = Decimal(str(item.get("value")))
        except Exception:  # noqa: BLE001 - any unparsable value is the user's input error
            raise ValidationFailed(_("Enter a number."), fields={"conditions": [_("Enter a number.")]}) from None
        if not value.is_finite() or value < 0:
            raise ValidationFailed(_("Enter a number."), fields={"conditions": [_("Enter a number.")]})
        cleaned.append((metric, item["op"], value))
    return cleaned


@transaction.atomic
def criterion_save(*, actor: User, table: ThresholdTable, type_code: str, grade: str, wording: str,
                   conditions: Iterable[dict[str, Any]] = (), check_key: str = "", floor: bool = False,
                   source: str = "", wording_en: str = "", criterion: Criterion | None = None,
                   origin: str = Criterion.Origin.ORGANISATION) -> Criterion:
    """Add a criterion to a draft, or replace one of its criteria (`criterion`). `origin` says whose
    figure it is; a table of the national standards takes no row of the city's appendix."""
    require_admin(actor, table)
    table = _draft(table)
    incident_type = IncidentType.objects.filter(code=type_code).first()
    errors: dict[str, list[Any]] = {}
    if incident_type is None:
        errors["type"] = [_("Unknown incident type.")]
    if grade not in Grade.values:
        errors["grade"] = [_("Unknown grade.")]
    if not wording.strip():
        errors["wording"] = [_("This field is required.")]
    if origin not in Criterion.Origin.values:
        errors["origin"] = [_("Unknown origin.")]
    elif origin == Criterion.Origin.APPENDIX and table.standard == ThresholdTable.Standard.NATIONAL:
        errors["origin"] = [_("This table grades by the national standards: a row is a national standard's or "
                              "the organisation's own, never the city plan's appendix 7.3.")]
    cleaned = _clean_conditions(conditions)
    if not floor and not cleaned and not check_key:
        errors["conditions"] = [_("A criterion needs a condition, a checklist key, or to be the floor grade.")]
    if errors:
        raise ValidationFailed(_("Some fields are missing or invalid."), fields=errors)
    before = None
    if criterion is not None:
        criterion = Criterion.objects.get(pk=criterion.pk, table=table)
        before = snapshot(criterion, CRITERION_FIELDS)
        criterion.conditions.all().delete()
    else:
        criterion = Criterion(table=table, position=table.criteria.count())
    for name, value in {"incident_type": incident_type, "grade": grade, "wording": wording.strip(),
                        "wording_en": wording_en.strip(), "check_key": check_key, "floor": floor,
                        "source": source, "origin": origin}.items():
        setattr(criterion, name, value)
    criterion.save()
    Condition.objects.bulk_create(Condition(criterion=criterion, metric=m, op=op, value=v) for m, op, v in cleaned)
    _touch(table)
    audit_record(actor=actor, unit_id=table.organisation_id, action="grading.criterion.save", target=criterion, before=before,
                 after={**snapshot(criterion, CRITERION_FIELDS),
                        "conditions": [[m.key, op, str(v)] for m, op, v in cleaned]})
    return criterion


@transaction.atomic
def criterion_remove(*, actor: User, criterion: Criterion) -> None:
    require_admin(actor, criterion.table)
    table = _draft(criterion.table)
    audit_record(actor=actor, unit_id=table.organisation_id, action="grading.criterion.remove", target=criterion,
                 before=snapshot(criterion, CRITERION_FIELDS))
    criterion.delete()
    _touch(table)


@transaction.atomic
def case_add(*, actor: User, name: str, type_code: str, metrics: dict[str, Any], checked: list[str],
             expected: str | None, organisation: OrgUnit | None = None) -> GradingCase:
    """A saved case of the organisation: its drafts must grade it as expected before publishing."""
    require_admin(actor)
    organisation = _organisation(actor, organisation)
    incident_type = IncidentType.objects.filter(code=type_code).first()
    if incident_type is None:
        raise ValidationFailed(_("Unknown incident type."), fields={"type": [_("Unknown incident type.")]})
    if expected not in (None, "", *Grade.values):
        raise ValidationFailed(_("Unknown grade."), fields={"expected": [_("Unknown grade.")]})
    compiled = engine.compile_table(engine.current_table(organisation.pk))
    engine.clean_metrics(compiled, metrics)
    case = GradingCase.objects.create(organisation=organisation, name=name, incident_type=incident_type,
                                      metrics=metrics, checked=checked, expected=expected or "", created_by=actor)
    audit_record(actor=actor, unit_id=organisation.pk, action="grading.case.add", target=case,
                 after=snapshot(case, ("organisation", "name", "incident_type", "metrics", "checked", "expected")))
    return case


def run_cases(table: ThresholdTable) -> tuple[int, list[dict[str, Any]]]:
    failures = []
    owners = Q(organisation_id=table.organisation_id)
    if table.standard == ThresholdTable.Standard.APPENDIX:  # the shipped cases are the appendix's
        owners |= Q(organisation__isnull=True)
    cases = list(GradingCase.objects.filter(owners).select_related("incident_type"))
    for case in cases:
        try:
            result = engine.grade(type_code=case.incident_type.code, metrics=case.metrics, checked=case.checked,
                                  table=table)
            got = result.grade
        except ValidationFailed as exc:
            got = f"error: {exc.message}"
        if (got or "") != case.expected:
            failures.append({"case": case.pk, "name": case.name, "expected": case.expected or None, "got": got})
    return len(cases), failures


@transaction.atomic
def table_run_cases(*, actor: User, table: ThresholdTable) -> CaseRun:
    require_admin(actor, table)
    table = ThresholdTable.objects.select_for_update().get(pk=table.pk)
    total, failures = run_cases(table)
    run = CaseRun.objects.create(table=table, table_revision=table.revision, ran_by=actor, total=total,
                                 failures=failures)
    audit_record(actor=actor, unit_id=table.organisation_id, action="grading.table.run_cases", target=table,
                 after={"revision": table.revision, "total": total, "failed": len(failures)})
    return run


@transaction.atomic
def table_publish(*, actor: User, table: ThresholdTable) -> ThresholdTable:
    """Publish a draft whose current revision passed every saved case; the organisation's previous
    table retires (the shipped table goes on grading the organisations without their own)."""
    require_admin(actor, table)
    table = _draft(table)
    run = table.runs.filter(table_revision=table.revision).first()
    if run is None or not run.passed:
        raise Conflict(_("Run the saved cases against this revision of the draft, and pass them all, before publishing."))
    previous = ThresholdTable.objects.select_for_update().filter(
        state=ThresholdTable.State.PUBLISHED, organisation_id=table.organisation_id).first()
    if previous is not None:
        previous.state = ThresholdTable.State.RETIRED
        previous.save(update_fields=["state"])
    table.state = ThresholdTable.State.PUBLISHED
    table.published_at, table.published_by = timezone.now(), actor
    table.save(update_fields=["state", "published_at", "published_by"])
    transaction.on_commit(engine.forget_current_table)
    engine.forget_current_table()
    audit_record(actor=actor, unit_id=table.organisation_id, action="grading.table.publish", target=table,
                 after={"version": table.version, "retired": previous.version if previous else None,
                        "cases": run.total})
    return table
