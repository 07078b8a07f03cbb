"""Rules read as the plans state them (issue 19). Each test quotes its clause.

Reporting deadlines as each organisation's plan sets them.

City plan 3.3.1 4): "接到突發事件信息後……最遲不得超過1小時" — from receipt.
City plan 3.3.5 1): "在事件發生後的第一時間……最遲要在5小時內發佈權威信息……應於24小時內舉行新聞發佈會" — from
the occurrence. Customs plan 3.3.1 (1): "第一时间如实向上级海关单位报告" — no figure: the district's own setting.
"""
from datetime import timedelta

import pytest
from django.utils import timezone

from emergency.org.demo import load_demo
from emergency.org.models import OrgUnit
from emergency.org.roles import Role
from incidents import services
from incidents.models import ReportingRule

from .factories import UnitFactory, user_with_role

pytestmark = pytest.mark.django_db


def _log(unit, *, occurred_hours_ago: float, panic: bool = True):
    officer = user_with_role(Role.DUTY_OFFICER, unit)
    received = timezone.now()
    return services.incident_log(
        actor=officer, unit=unit, type_code="work_safety", title="仓库爆炸", address="物流园",
        occurred_at=received - timedelta(hours=occurred_hours_ago), received_at=received, body="首报",
        metrics={"deaths": 1}, may_cause_panic=panic)


@pytest.fixture
def demo(grading_tables):
    load_demo()
    return {"city": OrgUnit.objects.get(code="gg"), "customs": OrgUnit.objects.get(code="xa")}


def test_city_release_and_press_conference_run_from_the_occurrence_and_the_report_up_from_receipt(demo):
    county = demo["city"].children.first()
    incident = _log(county, occurred_hours_ago=2)
    due = {d.kind: d for d in incident.deadlines.all()}
    assert due["superior_report"].due_at == incident.received_at + timedelta(hours=1)
    assert due["public_release"].due_at == incident.occurred_at + timedelta(hours=5)
    assert due["press_conference"].due_at == incident.occurred_at + timedelta(hours=24)
    assert "3.3.5" in due["public_release"].basis and due["public_release"].counted_from == "occurred"


def test_customs_figures_are_the_districts_own_settings_not_the_plans(demo):
    rules = ReportingRule.objects.filter(organisation=demo["customs"])
    assert rules.count() == 3 and not rules.filter(from_plan=True).exists()
    assert all("本关设定" in rule.basis for rule in rules)
    assert ReportingRule.objects.filter(organisation=demo["city"], from_plan=False).count() == 0


def test_an_organisation_without_rules_gets_the_defaults_from_receipt(grading_tables):
    incident = _log(UnitFactory(code="solo"), occurred_hours_ago=3, panic=False)
    release = incident.deadlines.get(kind="public_release")
    assert release.due_at == incident.received_at + timedelta(hours=5) and release.counted_from == "received"


def test_the_incident_page_says_what_each_deadline_is_counted_from(demo, client):
    incident = _log(demo["city"], occurred_hours_ago=1)
    client.force_login(incident.created_by)
    page = client.get(f"/incidents/{incident.pk}/").content.decode()
    assert "自事件发生起算" in page and "自接报起算" in page and "最迟要在5小时内发布权威信息" in page


def test_the_city_its_counties_and_townships_owe_the_first_quarter_review(demo):
    """City plan 3.4.2 2): "市有關主管部門於每年第一季度組織對上年度發生的突發事件進行全面評估……縣(市、區)、
    鄉(鎮)黨委、政府組織對本行政區域上年度突發事件進行全面評估"."""
    from datetime import date

    from plans.annual import ensure_duties
    from plans.models import AnnualReviewDuty

    ensure_duties(today=date(2027, 1, 2))
    city = demo["city"]
    owed = AnnualReviewDuty.objects.filter(unit__in=OrgUnit.objects.descendants(city, include_self=True), year=2026)
    kinds = set(owed.values_list("unit__kind", flat=True))
    assert kinds == {"city", "county", "township"}
    assert owed.count() == OrgUnit.objects.descendants(city, include_self=True).exclude(kind="command_body").count()
    assert {d.due_on for d in owed} == {date(2027, 3, 31)}


def test_the_three_year_drill_rule_binds_the_city_levels_plans_not_the_counties(demo, client):
    """City plan 5.3 1): "市級層面政府專項應急預案、部門應急預案每3年至少進行一次應急演練"; 5.3 3) leaves the
    counties to drill "結合本地實際". 5.4 1) asks for "定期評估" without a figure: the city's setting."""
    from plans.models import Plan
    from plans.selectors import plan_cadence

    city = demo["city"]
    county = city.children.exclude(kind="command_body").first()
    admin = user_with_role(Role.PLAN_ADMIN, city)
    city_plan = Plan.objects.create(unit=city, plan_type="special", title="贵港市森林火灾应急预案", created_by=admin)
    county_plan = Plan.objects.create(unit=county, plan_type="special", title="县森林火灾应急预案", created_by=admin)
    cadence = plan_cadence(plan=city_plan)
    assert cadence.drill_months == 36 and cadence.drill_from_plan and "5.3 1)" in cadence.drill_basis
    assert not cadence.evaluation_from_plan and "未规定周期" in cadence.evaluation_basis  # the page labels it 本单位设定
    assert plan_cadence(plan=county_plan) is None
    client.force_login(admin)
    page = client.get(f"/plans/{city_plan.pk}/").content.decode()
    assert "至少每36个月一次 · 预案规定" in page and "每36个月一次 · 本单位设定" in page


