"""Threshold tables are versioned: draft, edit, run the saved cases, publish; a published table never changes."""
import pytest
from django.urls import reverse

from emergency.audit.models import AuditEntry
from emergency.errors import Conflict, NotPermitted
from emergency.org.roles import Role
from incidents.grading import engine, services
from incidents.grading.models import Criterion, ThresholdTable

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(org, make_user):
    return make_user(Role.SYSTEM_ADMIN, org.a)


def _forest_fire_grade_one(table):
    return Criterion.objects.get(table=table, incident_type__code="forest_fire", grade="I",
                                 conditions__metric__key="area_ha")


def test_a_draft_copies_the_published_table_and_leaves_it_untouched(admin):
    published = engine.current_table()
    draft = services.table_draft_create(actor=admin, note="调整森林火灾标准")
    assert draft.version == published.version + 1 and draft.state == ThresholdTable.State.DRAFT
    assert draft.criteria.count() == published.criteria.count()
    criterion = _forest_fire_grade_one(draft)
    services.criterion_save(actor=admin, table=draft, criterion=criterion, type_code="forest_fire", grade="I",
                            wording=criterion.wording, conditions=[{"metric": "area_ha", "op": "gte", "value": 800}])
    assert engine.grade(type_code="forest_fire", metrics={"area_ha": 900}).grade != "I"  # published still rules
    assert engine.grade(type_code="forest_fire", metrics={"area_ha": 900}, table=draft).grade == "I"


def test_publishing_needs_a_passing_run_of_the_current_revision(admin):
    draft = services.table_draft_create(actor=admin)
    with pytest.raises(Conflict):
        services.table_publish(actor=admin, table=draft)
    criterion = _forest_fire_grade_one(draft)
    services.criterion_save(actor=admin, table=draft, criterion=criterion, type_code="forest_fire", grade="I",
                            wording=criterion.wording, conditions=[{"metric": "area_ha", "op": "gte", "value": 800}])
    run = services.table_run_cases(actor=admin, table=draft)
    assert not run.passed and any(f["expected"] != "I" and f["got"] == "I" for f in run.failures)
    with pytest.raises(Conflict):
        services.table_publish(actor=admin, table=draft)
    criterion = _forest_fire_grade_one(draft)
    services.criterion_save(actor=admin, table=draft, criterion=criterion, type_code="forest_fire", grade="I",
                            wording=criterion.wording, conditions=[{"metric": "area_ha", "op": "gte", "value": 1000}])
    with pytest.raises(Conflict):  # the passing run must be of this revision
        services.table_publish(actor=admin, table=draft)
    assert services.table_run_cases(actor=admin, table=draft).passed
    shipped = engine.current_table()
    services.table_publish(actor=admin, table=draft)
    shipped.refresh_from_db()
    assert shipped.state == ThresholdTable.State.PUBLISHED  # it goes on grading the organisations without their own
    assert engine.current_table(draft.organisation_id).pk == draft.pk
    assert engine.grade(type_code="forest_fire", metrics={"area_ha": 1000},
                        organisation_id=draft.organisation_id).table_version == draft.version
    assert AuditEntry.objects.filter(action="grading.table.publish", unit_id=draft.organisation_id).count() == 1


def test_a_published_table_never_changes(admin, org):
    shipped = engine.current_table()
    with pytest.raises(NotPermitted):  # the shipped table is nobody's to change
        services.criterion_remove(actor=admin, criterion=shipped.criteria.first())
    table = services.table_adopt_shipped(organisation=org.a)
    criterion = table.criteria.first()
    with pytest.raises(Conflict):
        services.criterion_save(actor=admin, table=table, criterion=criterion, type_code="forest_fire", grade="I",
                                wording="x", conditions=[{"metric": "area_ha", "op": "gte", "value": 1}])
    with pytest.raises(Conflict):
        services.criterion_remove(actor=admin, criterion=criterion)


def test_only_top_level_administrators_maintain_tables(org, make_user):
    for user in (make_user(Role.DUTY_OFFICER, org.a), make_user(Role.SYSTEM_ADMIN, org.a1)):
        with pytest.raises(NotPermitted):
            services.table_draft_create(actor=user)
    assert services.table_draft_create(actor=make_user(Role.PLAN_ADMIN, org.b)).state == "draft"


def test_tables_through_the_api(admin, api_as):
    client = api_as(admin)
    draft = client.post(reverse("api:threshold-table-list"), {"note": "试行修订"}, format="json").json()
    criteria_url = reverse("api:threshold-table-criteria", args=[draft["id"]])
    add_url = reverse("api:threshold-table-add-criterion", args=[draft["id"]])
    added = client.post(add_url, {"type": "marine", "grade": "II", "wording": "测试用：海上遇险人员100人以上",
                                       "conditions": [{"metric": "endangered", "op": "gte", "value": 100}]},
                        format="json")
    assert added.status_code == 201, added.json()
    bad = client.post(add_url, {"type": "marine", "grade": "V", "wording": "x"}, format="json")
    assert bad.status_code == 400 and set(bad.json()["error"]["fields"]) >= {"grade"}
    bare = client.post(add_url, {"type": "marine", "grade": "II", "wording": "x"}, format="json")
    assert bare.status_code == 400 and set(bare.json()["error"]["fields"]) >= {"conditions"}
    run = client.post(reverse("api:threshold-table-run-cases", args=[draft["id"]])).json()
    assert run["total"] > 0
    officer_client = api_as(ThresholdTable.objects.get(pk=draft["id"]).created_by)
    assert officer_client.get(criteria_url).status_code == 200
