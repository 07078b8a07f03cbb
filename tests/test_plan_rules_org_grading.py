"""Issue 19, items 13 and the hand grade of item 11: each organisation grades its incidents by its own
table, seeded from the standard its plan names, and grades by hand, Ⅰ–Ⅳ, what no row decides.

Customs 1.3: "具体分级标准按照国家突发事件分级标准执行，并在相应专项应急预案和部门应急预案中予以明确".
City 1.3: "具體事件等級標準執行國家有關規定…國家尚未制定等級標準的,可以按照自治區相關部門先行制定的等級標準執行,
自治區等級標準見附件7.3" (the appendix's rows say 我区: the region's standard, not customs').
Customs 3.3.1 (3): "事件可能演化为特别重大、重大突发事件的，应当立即报告，不受突发事件分级标准限制".
"""
import pytest
from django.urls import reverse
from django.utils import timezone

from emergency.audit.models import AuditEntry
from emergency.errors import NotPermitted, ValidationFailed
from emergency.org.models import RoleAssignment
from emergency.org.roles import Role
from incidents import services as incident_services
from incidents.grading import authority, loader, services
from incidents.grading.models import Criterion, GradingAuthority, ThresholdTable

pytestmark = pytest.mark.django_db


def _log(actor, unit, type_code, metrics):
    now = timezone.now()
    return incident_services.incident_log(actor=actor, unit=unit, type_code=type_code, title="事件", address="现场",
                                          occurred_at=now, received_at=now, body="首报", metrics=metrics)


def test_customs_grades_by_the_national_standards_its_plan_points_to_and_the_city_by_its_appendix(org, make_user):
    """Customs 1.3 "具体分级标准按照国家突发事件分级标准执行"; city 1.3 "自治區等級標準見附件7.3"."""
    customs = services.table_seed(organisation=org.b, standard="national")
    city = services.table_seed(organisation=org.a, standard="appendix")
    rows = Criterion.objects.filter(table=customs)
    assert rows.exists() and set(rows.values_list("origin", flat=True)) == {"national"}
    assert not rows.filter(source__startswith="7.3").exists() and not rows.filter(wording__contains="我区").exists()
    assert all("国家" in source for source in rows.values_list("source", flat=True).distinct())
    assert {"appendix"} <= set(Criterion.objects.filter(table=city).values_list("origin", flat=True))
    total, failures = services.run_cases(customs)  # its own cases; the appendix's are not run against it
    assert failures == [] and total == len(loader.read("cases_national.yaml")["cases"]) == 83
    theirs = _log(make_user(Role.DUTY_OFFICER, org.b), org.b, "transport", {"deaths": 40})
    assert (theirs.grade, theirs.grade_table_id) == ("I", customs.pk)
    assert "生产安全事故报告和调查处理条例" in theirs.grade_reasons[0]["source"]
    ours = _log(make_user(Role.DUTY_OFFICER, org.a1), org.a1, "transport", {"deaths": 40})
    assert (ours.grade, ours.grade_table_id) == ("I", city.pk) and ours.grade_reasons[0]["source"].startswith("7.3")
    five = _log(make_user(Role.DUTY_OFFICER, org.b), org.b, "work_safety", {"deaths": 5})
    assert five.grade == "III"  # the national rule grades Ⅲ too, the appendix only Ⅰ/Ⅱ


def test_the_seriously_injured_include_the_acutely_poisoned_as_the_national_rule_says(org, make_user):
    """《生产安全事故报告和调查处理条例》第三条 "特别重大事故，是指造成30人以上死亡，或者100人以上重伤（包括急性工业中毒，
    下同）": 60 seriously injured and 50 acutely poisoned are 110 重伤, an especially serious accident (Ⅰ), not two counts
    each under 100 (Ⅱ); 《国家突发环境事件应急预案》附件1 "中毒或重伤" counts them together too. The fire notice's "重伤"
    names no poisoning."""
    services.table_seed(organisation=org.b, standard="national")
    duty = make_user(Role.DUTY_OFFICER, org.b)
    both = _log(duty, org.b, "work_safety", {"serious_injuries": 60, "poisoned": 50})
    assert both.grade == "I" and both.grade_reasons[0]["conditions"][0]["metric"] == "poisoned_or_seriously_injured"
    assert _log(duty, org.b, "work_safety", {"serious_injuries": 60, "poisoned": 39}).grade == "II"
    assert _log(duty, org.b, "work_safety", {"poisoned": 100}).grade == "I"
    assert _log(duty, org.b, "environmental", {"serious_injuries": 50, "poisoned": 60}).grade == "I"
    assert _log(duty, org.b, "fire", {"serious_injuries": 60, "poisoned": 50}).grade == "II"


def test_a_national_environmental_event_below_grade_three_is_graded_by_hand_as_four(org, make_user):
    """Customs 1.3 "按照国家突发事件分级标准执行": 《国家突发环境事件应急预案》附件1 gives Ⅰ–Ⅲ by figures
    ("因环境污染疏散、转移人员5000人以上、1万人以下的" is 较大); its 一般（Ⅳ级） text was not found, so the national
    table has no Ⅳ row for it and what falls below Ⅲ is graded by hand, Ⅳ only."""
    services.table_seed(organisation=org.b, standard="national")
    officer = make_user(Role.DUTY_OFFICER, org.b)
    large = _log(officer, org.b, "environmental", {"relocated": 5000})
    assert large.grade == "III" and "附件1" in large.grade_reasons[0]["source"]
    small = _log(officer, org.b, "environmental", {"relocated": 4999, "deaths": 2})
    assert small.grade == "" and authority.hand_grades(small) == ["IV"]
    fire = _log(officer, org.b, "fire", {"economic_loss_wan": 999.99})  # "1000万元以下直接财产损失": 一般
    assert fire.grade == "IV" and "直接财产损失" in fire.grade_reasons[0]["wording"]