def test_customs_plans_are_drilled_every_two_years_and_evaluated_every_three_as_its_plan_says(demo, client):
    """Customs plan 5.3: "确保每2年至少组织1次相关应急预案演练"; 5.4: "西安海关各级各类应急预案由牵头编制部门组织评估和
    修订，原则上每3年评估1次" (the plan's own figure, not the district's setting)."""
    from plans.models import Plan
    from plans.selectors import plan_cadence

    office = demo["customs"].children.first()
    plan = Plan.objects.create(unit=office, plan_type="grassroots", title="现场处置方案",
                               created_by=user_with_role(Role.PLAN_ADMIN, demo["customs"]))
    cadence = plan_cadence(plan=plan)
    assert cadence.drill_months == 24 and cadence.drill_from_plan and "每2年" in cadence.drill_basis
    assert cadence.evaluation_months == 36 and cadence.evaluation_from_plan and "原则上每3年评估1次" in cadence.evaluation_basis
    client.force_login(user_with_role(Role.PLAN_ADMIN, demo["customs"]))
    page = client.get(f"/plans/{plan.pk}/").content.decode()
    assert "每36个月一次 · 预案规定" in page and "本关设定；海关预案5.4" not in page


def test_the_city_suggests_its_levels_as_1_4_2_states_them(grading_tables):
    """City plan 1.4.2: "(1)發生在縣(市、區)行政區的比較嚴重的一般突發事件時,市級啓動四級響應。(2)發生較大
    突發事件時,市級啓動三級響應。(3)發生跨市或跨縣(市、區)的較大突發事件或比較嚴重的較大突發事件時,市級啓動
    二級響應。(4)發生重大以上突發事件時,市級啓動一級響應。"; and "對涉及面廣、敏感複雜或處置不當後果嚴重的一般突發事件,
    根據應對工作需要,可啓動市級層面相應級別應急響應"."""
    from incidents.response.suggest import suggest_level

    from .response_helpers import incident_in, organisation

    city = organisation("city")
    ordinary, serious, major = (incident_in(city, grade_deaths=n) for n in (1, 3, 10))
    assert (ordinary.grade, serious.grade, major.grade) == ("IV", "III", "II")
    assert suggest_level(incident=ordinary).level is None
    assert suggest_level(incident=ordinary, context={"fairly_serious": True}).level == 4
    sensitive = suggest_level(incident=ordinary, context={"sensitive": True})
    assert sensitive.level == 4 and "敏感" in " ".join(sensitive.reasons)  # not raised twice for one flag
    assert suggest_level(incident=serious).level == 3
    assert suggest_level(incident=serious, context={"cross_city": True}).level == 2
    assert suggest_level(incident=serious, context={"cross_county": True}).level == 2
    assert suggest_level(incident=serious, context={"fairly_serious": True}).level == 2
    assert suggest_level(incident=major).level == 1


def test_customs_levels_follow_the_grade_and_extreme_events_are_raised_not_jumped(grading_tables):
    """Customs plan 3.3.3 pairs grade and level (特别重大 / 一级, 重大 / 二级, 较大、一般 / 三级、四级); 3.3.2:
    "对于小概率、高风险、超常规的极端事件，要果断提级响应" names no target level."""
    from incidents.response.suggest import suggest_level

    from .response_helpers import incident_in, organisation

    customs = organisation("customs")
    customs.top.kind = "customs_district"
    customs.top.save(update_fields=["kind"])
    ordinary = incident_in(customs, grade_deaths=1)
    assert suggest_level(incident=ordinary).level == 4
    extreme = suggest_level(incident=ordinary, context={"extreme": True})
    assert extreme.level == 3 and "果断提级" in " ".join(extreme.reasons)
    assert suggest_level(incident=incident_in(customs, grade_deaths=3)).level == 3


def test_an_ungraded_incident_gets_no_suggested_level(grading_tables):
    from incidents.response.suggest import suggest_level

    from .response_helpers import incident_in, organisation

    incident = incident_in(organisation("city"))
    incident.grade = None
    assert suggest_level(incident=incident).level is None


def test_the_level_fixes_whose_authority_decides_and_a_proposer_cannot_pick_a_lower_unit(grading_tables):
    """Customs 3.3.2: "报西安海关党委或西安海关突发事件应急指挥机构主要负责同志决定"; city 1.4.2: the city
    level's response ("三級響應由市人民政府分管負責同志組織指導協調") is the city's, not the county's."""
    from emergency.errors import NotPermitted, ValidationFailed
    from incidents.response import services as response_services

    from .response_helpers import incident_in, lead_officer, organisation

    customs = organisation("customs")
    incident = incident_in(customs)
    with pytest.raises(ValidationFailed) as refused:
        response_services.proposal_create(actor=lead_officer(customs), incident=incident, level=1, reasons="重大",
                                          command_unit=customs.sub)
    assert "西安海关" in " ".join(refused.value.fields["command_unit"])
    proposal = response_services.proposal_create(actor=lead_officer(customs), incident=incident, level=1,
                                                 reasons="重大")
    assert proposal.command_unit == customs.top
    with pytest.raises(NotPermitted):  # 商洛海关's principal holds no authority over 西安海关's level 1
        response_services.proposal_decide(actor=user_with_role(Role.PRINCIPAL, customs.sub), proposal=proposal,
                                          outcome="approved")

    city = organisation("city")
    county_case = incident_in(city)
    proposal = response_services.proposal_create(actor=lead_officer(city), incident=county_case, level=3,
                                                 reasons="较大")
    assert proposal.command_unit == city.top
    with pytest.raises(NotPermitted):  # a county's leader in charge does not decide the city's level 3
        response_services.proposal_decide(actor=user_with_role(Role.LEADER_IN_CHARGE, city.sub), proposal=proposal,
                                          outcome="approved")
    response_services.proposal_decide(actor=user_with_role(Role.LEADER_IN_CHARGE, city.top), proposal=proposal,
                                      outcome="approved")
