"""The duty log (issue 16 item 5): an incident's and a response's timeline read from the audit trail,
merged with the free-text entries (值班记录) the duty room and the command post write; append-only,
corrected by new entries; filtered; exported as CSV and PDF; scoped to the incident's units."""
import csv
import io
from dataclasses import replace
from datetime import timedelta

import pytest
from django.db import DatabaseError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from emergency.errors import NotFound, NotPermitted, ValidationFailed
from emergency.org.roles import Role
from incidents.response import command, dutylog
from incidents.response import services as response_services
from incidents.response.dutylog_models import DutyLogEntry
from incidents.response.timeline import Filters, timeline

from .factories import UnitFactory, user_with_role
from .response_helpers import incident_in, lead_officer, organisation

pytestmark = pytest.mark.django_db


@pytest.fixture
def city():
    return organisation("city")


@pytest.fixture
def logged(city):
    incident = incident_in(city)
    return city, incident, user_with_role(Role.DUTY_OFFICER, city.sub)


def _responding(city, incident):
    proposal = response_services.proposal_create(actor=lead_officer(city), incident=incident, level=2, reasons="二级")
    commander = user_with_role(Role.COMMANDER, city.top)
    response = response_services.proposal_decide(actor=commander, proposal=proposal, outcome="approved").response
    return response, commander


def _pdf_text(body: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(body)).pages).replace(" ", "").replace("\n", "")


def test_a_duty_officer_writes_and_corrects_and_the_timeline_shows_both_marked(logged):
    city, incident, officer = logged
    earlier = timezone.now() - timedelta(minutes=20)
    first = dutylog.duty_log_write(actor=officer, incident=incident, text="接市民来电，物流园冒烟", happened_at=earlier)
    fixed = dutylog.duty_log_write(actor=officer, incident=incident, text="接市民来电，物流园三号仓冒烟", corrects=first)
    assert first.unit_id == city.sub.pk and fixed.corrects_id == first.pk and first.recorded_at >= first.happened_at
    items = timeline(incident=incident)
    kinds = [item.kind for item in items]
    assert kinds[0] == "entry" and "report" in kinds, kinds  # the entry happened before the incident was logged
    by_id = {item.entry_id: item for item in items if item.entry_id}
    assert by_id[first.pk].corrected_by == fixed.pk and by_id[fixed.pk].corrects == first.pk
    assert by_id[fixed.pk].label == f"更正第{first.pk}号记录"
    assert any(item.kind == "report" and item.text.startswith(incident.number) for item in items), items


def test_entries_are_append_only_at_the_database(logged):
    city, incident, officer = logged
    entry = dutylog.duty_log_write(actor=officer, incident=incident, text="现场已封控")
    for statement in ("UPDATE response_dutylogentry SET text = '篡改' WHERE id = %s",
                      "DELETE FROM response_dutylogentry WHERE id = %s"):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement, [entry.pk])
    assert DutyLogEntry.objects.get(pk=entry.pk).text == "现场已封控"


def test_who_may_write_and_the_reasons_otherwise(logged):
    city, incident, officer = logged
    planner = user_with_role(Role.PLAN_ADMIN, city.sub)
    with pytest.raises(NotPermitted, match="港北区"):
        dutylog.duty_log_write(actor=planner, incident=incident, text="x")
    stranger = user_with_role(Role.DUTY_OFFICER, UnitFactory(code="far", parent=city.top))
    with pytest.raises(NotFound):
        dutylog.duty_log_write(actor=stranger, incident=incident, text="x")
    with pytest.raises(ValidationFailed) as refused:
        dutylog.duty_log_write(actor=officer, incident=incident, text="x",
                               happened_at=timezone.now() + timedelta(hours=1))
    assert "happened_at" in refused.value.fields
    with pytest.raises(ValidationFailed):
        dutylog.duty_log_write(actor=officer, incident=incident, text="   ")
    other = incident_in(city)
    elsewhere = dutylog.duty_log_write(actor=officer, incident=other, text="另一事件")
    with pytest.raises(ValidationFailed) as refused:
        dutylog.duty_log_write(actor=officer, incident=incident, text="更正", corrects=elsewhere)
    assert "corrects" in refused.value.fields
    assert DutyLogEntry.objects.filter(incident=incident).count() == 0


