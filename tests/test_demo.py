"""`manage.py load_demo` builds both organisations from the two plans, and is idempotent."""
import pytest
from django.core.management import call_command

from emergency.audit.models import AuditEntry
from emergency.audit.services import audit_chain_report
from emergency.org.demo import DEMO_PASSWORD, DEMO_ROLES
from emergency.org.models import Department, Expert, OrgUnit, RoleAssignment, User


def _counts():
    return (OrgUnit.objects.count(), Department.objects.count(), Expert.objects.count(),
            User.objects.count(), RoleAssignment.objects.count(), AuditEntry.objects.count())


@pytest.mark.django_db
def test_demo_builds_both_organisations_from_the_plans():
    call_command("load_demo")
    xian = OrgUnit.objects.get(name="西安海关", parent=None)
    guigang = OrgUnit.objects.get(name="贵港市", parent=None)
    customs_offices = set(OrgUnit.objects.descendants(xian).values_list("name", flat=True))
    assert {"关中地区", "陕北地区", "陕南地区", "西安咸阳机场海关", "榆林海关", "商洛海关"} <= customs_offices
    counties = set(guigang.children.values_list("name", flat=True))
    assert {"港北区", "港南区", "覃塘区", "平南县", "桂平市"} <= counties
    assert guigang.division_code == "450800"
    assert Department.objects.filter(unit=guigang, duties__contains="应急").exists()
    assert Expert.objects.filter(pool__unit=xian).count() >= 3
    for prefix, top in (("xa", xian), ("gg", guigang)):
        for suffix, role in DEMO_ROLES.items():
            user = User.objects.get(username=f"{prefix}-{suffix}")
            assert user.check_password(DEMO_PASSWORD)
            assert RoleAssignment.objects.filter(user=user, unit=top, role=role).exists()
    assert audit_chain_report().ok


@pytest.mark.django_db
def test_demo_loader_is_idempotent(capsys):
    call_command("load_demo")
    first = _counts()
    capsys.readouterr()
    call_command("load_demo")
    assert "0 rows created, 0 updated" in capsys.readouterr().out
    assert _counts() == first
    call_command("load_demo", "--if-empty")
    assert "already present" in capsys.readouterr().out


@pytest.mark.django_db
def test_each_organisation_has_its_general_plan_in_force_with_its_chapters():
    from plans.models import Plan

    call_command("load_demo")
    city = Plan.objects.get(unit__code="gg", plan_type="general")
    assert city.title == "贵港市突发事件总体应急预案" and city.state == "published"
    edition = city.published_edition
    titles = [s["title"] for s in edition.sections]
    assert titles[:5] == ["1 总则", "2 组织指挥体系", "3 运行机制", "4 准备与支持", "5 预案管理"]
    assert str(edition.published_at.date()) == "2021-03-18"
    assert "特别重大突发事件(Ⅰ级)" in edition.sections[-1]["body"]  # the numerals the source lost, restored
    assert city.lead_department.name == "市应急管理局"
    customs = Plan.objects.get(unit__code="xa", plan_type="general")
    assert customs.title == "西安海关突发事件总体应急预案"
    assert customs.published_edition.sections[0]["title"] == "前言"
    assert "3 运行机制" in [s["title"] for s in customs.published_edition.sections]
    call_command("load_demo")
    assert Plan.objects.filter(plan_type="general").count() == 2
