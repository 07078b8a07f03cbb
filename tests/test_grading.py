"""The grading engine grades by rows of appendix 7.3, explains itself, and refuses bad input."""
import json
import subprocess
import sys

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from emergency.errors import ValidationFailed
from emergency.org.roles import Role
from incidents.grading import engine
from incidents.grading.models import Condition, Criterion, GradingCase, IncidentType, Metric, ThresholdTable
from incidents.grading.services import run_cases

from .processes import process_env, current_database_url

pytestmark = pytest.mark.django_db

REQUIRED_TYPES = {
    "natural": {"flood_drought", "meteorological", "earthquake", "geological", "marine", "biological",
                "forest_fire", "grassland_fire"},
    "accident": {"work_safety", "environmental", "transport", "facility", "fire", "data_security",
                 "nuclear_radiation"},
    "public_health": {"public_health", "animal_epidemic", "food_safety", "plant_epidemic", "drug_safety"},
    "social_security": {"mass_incident", "financial", "foreign_related", "market", "terrorism", "criminal",
                        "port_disruption", "cyber", "oil_gas_supply", "ethnic_religious", "public_opinion",
                        "economic_security"},
}
CONTRACT_METRICS = {"deaths", "missing", "serious_injuries", "injuries", "poisoned", "economic_loss_wan",
                    "relocated", "area_ha", "magnitude", "participants", "endangered"}


def test_the_taxonomy_ships_with_the_migrations():
    for category, codes in REQUIRED_TYPES.items():
        assert codes <= set(IncidentType.objects.filter(category__code=category).values_list("code", flat=True))
    assert CONTRACT_METRICS <= set(Metric.objects.values_list("key", flat=True))
    table = ThresholdTable.objects.get(state=ThresholdTable.State.PUBLISHED)
    assert table.version == 2 and table.criteria.count() > 100
    assert ThresholdTable.objects.get(version=1, organisation__isnull=True).state == ThresholdTable.State.RETIRED


def test_every_saved_case_grades_as_the_plan_says():
    """The saved cases put each encoded threshold on both sides of its boundary."""
    table = engine.current_table()
    total, failures = run_cases(table)
    assert total > 200
    assert failures == []


def test_every_numeric_criterion_is_exercised_on_both_sides_of_its_boundary():
    compiled = engine.compile_table(engine.current_table())
    cases = [(c.incident_type_id, engine.with_sums(compiled, engine.clean_metrics(compiled, c.metrics)))
             for c in GradingCase.objects.all()]
    for condition in Condition.objects.filter(criterion__table__state="published").select_related(
            "metric", "criterion__incident_type"):
        values = {float(metrics[condition.metric.key]) for type_id, metrics in cases
                  if type_id == condition.criterion.incident_type_id and condition.metric.key in metrics}
        threshold = float(condition.value)
        assert threshold in values, (condition.criterion.wording, condition.metric.key, threshold)
        assert any(v != threshold and abs(v - threshold) <= 1 for v in values), (
            condition.criterion.wording, condition.metric.key, threshold)


def test_forest_fire_of_1000_ha_is_grade_one_with_the_plan_wording():
    result = engine.grade(type_code="forest_fire", metrics={"area_ha": 1000, "deaths": 3})
    assert result.grade == "I"
    top = result.reasons[0]
    assert top["grade"] == "I" and "1000" in top["wording"]
    assert top["conditions"][0] == {"metric": "area_ha", "op": "gte", "threshold": 1000, "value": 1000}
    assert engine.grade(type_code="forest_fire", metrics={"area_ha": 999}).grade != "I"


@pytest.mark.parametrize("deaths, grade", [(0, "IV"), (2, "IV"), (3, "III"), (9, "III")])
def test_work_safety_grades_three_and_four_follow_the_national_rules(deaths, grade):
    result = engine.grade(type_code="work_safety", metrics={"deaths": deaths})
    assert result.grade == grade
    assert result.reasons[0]["grade"] == grade


@pytest.mark.parametrize("metrics, grade", [
    ({"serious_injuries": 9}, "IV"), ({"serious_injuries": 10}, "III"), ({"poisoned": 10}, "III"),
    ({"economic_loss_wan": 999}, "IV"), ({"economic_loss_wan": 1000}, "III"),
])
def test_work_safety_injuries_poisoning_and_loss(metrics, grade):
    assert engine.grade(type_code="work_safety", metrics=metrics).grade == grade


def test_the_most_severe_grade_wins_and_every_reached_criterion_is_a_reason():
    one = engine.grade(type_code="work_safety", metrics={"deaths": 3, "economic_loss_wan": 1000})
    assert [r["grade"] for r in one.reasons] == ["III", "III"]
    severe = engine.grade(type_code="work_safety", metrics={"deaths": 100})
    assert severe.grade in ("I", "II")
    assert [r["grade"] for r in severe.reasons] == sorted((r["grade"] for r in severe.reasons),
                                                          key=["I", "II", "III", "IV"].index)


def test_below_the_appendix_with_no_rule_for_three_or_four_the_grade_is_left_to_the_lead_department():
    result = engine.grade(type_code="forest_fire", metrics={"area_ha": 1})
    assert result.grade is None
    assert result.reasons[0]["grade"] is None and "牵头部门" in result.reasons[0]["wording"]


