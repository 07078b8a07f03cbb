"""Appendix 7.3 read right (issue 19, items 11 and 12): the shipped table v2 grades every type the
appendix has rows for, as the appendix says; v1 and the tables organisations published from it go on
grading as they did. City plan = 贵港市突发事件总体应急预案 (appendix 7.3); customs plan = 西安海关突发事件总体应急预案."""
import pytest

from incidents.grading import engine, services
from incidents.grading.models import Criterion, GradingCase, IncidentType, ThresholdTable

from .factories import UnitFactory

pytestmark = pytest.mark.django_db


def _grade(type_code, metrics=None, checked=(), **kwargs):
    return engine.grade(type_code=type_code, metrics=metrics or {}, checked=checked, **kwargs)


def test_a_transport_accident_with_40_deaths_is_grade_one():
    """City 7.3.2 1) 特別重大安全事故: "造成30人以上死亡(含失蹤)…的安全事故"; city 1.3 2) counts
    交通運輸事故 among the accidents (事故災難) whose 安全事故 rows these are."""
    result = _grade("transport", {"deaths": 40})
    assert result.grade == "I"
    assert result.reasons[0]["source"] == "7.3.2 1)" and "30人以上死亡" in result.reasons[0]["wording"]
    assert _grade("transport", {"deaths": 12}).grade == "II"  # "造成10人以上、30人以下死亡(含失蹤)"


def test_a_food_poisoning_of_120_with_a_death_is_grade_two():
    """City 7.3.3 1) 重大公共衛生事件: "一次食物中毒人數超過100人並出現死亡病例,或出現10例以上死亡病例"."""
    assert _grade("food_safety", {"food_poisoned": 120, "food_poisoning_deaths": 1}).grade == "II"
    assert _grade("food_safety", {"food_poisoned": 100, "food_poisoning_deaths": 1}).grade is None  # 超過100
    assert _grade("food_safety", {"food_poisoning_deaths": 10}).grade == "II"


@pytest.mark.parametrize("type_code, metrics, checked, grade", [
    # 7.3.2 1) aviation: "國內外民用運輸航空器在我區轄區內發生的…特別重大飛行事故"
    ("transport", {}, ["aviation_especially_serious"], "I"),
    # 7.3.2 1) water: "單船10000噸以上國內外民用運輸船舶…發生碰撞、觸礁、火災等…"
    ("transport", {"ship_tonnage": 12000}, ["ship_10000t_serious_threat"], "I"),
    # 7.3.2 1) rail: "我區內高速鐵路行車中斷48小時"
    ("transport", {"hsr_interruption_hours": 48}, [], "I"),
    # 7.3.2 1) road: "國家高速公路網線路遭受破壞…經搶修24小時內無法恢復通車"
    ("transport", {"highway_interruption_hours": 30}, [], "II"),
    # 7.3.2 1) "造成區域電網減供負荷達到事故前總負荷的30%以上"
    ("facility", {"grid_load_loss_pct": 30}, [], "I"),
    # 7.3.2 1) "城市5萬戶以上居民供氣或供水連續停止48小時以上的事故"
    ("facility", {"utility_households": 50000, "utility_outage_hours": 48}, [], "I"),
    # 7.3.2 1) "l億元以上直接經濟損失" (a fire is a 安全事故; customs 1.3 (2) 火灾)
    ("fire", {"economic_loss_wan": 10000}, [], "I"),
    # 7.3.3 1) "發生跨地區(香港、澳門、臺灣)、跨國食品安全事故,造成特別嚴重社會影響,且由我區提供食品的"
    ("food_safety", {}, ["cross_border_food_accident"], "I"),
    # 7.3.1 6) "新傳入我國的有害生物…在我區內2個以上市(地)發生,對農業和林業造成巨大危害"
    ("plant_epidemic", {"cities_affected": 2}, ["new_pest_multi_city"], "I"),
    # 7.3.4 1) "衝擊、圍攻縣級以上黨政軍機關和要害部門" (customs 1.3 (4) "冲击海关机关、作业现场")
    ("port_disruption", {}, ["attack_on_organs"], "I"),
    ("port_disruption", {"participants": 1200}, [], "II"),
    # 7.3.4 7) "國家祕密信息、重要敏感信息和關鍵數據丟失或被竊取、篡改、假冒,對國家安全和社會穩定構成嚴重威脅"
    ("data_security", {}, ["key_data_serious"], "II"),
])
def test_the_seven_types_reach_grades_one_and_two_by_the_appendix_rows(type_code, metrics, checked, grade):
    """Issue 19 item 11: transport, facility, fire, food safety, plant epidemics, customs disruption
    and data security are graded by the appendix rows that apply to them (7.3.2 1), 7.3.3 1), 7.3.1 6),
    7.3.4 1), 7.3.4 7))."""
    assert _grade(type_code, metrics, checked).grade == grade


