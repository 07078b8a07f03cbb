"""The on-site command post, its working groups and orders; ending the response closes them."""
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from emergency.errors import Conflict, NotPermitted, ValidationFailed
from emergency.notify.models import Notification
from emergency.org.roles import Role
from emergency.timers.models import TimedDuty
from emergency.timers.services import duties_sweep
from incidents.response import command, services
from incidents.response.models import Order, WorkingGroup

from .factories import DepartmentFactory, UnitFactory, user_with_role
from .response_helpers import level_two_started

pytestmark = pytest.mark.django_db


@pytest.fixture
def started():
    return level_two_started()


def test_the_commander_opens_the_post_adds_groups_and_gives_orders(started):
    city, response, commander = started
    with pytest.raises(NotPermitted):
        command.post_open(actor=user_with_role(Role.DUTY_OFFICER, city.top), response=response, name="x", location="y")
    post = command.post_open(actor=commander, response=response, name="港北区现场指挥部", location="港北区物流园")
    with pytest.raises(Conflict):
        command.post_open(actor=commander, response=response, name="第二个", location="别处")
    group = command.group_add(actor=commander, post=post, kind=WorkingGroup.Kind.RESCUE, lead_department=city.lead,
                              departments=[city.other])
    with pytest.raises(Conflict):
        command.group_add(actor=commander, post=post, kind=WorkingGroup.Kind.RESCUE, lead_department=city.lead)
    far = DepartmentFactory(unit=UnitFactory(code="far"))
    with pytest.raises(ValidationFailed):
        command.group_add(actor=commander, post=post, kind=WorkingGroup.Kind.MEDICAL, lead_department=far)
    officer = user_with_role(Role.LEAD_OFFICER, city.top, department=city.lead)
    order = command.order_issue(actor=commander, response=response, group=group, text="组织搜救被困人员")
    assert order.department == city.lead
    assert Notification.objects.filter(recipient=officer, source_key=f"response.order:{order.pk}").exists()
    with pytest.raises(NotPermitted):  # another department does not answer for it
        command.order_update(actor=user_with_role(Role.LEAD_OFFICER, city.top, department=city.other), order=order,
                             status="acknowledged")
    command.order_update(actor=officer, order=order, status="acknowledged", note="已出动两支队伍")
    order.refresh_from_db()
    assert order.status == "acknowledged" and order.acknowledged_by == officer
    assert TimedDuty.objects.get(kind=command.ORDER_REMIND, subject_id=order.pk).state == "cancelled"


def test_an_unacknowledged_order_reminds_once(started):
    city, response, commander = started
    officer = user_with_role(Role.LEAD_OFFICER, city.top, department=city.lead)
    order = command.order_issue(actor=commander, response=response, department=city.lead, text="报告伤亡情况",
                                acknowledge_within_minutes=5)
    TimedDuty.objects.filter(kind=command.ORDER_REMIND, subject_id=order.pk).update(
        due_at=timezone.now() - timedelta(seconds=1))
    assert duties_sweep() == 1 and duties_sweep() == 0
    assert Notification.objects.filter(kind=command.ORDER_REMIND, recipient__in=[officer, commander]).count() == 2


def test_ending_the_response_closes_the_post_and_cancels_open_orders(started):
    city, response, commander = started
    post = command.post_open(actor=commander, response=response, name="指挥部", location="现场")
    command.group_add(actor=commander, post=post, kind=WorkingGroup.Kind.COORDINATION, lead_department=city.lead)
    order = command.order_issue(actor=commander, response=response, department=city.lead, text="持续监测")
    services.response_end(actor=commander, response=response, reason="处置完毕")
    post.refresh_from_db()
    order.refresh_from_db()
    assert post.closed_at and order.status == Order.Status.CANCELLED
    assert not WorkingGroup.objects.filter(post=post, closed_at__isnull=True).exists()
    assert TimedDuty.objects.get(kind=command.ORDER_REMIND, subject_id=order.pk).state == "cancelled"
    with pytest.raises(Conflict):
        command.order_issue(actor=commander, response=response, department=city.lead, text="再下令")


def test_the_response_page_shows_the_command_post(started, client, django_assert_max_num_queries):
    city, response, commander = started
    post = command.post_open(actor=commander, response=response, name="港北区现场指挥部", location="物流园")
    command.group_add(actor=commander, post=post, kind=WorkingGroup.Kind.RESCUE, lead_department=city.lead)
    for n in range(5):
        command.order_issue(actor=commander, response=response, department=city.lead, text=f"命令{n}")
    client.force_login(commander)
    with django_assert_max_num_queries(44):  # 44: the requests for help and guidance (city 3.3.3) and their answers
        page = client.get(reverse("response-detail", args=[response.pk])).content.decode()
    assert "港北区现场指挥部" in page and "命令4" in page and "抢险救援" in page
    answer = client.post(reverse("response.issue-order", args=[response.pk]),
                         {"text": "转移群众", "department": city.lead.pk, "acknowledge_within_minutes": 15}, follow=True)
    assert "命令已下达" in answer.content.decode() or Order.objects.filter(text="转移群众").exists()