def test_a_ticked_checklist_item_reaches_its_grade():
    criterion = Criterion.objects.filter(table__state="published", incident_type__code="flood_drought",
                                         grade="I").exclude(check_key="").first()
    assert engine.grade(type_code="flood_drought", metrics={}).grade is None
    result = engine.grade(type_code="flood_drought", metrics={}, checked=[criterion.check_key])
    assert result.grade == "I" and result.reasons[0]["check"] == criterion.check_key


def test_secondary_types_are_graded_too():
    alone = engine.grade(type_code="forest_fire", metrics={"deaths": 5})
    with_secondary = engine.grade(type_code="forest_fire", metrics={"deaths": 5}, secondary_types=["work_safety"])
    assert alone.grade is None and with_secondary.grade == "III"


@pytest.mark.parametrize("kwargs, field", [
    ({"type_code": "volcano", "metrics": {}}, "type"),
    ({"type_code": "forest_fire", "metrics": {"smoke": 1}}, "metrics.smoke"),
    ({"type_code": "forest_fire", "metrics": {"area_ha": -1}}, "metrics.area_ha"),
    ({"type_code": "forest_fire", "metrics": {"area_ha": "lots"}}, "metrics.area_ha"),
    ({"type_code": "forest_fire", "metrics": {"deaths": 2.5}}, "metrics.deaths"),
    ({"type_code": "forest_fire", "metrics": {"deaths": True}}, "metrics.deaths"),
    ({"type_code": "forest_fire", "metrics": {"area_ha": "NaN"}}, "metrics.area_ha"),
    ({"type_code": "forest_fire", "metrics": {}, "checked": ["not_a_key"]}, "checked"),
])
def test_bad_input_is_refused_with_the_field_named(kwargs, field):
    with pytest.raises(ValidationFailed) as error:
        engine.grade(**kwargs)
    assert field in error.value.fields


# --- The command line and API contracts -----------------------------------------------------

def test_grade_command_prints_one_json_object(capsys):
    call_command("grade", "--type", "forest_fire", "--metric", "area_ha=1000", "--metric", "deaths=3")
    result = json.loads(capsys.readouterr().out)
    assert set(result) == {"type", "grade", "reasons"}
    assert result["type"] == "forest_fire" and result["grade"] == "I"


def test_grade_command_reads_jsonl_in_order(tmp_path, capsys):
    lines = [{"type": "work_safety", "metrics": {"deaths": n}} for n in (0, 3, 2, 9)]
    path = tmp_path / "cases.jsonl"
    path.write_text("\n".join(json.dumps(line) for line in lines), encoding="utf-8")
    call_command("grade", "--jsonl", str(path))
    out = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [o["grade"] for o in out] == ["IV", "III", "IV", "III"]


@pytest.mark.parametrize("args", [
    ["--type", "volcano"], ["--type", "forest_fire", "--metric", "area_ha=-5"],
    ["--type", "forest_fire", "--metric", "area_ha=many"], ["--type", "forest_fire", "--metric", "heat=1"],
])
def test_grade_command_refuses_bad_input_with_exit_code_two(args):
    with pytest.raises(CommandError) as error:
        call_command("grade", *args)
    assert error.value.returncode == 2


@pytest.mark.django_db(transaction=True)
def test_grade_command_in_a_real_process_on_the_migrated_database(grading_tables, tmp_path):
    env = process_env(DATABASE_URL=current_database_url())
    ok = subprocess.run([sys.executable, "manage.py", "grade", "--type", "forest_fire", "--metric", "area_ha=1000"],
                        capture_output=True, text=True, env=env, timeout=60)
    assert ok.returncode == 0, ok.stderr
    assert json.loads(ok.stdout)["grade"] == "I"
    path = tmp_path / "bad.jsonl"
    path.write_text('{"type": "forest_fire", "metrics": {"area_ha": 1000}}\n{"type": "volcano", "metrics": {}}\n')
    bad = subprocess.run([sys.executable, "manage.py", "grade", "--jsonl", str(path)],
                         capture_output=True, text=True, env=env, timeout=60)
    assert bad.returncode == 2
    first, second = (json.loads(line) for line in bad.stdout.splitlines())
    assert first["grade"] == "I" and "error" in second
    assert "未知的突发事件类型" in bad.stderr and "Unknown incident type" in bad.stderr


def test_preview_api_speaks_the_same_shape(org, make_user, api_as):
    client = api_as(make_user(Role.DUTY_OFFICER, org.a1))
    url = reverse("api:grading-preview")
    response = client.post(url, {"type": "forest_fire", "metrics": {"area_ha": 1000, "deaths": 3}}, format="json")
    assert response.status_code == 200
    assert set(response.json()) == {"type", "grade", "reasons"} and response.json()["grade"] == "I"
    bad = client.post(url, {"type": "forest_fire", "metrics": {"area_ha": -1}}, format="json")
    assert bad.status_code == 400
    assert bad.json()["error"]["fields"]["metrics.area_ha"] == ["数值不能为负数。"]
    unknown = client.post(url, {"type": "volcano", "metrics": {}}, format="json")
    assert unknown.status_code == 400 and "type" in unknown.json()["error"]["fields"]


def test_preview_needs_a_signed_in_user(client):
    response = client.post(reverse("api:grading-preview"), {"type": "forest_fire"}, content_type="application/json")
    assert response.status_code == 401 and response["WWW-Authenticate"] == "Token"
