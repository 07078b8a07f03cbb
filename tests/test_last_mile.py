"""The last mile of a warning (city 3.2.2 2): "对老、幼、病、残、孕等特殊人群以及学校等特殊场所和警报盲区应当
采取有针对性的通知方式"; customs 3.2 (2): "对特殊人群、特殊场所、特殊时段，采取针对性措施精准通知到位"): the
targets in the warning's area, each reached by its targeted means and recorded, append-only."""
import pytest
from django.db import connection, transaction
from django.db.utils import InternalError, ProgrammingError
from rest_framework.test import APIClient

from alerts import services
from alerts.models import WarningReach, WarningTarget
from alerts.reach import last_mile
from emergency.org.roles import Role

from .factories import UnitFactory, user_with_role
from .test_warnings import _draft, city  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db


@pytest.fixture
def area(city):  # noqa: F811
    town = UnitFactory(code="genzhu", name="根竹镇", parent=city.sub)
    elsewhere = UnitFactory(code="gangnan", name="港南区", parent=city.top)
    care_home = WarningTarget.objects.create(unit=town, kind="elderly", name="根竹镇敬老院", channel="phone",
                                             contact="敬老院值班室", people=46)
    blind_spot = WarningTarget.objects.create(unit=city.sub, kind="blind_spot", name="山区信号盲区村屯",
                                              channel="door_to_door")
    outside = WarningTarget.objects.create(unit=elsewhere, kind="school", name="港南区某中心小学", channel="group_chat")
    officer = user_with_role(Role.DUTY_OFFICER, city.sub)
    commander = user_with_role(Role.COMMANDER, city.sub)
    warning = _draft(city, officer, area_units=[city.sub])
    services.warning_issue(actor=commander, warning=warning)
    return warning, officer, commander, care_home, blind_spot, outside


def test_the_targets_in_the_area_are_listed_and_recorded_from_the_page(area, client):
    """City 3.2.2 2) "對老、幼、病、殘、孕等特殊人羣以及學校等特殊場所和警報盲區應當採取有針對性的通知方式": the
    targets in the warning's area are listed on its page with their targeted means, each recorded as reached."""
    warning, officer, commander, care_home, blind_spot, outside = area
    message, rows = last_mile(warning)
    assert {r.target for r in rows} == {care_home, blind_spot} and {r.state for r in rows} == {"pending"}
    client.force_login(officer)
    page = client.get(f"/warnings/{warning.pk}/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "最后一公里" in page and "根竹镇敬老院" in page and "港南区某中心小学" not in page
    assert "尚有 2 个对象待通知" in page
    client.post(f"/warnings/{warning.pk}/reach/", {"subject": care_home.pk, "reached": "true", "channel": "phone"})
    refused = client.post(f"/warnings/{warning.pk}/reach/", {"subject": blind_spot.pk, "reached": "false"},
                          follow=True, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "请说明未能通知到位的原因" in refused
    client.post(f"/warnings/{warning.pk}/reach/", {"subject": blind_spot.pk, "reached": "false",
                                                   "note": "山洪冲断道路，网格员无法进村"})
    states = {r.target.name: r.state for r in last_mile(warning)[1]}
    assert states == {"根竹镇敬老院": "reached", "山区信号盲区村屯": "unreachable"}
    page = client.get(f"/warnings/{warning.pk}/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "尚有 0 个对象待通知" in page and "山洪冲断道路" in page


def test_the_api_takes_the_same_rules_and_the_records_never_change(area):
    """Customs 3.2.2 (2) "对特殊人群、特殊场所、特殊时段，采取针对性措施精准通知到位": the API records the same, append-only."""
    warning, officer, commander, care_home, blind_spot, outside = area
    api = APIClient(HTTP_ACCEPT_LANGUAGE="zh-hans")
    api.force_authenticate(officer)
    done = api.post(f"/api/v1/warnings/{warning.pk}/reach/", {"subject": care_home.pk}, format="json")
    assert done.status_code == 201 and done.json()["reached"] is True and done.json()["channel"] == "phone"
    assert api.post(f"/api/v1/warnings/{warning.pk}/reach/", {"subject": outside.pk},
                    format="json").status_code == 400  # not in the area: not offered, not accepted
    stranger = user_with_role(Role.DUTY_OFFICER, outside.unit)
    api.force_authenticate(stranger)
    assert api.post(f"/api/v1/warnings/{warning.pk}/reach/", {"subject": care_home.pk},
                    format="json").status_code in (403, 404)
    reach = WarningReach.objects.get()
    with pytest.raises((InternalError, ProgrammingError)), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE alerts_warningreach SET reached = false WHERE id = %s", [reach.pk])


def test_a_lifted_warning_has_nobody_left_to_reach(area):
    """City 3.2.2 4) "宣佈解除警報,終止預警期": after the lifting nobody is left to reach."""
    warning, officer, commander, *_ = area
    services.warning_lift(actor=commander, warning=warning, reason="水位回落")
    message, rows = last_mile(warning)
    assert message.msg_type == "Cancel" and rows == []
