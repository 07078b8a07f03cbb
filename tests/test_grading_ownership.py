"""Grading tables belong to an organisation (issue 20, item 5): one organisation's administrators
cannot draft, run or publish the table that grades another's incidents; each organisation's
incidents are graded by its own published table; every audit entry names its unit."""
import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.db.migrations.executor import MigrationExecutor

from emergency.audit.roles import grant_application_role, owner_session
from django.urls import reverse
from django.utils import timezone

from emergency.audit.models import AuditEntry
from emergency.audit.services import audit_record
from emergency.errors import NotFound
from emergency.org.models import OrgUnit
from emergency.org.roles import Role
from incidents import services as incident_services
from incidents.grading import engine, services
from incidents.grading.models import Criterion, ThresholdTable

from .factories import UnitFactory, user_with_role

pytestmark = pytest.mark.django_db


def _stricter_draft(admin, organisation=None):
    """A draft in which relocating 10,000 people makes a forest fire grade I (the shipped table has
    no such rule), with a passing run of the saved cases."""
    draft = services.table_draft_create(actor=admin, organisation=organisation)
    services.criterion_save(actor=admin, table=draft, type_code="forest_fire", grade="I", wording="测试：转移1万人以上",
                            conditions=[{"metric": "relocated", "op": "gte", "value": 10000}])
    assert services.table_run_cases(actor=admin, table=draft).passed
    return draft


def test_one_organisations_admin_cannot_draft_run_or_publish_the_table_that_grades_the_other(
        org, make_user, api_as):
    theirs = services.table_draft_create(actor=make_user(Role.PLAN_ADMIN, org.b))
    admin = make_user(Role.SYSTEM_ADMIN, org.a)
    criterion = theirs.criteria.first()
    for attempt in (lambda: services.table_run_cases(actor=admin, table=theirs),
                    lambda: services.table_publish(actor=admin, table=theirs),
                    lambda: services.criterion_remove(actor=admin, criterion=criterion),
                    lambda: services.criterion_save(actor=admin, table=theirs, type_code="forest_fire", grade="I",
                                                    wording="x", floor=True)):
        with pytest.raises(NotFound):
            attempt()
    client = api_as(admin)
    for name in ("api:threshold-table-detail", "api:threshold-table-run-cases", "api:threshold-table-publish"):
        method = client.get if name.endswith("detail") else client.post
        assert method(reverse(name, args=[theirs.pk])).status_code == 404, name
    foreign = client.post(reverse("api:threshold-table-list"), {"organisation": org.b.pk}, format="json")
    assert foreign.status_code == 400 and foreign.json()["error"]["fields"] == {"organisation": ["未找到。"]}
    assert ThresholdTable.objects.filter(organisation=org.b).count() == 1
    assert not theirs.runs.exists() and theirs.criteria.count() == Criterion.objects.filter(
        table=engine.current_table()).count()


def test_each_organisations_incidents_are_graded_by_its_own_published_table(org, make_user):
    draft = _stricter_draft(make_user(Role.PLAN_ADMIN, org.a))
    services.table_publish(actor=make_user(Role.PLAN_ADMIN, org.a), table=draft)
    now = timezone.now()
    fire = {"type_code": "forest_fire", "title": "山火", "address": "林场", "occurred_at": now, "received_at": now,
            "body": "首报", "metrics": {"area_ha": 10, "relocated": 12000}}
    ours = incident_services.incident_log(actor=make_user(Role.DUTY_OFFICER, org.a1), unit=org.a1a, **fire)
    theirs = incident_services.incident_log(actor=make_user(Role.DUTY_OFFICER, org.b), unit=org.b, **fire)
    assert (ours.grade, ours.grade_table_id) == ("I", draft.pk)
    assert theirs.grade != "I" and theirs.grade_table_id == engine.current_table().pk != draft.pk


def test_every_grading_change_is_in_its_organisations_audit_view(org, make_user, api_as):
    admin = make_user(Role.SYSTEM_ADMIN, org.a)
    draft = _stricter_draft(admin)
    services.table_publish(actor=admin, table=draft)
    assert not AuditEntry.objects.filter(unit__isnull=True).exists()
    ours = {e["action"] for e in api_as(admin).get(reverse("api:audit-entry-list"), {"page_size": 100}).json()["results"]}
    assert {"grading.table.draft", "grading.criterion.save", "grading.table.run_cases",
            "grading.table.publish"} <= ours
    theirs = api_as(make_user(Role.SYSTEM_ADMIN, org.b)).get(reverse("api:audit-entry-list")).json()["results"]
    assert not [e for e in theirs if e["action"].startswith("grading.")]


def test_an_audit_entry_without_a_unit_is_refused(org):
    with transaction.atomic(), pytest.raises(ValueError):
        audit_record(actor=None, unit_id=None, action="unit.touch", target=org.a)
    assert not AuditEntry.objects.exists()


def test_the_demo_grades_each_organisation_by_its_own_table_of_its_plans_standard():
    """Customs 1.3 "按照国家突发事件分级标准执行": 西安海关 by the national standards; 贵港市 by its copy of the
    shipped table (appendix 7.3)."""
    call_command("load_demo")
    tops = {top.code: top for top in OrgUnit.objects.filter(parent__isnull=True, code__in=["xa", "gg"])}
    owned = {t.organisation.code: t for t in ThresholdTable.objects.filter(organisation__isnull=False, state="published")}
    assert (owned["gg"].version, owned["gg"].standard) == (2, "appendix")
    assert (owned["xa"].version, owned["xa"].standard) == (1, "national")
    assert len(tops) == 2 and all(engine.current_table(top.pk).organisation_id == top.pk for top in tops.values())


@pytest.mark.django_db(transaction=True)
def test_the_migration_gives_a_draft_to_its_authors_organisation_and_leaves_shared_tables_shared(grading_tables):
    top = UnitFactory(code="m-top")
    author = user_with_role(Role.PLAN_ADMIN, top)
    with owner_session():  # migrations run as the tables' owner, as `manage.py migrate` does
        executor = MigrationExecutor(connection)
        executor.migrate([("grading", "0002_default_tables")])
        old = MigrationExecutor(connection).loader.project_state([("grading", "0002_default_tables")]).apps
        Table = old.get_model("grading", "ThresholdTable")
        Table.objects.create(version=2, state="draft", created_by_id=author.pk)
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
        grant_application_role()
    assert ThresholdTable.objects.get(version=2, state="draft").organisation_id == top.pk
    assert ThresholdTable.objects.get(version=1).organisation_id is None
    assert ThresholdTable.objects.get(version=2, state="published").organisation_id is None  # 0004 ships v2