def test_the_command_post_writes_in_the_log_and_the_response_timeline_is_its_own(logged):
    city, incident, officer = logged
    response, commander = _responding(city, incident)
    post = command.post_open(actor=commander, response=response, name="现场指挥部", location="物流园东门")
    command.group_add(actor=commander, post=post, kind="rescue", lead_department=city.other)
    member = user_with_role(Role.LEAD_OFFICER, city.top, department=city.other)
    assert dutylog.writer_unit(member, incident) == city.top.pk
    command.order_issue(actor=commander, response=response, text="组织搜救", department=city.lead)
    entry = dutylog.duty_log_write(actor=member, incident=incident, response=response, text="搜救组已到位")
    dutylog.duty_log_write(actor=officer, incident=incident, text="值班室接报")  # the incident's, not the response's
    items = timeline(incident=incident, response=response)
    assert {"order", "command", "decision", "report", "entry"} <= {item.kind for item in items}
    assert [item.entry_id for item in items if item.entry_id] == [entry.pk]
    assert len([i for i in timeline(incident=incident) if i.entry_id]) == 2


def test_filters_by_kind_and_time(logged):
    city, incident, officer = logged
    now = timezone.now()
    old = dutylog.duty_log_write(actor=officer, incident=incident, text="早", happened_at=now - timedelta(hours=3))
    new = dutylog.duty_log_write(actor=officer, incident=incident, text="晚", happened_at=now - timedelta(minutes=1))
    entries = timeline(incident=incident, filters=Filters(kinds=frozenset({"entry"})))
    assert [i.entry_id for i in entries] == [old.pk, new.pk]
    recent = timeline(incident=incident, filters=Filters(since=now - timedelta(hours=1)))
    assert new.pk in [i.entry_id for i in recent] and old.pk not in [i.entry_id for i in recent]
    assert {i.kind for i in timeline(incident=incident, filters=Filters(kinds=frozenset({"report"})))} == {"report"}


def _pages(client, incident):
    return [f"/incidents/{incident.pk}/duty-log/", f"/incidents/{incident.pk}/duty-log/document.csv",
            reverse("api:incident-duty-log", args=[incident.pk])]


def test_the_query_count_does_not_grow_with_the_log(logged, client):
    city, incident, officer = logged
    client.force_login(officer)

    def counts():
        out = []
        for url in _pages(client, incident):
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            out.append(len(queries))
        return out

    for n in range(10):
        dutylog.duty_log_write(actor=officer, incident=incident, text=f"记录{n}")
    few = counts()
    for n in range(190):
        dutylog.duty_log_write(actor=officer, incident=incident, text=f"记录{n}")
    assert counts() == few, few