def test_one_organisations_admin_is_refused_the_table_of_another_by_name(org, make_user, api_as, client):
    """Item 13: "one organisation's admin must not publish the table that grades another's incidents"."""
    services.table_seed(organisation=org.b, standard="national")
    theirs = services.table_draft_create(actor=make_user(Role.PLAN_ADMIN, org.b))
    assert theirs.standard == "national" and theirs.version == 2
    admin = make_user(Role.PLAN_ADMIN, org.a)
    RoleAssignment.objects.create(user=admin, unit=org.b, role=Role.DUTY_OFFICER)  # sees 乙市's tables
    with pytest.raises(NotPermitted) as refused:
        services.table_publish(actor=admin, table=theirs)
    assert "乙市" in str(refused.value.message) and "预案管理员或系统管理员" in str(refused.value.message)
    for language, words in (("zh-hans", "乙市"), ("en", "only the plan or system administrators of 乙市")):
        response = api_as(admin, language).post(reverse("api:threshold-table-publish", args=[theirs.pk]))
        assert response.status_code == 403 and words in response.json()["error"]["message"], language
    client.force_login(admin)
    page = client.post(reverse("threshold-table.publish", args=[theirs.pk]), follow=True)
    assert "乙市" in page.content.decode()
    theirs.refresh_from_db()
    assert theirs.state == "draft" and not theirs.runs.exists()


def test_a_national_table_takes_no_row_of_the_city_appendix(org, make_user):
    """Label figures as national-standard rows or the organisation's own, never as the city appendix."""
    services.table_seed(organisation=org.b, standard="national")
    admin = make_user(Role.PLAN_ADMIN, org.b)
    draft = services.table_draft_create(actor=admin)
    with pytest.raises(ValidationFailed) as refused:
        services.criterion_save(actor=admin, table=draft, type_code="economic_security", grade="I", wording="x",
                                check_key="x", origin="appendix")
    assert "origin" in refused.value.fields
    own = services.criterion_save(actor=admin, table=draft, type_code="economic_security", grade="II",
                                  wording="本关专项预案：走私涉案金额巨大", check_key="huge_smuggling", source="本关专项预案")
    assert own.origin == "organisation"


def test_a_type_without_rows_is_graded_one_to_four_by_the_authority_the_organisation_names(org, make_user):
    """City 1.3 "具體事件等級標準執行國家有關規定"; customs 3.3.1 (3) "不受突发事件分级标准限制"."""
    GradingAuthority.objects.create(organisation=org.a, grade="I", roles=[Role.PARTY_COMMITTEE, Role.PRINCIPAL],
                                    held_at="top", basis="市预案1.4.1 初判发生特别重大…由市委、市人民政府负责")
    officer = make_user(Role.DUTY_OFFICER, org.a1)
    lead = make_user(Role.LEAD_OFFICER, org.a1, department=org.a1.departments.first())
    opinion = _log(officer, org.a1, "public_opinion", {})
    assert opinion.grade == "" and authority.hand_grades(opinion) == ["I", "II", "III", "IV"]
    with pytest.raises(NotPermitted) as refused:
        incident_services.incident_set_grade(actor=lead, incident=opinion, grade="I", reason="全国性舆情")
    assert "甲市" in str(refused.value.message)
    party = make_user(Role.PARTY_COMMITTEE, org.a)
    graded = incident_services.incident_set_grade(actor=party, incident=opinion, grade="I", reason="全国性舆情，持续发酵")
    assert (graded.grade, graded.grade_set_by, graded.grade_set_reason) == ("I", party, "全国性舆情，持续发酵")
    entry = AuditEntry.objects.filter(action="incident.set_grade").latest("id")
    assert entry.after["as"] == Role.PARTY_COMMITTEE and entry.after["basis"].startswith("市预案1.4.1")
    second = _log(officer, org.a1, "public_opinion", {})
    assert incident_services.incident_set_grade(actor=lead, incident=second, grade="II", reason="x").grade == "II"
    fire = _log(officer, org.a1, "forest_fire", {"area_ha": 5})  # the appendix's rows stop at Ⅱ
    assert authority.hand_grades(fire) == ["III", "IV"]
    with pytest.raises(ValidationFailed):
        incident_services.incident_set_grade(actor=lead, incident=fire, grade="I", reason="x")


def test_the_demo_names_who_grades_by_hand_in_each_organisation():
    from django.core.management import call_command

    call_command("load_demo")
    xa = {r.grade: r for r in GradingAuthority.objects.filter(organisation__code="xa")}
    gg = {r.grade: r for r in GradingAuthority.objects.filter(organisation__code="gg")}
    assert set(xa) == set(gg) == {"I", "II", "III", "IV"}
    assert xa["I"].roles == [Role.PARTY_COMMITTEE, Role.PRINCIPAL] and "3.3.3" in xa["I"].basis
    assert gg["III"].held_at == "top" and "1.4.1" in gg["III"].basis
    assert not any(r.from_plan for r in [*xa.values(), *gg.values()])  # the plans name no grader: own settings
    assert ThresholdTable.objects.get(organisation__code="xa", state="published").standard == "national"
