"""The notification inbox: a person's own notifications only, filters, marking read, the "to act on"
section derived from the record's state, the bell's count pushed after commit, constant queries."""
import pytest
from django.urls import reverse

from emergency.notify import services as notify
from emergency.notify.models import Notification
from emergency.org.roles import Role
from incidents.response import command, services

from .factories import user_with_role
from .response_helpers import incident_in, lead_officer, organisation

pytestmark = pytest.mark.django_db


@pytest.fixture
def ordered():
    """A level II response whose command gave the lead department an order."""
    city = organisation("city")
    incident = incident_in(city)
    proposal = services.proposal_create(actor=lead_officer(city), incident=incident, level=2, reasons="二级")
    commander = user_with_role(Role.COMMANDER, city.top)
    response = services.proposal_decide(actor=commander, proposal=proposal, outcome="approved").response
    officer = user_with_role(Role.LEAD_OFFICER, city.top, department=city.lead)
    post = command.post_open(actor=commander, response=response, name="现场指挥部", location="物流园")
    command.group_add(actor=commander, post=post, kind="rescue", lead_department=city.lead)
    order = command.order_issue(actor=commander, response=response, department=city.lead, text="组织搜救被困人员")
    return city, incident, response, order, officer


def _notice(user, key, **extra):
    notify.notification_send(recipient_ids=[user.pk], kind=extra.pop("kind", "notify.reminder"),
                             title=extra.pop("title", f"提醒 {key}"), source_key=key, **extra)
    return Notification.objects.get(recipient=user, source_key=key)


def test_an_order_stays_to_act_on_after_it_is_read_until_it_is_acknowledged(ordered, api_as):
    city, incident, response, order, officer = ordered
    api = api_as(officer)
    rows = api.get("/api/v1/notifications/").json()["results"]
    notice = next(r for r in rows if r["kind"] == "response.order")
    assert notice["to_act_on"] is True and notice["link"] == f"/responses/{response.pk}/"
    assert notice["kind_label"] == "指挥部命令"  # 命令, as the order list and form name it
    assert api.post("/api/v1/notifications/read/", {"ids": [notice["id"]]}, format="json").json()["marked"] == 1
    waiting = api.get("/api/v1/notifications/", {"to_act_on": "true"}).json()["results"]
    assert [r["id"] for r in waiting] == [notice["id"]] and waiting[0]["read_at"] is not None
    assert api.get("/api/v1/notifications/counts/").json() == {"unread": 0, "to_act_on": 1}
    command.order_update(actor=officer, order=order, status="acknowledged")
    assert api.get("/api/v1/notifications/", {"to_act_on": "true"}).json()["results"] == []
    assert api.get("/api/v1/notifications/counts/").json()["to_act_on"] == 0


def test_filters_by_unread_kind_and_incident(ordered, api_as, client):
    city, incident, response, order, officer = ordered
    other = incident_in(city)
    _notice(officer, "a", kind="incident", link=reverse("incident-detail", args=[other.pk]))
    _notice(officer, "b", kind="incident", link=reverse("incident-detail", args=[incident.pk]))
    api = api_as(officer)
    about = api.get("/api/v1/notifications/", {"incident": incident.pk}).json()["results"]
    assert {r["kind"] for r in about} == {"incident", "response.order"} and len(about) == 2
    assert len(api.get("/api/v1/notifications/", {"kind": "incident"}).json()["results"]) == 2
    api.post("/api/v1/notifications/read/", {"all": True}, format="json")
    assert api.get("/api/v1/notifications/", {"unread": "true"}).json()["results"] == []
    client.force_login(officer)
    page = client.get(reverse("notification-inbox"), {"incident": incident.pk})
    assert page.status_code == 200 and "组织搜救被困人员" in page.content.decode()


def test_another_organisation_s_incident_is_no_filter_and_its_notifications_never_show(ordered, api_as, org):
    city, incident, response, order, officer = ordered
    stranger = user_with_role(Role.DUTY_OFFICER, org.b)
    _notice(stranger, "theirs", title="乙市内部通知")
    api = api_as(officer)
    answer = api.get("/api/v1/notifications/", {"incident": 999999})
    foreign = api_as(stranger).get("/api/v1/notifications/", {"incident": incident.pk})
    assert answer.status_code == foreign.status_code == 400
    assert foreign.json()["error"] == answer.json()["error"] and "incident" in answer.json()["error"]["fields"]
    assert "乙市内部通知" not in str(api.get("/api/v1/notifications/").json())
    mine = api.get("/api/v1/notifications/").json()["results"][0]["id"]
    theirs = Notification.objects.get(recipient=stranger).pk
    marked = api.post("/api/v1/notifications/read/", {"ids": [theirs, mine]}, format="json").json()["marked"]
    assert marked == 1 and Notification.objects.get(pk=theirs).read_at is None
    assert api_as(stranger).get("/api/v1/notifications/counts/").json() == {"unread": 1, "to_act_on": 0}


def test_bad_input_is_refused_in_the_user_s_language(ordered, api_as):
    officer = ordered[-1]
    answer = api_as(officer).post("/api/v1/notifications/read/", {}, format="json")
    assert answer.status_code == 400 and "ids" in answer.json()["error"]["fields"]
    assert api_as(officer).get("/api/v1/notifications/", {"incident": "x"}).status_code == 400


def test_the_inbox_page_and_the_api_run_constant_queries(ordered, client, api_as, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    officer = ordered[-1]
    client.force_login(officer)
    api = api_as(officer)

    def count(call):
        with CaptureQueriesContext(connection) as ctx:
            assert call().status_code == 200
        return len(ctx.captured_queries)

    page = count(lambda: client.get(reverse("notification-inbox")))
    listed = count(lambda: api.get("/api/v1/notifications/"))
    for n in range(60):
        _notice(officer, f"many:{n}", kind="incident", body="正文")
    assert count(lambda: client.get(reverse("notification-inbox"))) <= page
    assert count(lambda: api.get("/api/v1/notifications/")) <= listed


def test_the_bell_counts_unread_on_every_page(ordered, client):
    officer = ordered[-1]
    client.force_login(officer)
    html = client.get(reverse("home")).content.decode()
    assert 'data-testid="bell-count">1<' in html


def test_a_proposal_reaches_its_deciders_inbox_at_once_and_waits_there_until_decided(api_as):
    """A decision is a notification that needs acting on: the people who may decide the level are
    told when it is proposed, not only when the reminder fires, and it stays under "to act on"
    after being read, until the proposal is decided."""
    city = organisation("city")
    incident = incident_in(city)
    proposer = lead_officer(city)
    commander = user_with_role(Role.COMMANDER, city.top)
    proposal = services.proposal_create(actor=proposer, incident=incident, level=2, reasons="二级")
    api = api_as(commander)
    waiting = api.get("/api/v1/notifications/", {"to_act_on": "true"}).json()["results"]
    assert [(n["kind"], n["link"]) for n in waiting] == [("response.proposal", "/responses/inbox/")]
    assert "二级响应" in waiting[0]["title"] and incident.title in waiting[0]["title"]
    api.post("/api/v1/notifications/read/", {"ids": [waiting[0]["id"]]}, format="json")
    assert api.get("/api/v1/notifications/counts/").json() == {"unread": 0, "to_act_on": 1}
    # the proposer is not asked to decide their own proposal
    assert not Notification.objects.filter(recipient=proposer, kind="response.proposal").exists()
    services.proposal_decide(actor=commander, proposal=proposal, outcome="approved")
    assert api.get("/api/v1/notifications/counts/").json()["to_act_on"] == 0