def test_meteorological_grade_one_needs_an_important_city_and_a_large_area():
    """City 7.3.1 2) 特別重大氣象災害: "特大暴雨、大雪、龍捲風、沙塵暴、颱風等極端天氣氣候事件影響重要城市和
    50平方公里以上較大區域,造成30人以上死亡,或5000萬元以上經濟損失的氣象災害"; 重大: "造成10人以上、30人以下死亡"."""
    assert _grade("meteorological", {"deaths": 35, "area_km2": 60}).grade is None
    assert _grade("meteorological", {"deaths": 35, "area_km2": 40}, ["extreme_weather_major_city"]).grade is None
    result = _grade("meteorological", {"deaths": 35, "area_km2": 60}, ["extreme_weather_major_city"])
    assert result.grade == "I" and "影响重要城市和50平方公里以上较大区域" in result.reasons[0]["wording"]
    assert _grade("meteorological", {"deaths": 29}).grade == "II"


def test_terrorist_attacks_reach_grade_two_not_one():
    """City 7.3.4 5) lists the attacks ("利用爆炸手段,襲擊黨政軍首腦機關…公衆聚集場所…") without a
    特別重大 or 重大 heading; in the appendix, "特別重大、重大突發事件分級標準", they are at least 重大.
    Grade Ⅰ comes from the figures of a type graded with the attack, e.g. 7.3.4 6) 特別重大刑事案件
    "一次造成10人以上死亡的殺人、爆炸…案件"."""
    rows = Criterion.objects.filter(table=engine.current_table(), incident_type__code="terrorism")
    assert rows.count() == 7 and set(rows.values_list("grade", flat=True)) == {"II"}
    assert _grade("terrorism", {}, ["bombing_attack"]).grade == "II"
    assert _grade("terrorism", {"deaths": 12}, ["bombing_attack"], secondary_types=["criminal"]).grade == "I"


def test_cyber_security_is_a_social_security_event():
    """City 1.3 4) "社會安全事件。主要包括恐怖襲擊事件,羣體性事件,網絡與信息安全事件…"; appendix 7.3.4 7)."""
    assert IncidentType.objects.get(code="cyber").category.code == "social_security"


@pytest.mark.parametrize("code, category, plans", [
    ("oil_gas_supply", "social_security", "city"),      # city 1.3 4) 油氣供應中斷突發事件
    ("ethnic_religious", "social_security", "city"),    # city 1.3 4) 民族宗教事件
    ("public_opinion", "social_security", "city"),      # city 1.3 4) 輿情突發事件
    ("nuclear_radiation", "accident", "city"),          # city 1.3 2) 核與輻射事故
    ("drug_safety", "public_health", "city"),           # city 1.3 3) 食品和藥品安全事件
    ("economic_security", "social_security", "customs"),  # customs 1.3 (4) 经济安全事件
])
def test_the_types_the_plans_name_are_in_the_taxonomy(code, category, plans):
    """City 1.3 1)–4) and customs 1.3 (4) name these types."""
    kind = IncidentType.objects.get(code=code)
    assert kind.category.code == category and kind.plans == plans