def test_csv_and_pdf_read_back(logged, client):
    city, incident, officer = logged
    first = dutylog.duty_log_write(actor=officer, incident=incident, text="三号仓起火，已报119")
    fixed = dutylog.duty_log_write(actor=officer, incident=incident, text="三号仓起火，已报119、120", corrects=first)
    client.force_login(officer)
    answer = client.get(f"/incidents/{incident.pk}/duty-log/document.csv")
    assert answer.content.startswith("\ufeff".encode()) and "attachment" in answer["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(answer.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["时间", "类别", "内容"], rows[0]
    texts = [row[3] for row in rows[1:]]
    assert "三号仓起火，已报119" in texts and "三号仓起火，已报119、120" in texts
    marked = [row for row in rows if row[3] == "三号仓起火，已报119"][0]
    local = timezone.localtime(first.happened_at).strftime("%Y年%m月%d日 %H:%M")
    assert marked[0] == local and marked[6] == f"已由第{fixed.pk}号记录更正", marked  # Beijing time, and marked corrected
    pdf = client.get(f"/incidents/{incident.pk}/duty-log/document.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    text = _pdf_text(pdf.content)
    assert "仓库爆炸" in text and "值班日志" in text and "三号仓起火" in text, text
    only = client.get(f"/incidents/{incident.pk}/duty-log/document.csv?kind=entry")
    assert len(list(csv.reader(io.StringIO(only.content.decode("utf-8-sig"))))) == 3


def test_the_api_lists_paged_and_writes_through_the_operation(logged, api_as):
    city, incident, officer = logged
    api = api_as(officer)
    made = api.post(reverse("api:incident-response-log-entry", args=[incident.pk]), {"text": "API记录"},
                    format="json")
    assert made.status_code == 201, made.content
    fixed = api.post(reverse("api:incident-response-log-entry", args=[incident.pk]),
                     {"text": "API记录（更正）", "corrects": made.json()["id"]}, format="json")
    assert fixed.status_code == 201 and fixed.json()["corrects"] == made.json()["id"]
    listed = api.get(reverse("api:incident-duty-log", args=[incident.pk]), {"kind": "entry", "page_size": 1})
    body = listed.json()
    assert listed.status_code == 200 and body["count"] == 2 and len(body["results"]) == 1
    assert body["results"][0]["corrected_by"] == fixed.json()["id"]
    bad = api.get(reverse("api:incident-duty-log", args=[incident.pk]), {"since": "昨天"})
    assert bad.status_code == 400 and "since" in bad.json()["error"]["fields"]
    refused = api_as(user_with_role(Role.PLAN_ADMIN, city.sub)).post(
        reverse("api:incident-response-log-entry", args=[incident.pk]), {"text": "x"}, format="json")
    assert refused.status_code == 403 and "港北区" in refused.json()["error"]["message"]


def test_another_units_officer_never_sees_the_log(logged, client, api_as):
    city, incident, officer = logged
    entry = dutylog.duty_log_write(actor=officer, incident=incident, text="机密值班记录")
    response, _commander = _responding(city, incident)
    far = UnitFactory(code="far", parent=city.top)
    stranger = user_with_role(Role.DUTY_OFFICER, far)
    own = incident_in(replace(city, sub=far))
    client.force_login(stranger)
    for url in [*_pages(client, incident), f"/incidents/{incident.pk}/duty-log/document.pdf",
                f"/responses/{response.pk}/duty-log/", f"/responses/{response.pk}/duty-log/document.csv",
                reverse("api:response-duty-log", args=[response.pk])]:
        assert client.get(url).status_code == 404, url
    api = api_as(stranger)
    foreign = api.post(reverse("api:incident-response-log-entry", args=[incident.pk]), {"text": "x"}, format="json")
    assert foreign.status_code == 404
    # naming the entry from an incident the stranger does see: refused like a missing id
    named = api.post(reverse("api:incident-response-log-entry", args=[own.pk]), {"text": "x", "corrects": entry.pk},
                     format="json")
    assert named.status_code == 400 and named.json()["error"]["fields"]["corrects"] == ["未找到。"], named.json()
    assert dutylog.entry_list(user=stranger).count() == 0
    hits = api.get("/api/v1/search/", {"q": "机密值班记录"}).json()
    assert not any(group["hits"] for group in hits["groups"]), hits
    assert "机密值班记录" not in client.get(f"/incidents/{own.pk}/duty-log/").content.decode()
    assert entry.pk not in [i.entry_id for i in timeline(incident=own)]


def test_an_entry_typed_like_a_formula_is_exported_as_text(logged, client):
    city, incident, officer = logged
    dutylog.duty_log_write(actor=officer, incident=incident, text='=HYPERLINK("http://evil.example","点此")')
    dutylog.duty_log_write(actor=officer, incident=incident, text="@SUM(1+1)")
    client.force_login(officer)
    answer = client.get(f"/incidents/{incident.pk}/duty-log/document.csv?kind=entry")
    texts = [row[3] for row in csv.reader(io.StringIO(answer.content.decode("utf-8-sig")))][1:]
    assert sorted(texts) == ["'=HYPERLINK(\"http://evil.example\",\"点此\")", "'@SUM(1+1)"], texts
