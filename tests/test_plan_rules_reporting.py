"""Issue 19, item 18 (and the reporting half of item 11): reports carry what the plans list as fields,
and an incident that is sensitive or may escalate goes up as grade I/II would, whatever its grade."""
import pytest
from django.urls import reverse
from django.utils import timezone

from emergency.org.models import OrgUnit
from emergency.org.roles import Role
from incidents import services
from incidents.models import Incident

from .factories import UnitFactory, user_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def township(grading_tables):
    city = UnitFactory(code="gg", name="贵港市")
    county = UnitFactory(code="gb", name="港北区", parent=city, kind=OrgUnit.Kind.COUNTY)
    return UnitFactory(code="gc", name="港城街道", parent=county, kind=OrgUnit.Kind.TOWNSHIP)


def _log(officer, unit, **extra):
    now = timezone.now()
    return services.incident_log(actor=officer, unit=unit, type_code="work_safety", title="仓库火灾", address="物流园",
                                 occurred_at=now, received_at=now, body="首报", metrics={"deaths": 1}, **extra)


def test_a_sensitive_or_escalating_incident_is_reported_up_regardless_of_its_grade(township):
    """City plan 3.3.1 3): "對於一些事件本身比較敏感或發生在重點地區、重要時期,或可能演化爲特別重大、重大和
    較大突發事件的,不受突發事件分級標準限制"; customs plan 3.3.1 (3): "事件可能演化为特别重大、重大突发事件的，
    应当立即报告，不受突发事件分级标准限制"."""
    officer = user_with_role(Role.DUTY_OFFICER, township)
    ordinary = _log(officer, township)
    sensitive = _log(officer, township, reported_regardless=True)
    assert ordinary.grade == sensitive.grade == "IV"
    routes = {incident.pk: [(d.route, d.unit.code) for d in services.report_send_up(
        actor=officer, report=incident.reports.get())] for incident in (ordinary, sensitive)}
    assert routes[ordinary.pk] == [("superior", "gb")]
    assert routes[sensitive.pk] == [("superior", "gb"), ("top", "gg")]


def test_the_report_carries_the_plans_contents_as_fields(township, client):
    """City plan 3.3.1 2): "報告內容一般包括突發事件發生的時間、地點、信息來源、性質、簡要經過、影響範圍…、
    人員傷(病)亡和失聯情況…和已經採取的其他措施等"; customs plan 3.3.1 (1): "…发展趋势、已经采取的措施等"."""
    officer = user_with_role(Role.DUTY_OFFICER, township)
    client.force_login(officer)
    now = timezone.localtime().strftime("%Y-%m-%dT%H:%M")
    contents = {"time": "12月2日9时20分", "place": "港城街道物流园3号仓库", "source": "园区保安电话报告",
                "cause": "仓库电气线路起火", "casualties": "1人死亡，无人失联", "losses": "仓库过火约200平方米",
                "measures": "消防已到场扑救，周边已疏散", "trend": "火势已得到控制", "requests": "请求调派医疗救护力量"}
    form = {"unit": township.pk, "type": "work_safety", "title": "仓库火灾", "address": "物流园", "occurred_at": now,
            "received_at": now, "body": "首报", "metric_deaths": "1", "reported_regardless": "true",
            **{f"contents.{k}": v for k, v in contents.items()}}
    answer = client.post(reverse("incident.log"), form, HTTP_REFERER=reverse("incident-new"))
    incident = Incident.objects.get()
    assert answer["Location"] == reverse("incident-detail", args=[incident.pk]) and incident.reported_regardless
    assert incident.reports.get().contents == contents
    page = client.get(answer["Location"], HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "已经采取的措施" in page and "消防已到场扑救，周边已疏散" in page and "发展趋势" in page
    assert 'data-testid="reported-regardless"' in page