@pytest.mark.parametrize("type_code, metrics, checked, grade", [
    # 7.3.2 1) "城市5萬戶以上居民供氣…連續停止48小時以上的事故"
    ("oil_gas_supply", {"utility_households": 60000, "utility_outage_hours": 50}, [], "I"),
    # 7.3.4 1) 重大: "因民族宗教問題引發的嚴重影響民族團結的羣體性事件"
    ("ethnic_religious", {}, ["ethnic_religious"], "II"),
    # 7.3.2 2) "按照國際核事件分級(INES)標準3級以上的核事件"
    ("nuclear_radiation", {"ines_level": 3}, [], "I"),
    # 7.3.2 2) 重大: "核設施和鈾礦冶煉設施發生的,達到進入場區應急狀態標準"
    ("nuclear_radiation", {}, ["nuclear_site_emergency"], "II"),
    # 7.3.3 1) 重大: "預防接種或羣體預防性用藥出現人員死亡事件"
    ("drug_safety", {}, ["vaccination_deaths"], "II"),
])
def test_the_new_types_are_graded_by_the_rows_the_appendix_gives_them(type_code, metrics, checked, grade):
    """Issue 19 item 12: each new type gets the appendix rows whose words cover it."""
    assert _grade(type_code, metrics, checked).grade == grade


@pytest.mark.parametrize("type_code", ["public_opinion", "economic_security"])
def test_types_without_rows_in_the_appendix_are_graded_by_hand(type_code):
    """City 1.3: "具體事件等級標準執行國家有關規定"; the appendix has no row for 輿情突發事件, and customs 1.3
    grades 经济安全事件 "按照国家突发事件分级标准执行": nothing is reached, the grade is set by hand (Ⅰ–Ⅳ, by
    the authority the organisation names: tests/test_plan_rules_org_grading.py)."""
    assert not Criterion.objects.filter(table=engine.current_table(), incident_type__code=type_code).exists()
    result = _grade(type_code, {"deaths": 50})
    assert result.grade is None and "研判定级" in result.reasons[0]["wording"]


def test_v1_is_kept_and_an_organisation_s_own_v1_copy_grades_as_it_did():
    """A published table never changes: v2 is a new version; v1 retires and keeps its rows, and an
    organisation that published its own copy of v1 is graded by it until it publishes another."""
    v1 = ThresholdTable.objects.get(organisation__isnull=True, version=1)
    v2 = engine.current_table()
    assert v1.state == "retired" and v2.version == 2 and v2.based_on_id == v1.pk
    assert _grade("transport", {"deaths": 40}, table=v1).grade is None
    assert _grade("meteorological", {"deaths": 30}, table=v1).grade == "I"
    top = UnitFactory(code="v1-top")
    own = ThresholdTable.objects.create(organisation=top, version=1, state="published", based_on=v1)
    services._copy_criteria(v1, own)
    assert engine.current_table(top.pk).pk == own.pk
    assert _grade("transport", {"deaths": 40}, organisation_id=top.pk).grade is None
    assert _grade("transport", {"deaths": 40}).grade == "I"  # organisations without their own table: v2


def test_the_saved_cases_hold_the_issue_s_cases():
    """Issue 19 "Done when": the saved grading cases include the cases above; table v2 passes them all."""
    shipped = GradingCase.objects.filter(organisation__isnull=True)
    assert shipped.get(name__startswith="食品安全事件：一次食物中毒120人").expected == "II"
    assert shipped.get(name__startswith="交通运输事故：死亡人数40人").expected == "I"
    assert shipped.get(name__startswith="气象灾害：台风死亡35人、影响区域60平方公里").expected == ""
    assert shipped.get(name="恐怖袭击事件：无数值；勾选bombing_attack").expected == "II"
    total, failures = services.run_cases(engine.current_table())
    assert failures == [] and total > 400
