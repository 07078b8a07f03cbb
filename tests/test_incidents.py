"""Logging incidents, their immutable reports, sending them up, releases, grades, and scoping."""
from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.db.utils import InternalError, ProgrammingError
from django.urls import reverse
from django.utils import timezone

from emergency.audit.models import AuditEntry
from emergency.errors import Conflict, NotFound, NotPermitted, ValidationFailed
from emergency.notify.models import Notification
from emergency.org.roles import Role
from emergency.timers.models import TimedDuty
from incidents import deadlines, releases, services
from incidents.models import Incident, IncidentReport, PublicRelease, ReportingDeadline

pytestmark = pytest.mark.django_db


def log(actor, unit, **overrides):
    now = timezone.now()
    values = {"type_code": "work_safety", "title": "化工厂爆炸", "address": "港北区工业园", "occurred_at": now,
              "received_at": now, "body": "首报：爆炸致3人死亡。", "metrics": {"deaths": 3}}
    values.update(overrides)
    return services.incident_log(actor=actor, unit=unit, **values)


@pytest.fixture
def officer(org, make_user):
    return make_user(Role.DUTY_OFFICER, org.a1)


def test_logging_grades_the_incident_and_files_its_initial_report(org, officer):
    incident = log(officer, org.a1)
    assert incident.number.startswith(f"A-{timezone.localtime().year}-")
    assert incident.grade == "III" and incident.grade_reasons[0]["grade"] == "III"
    assert incident.grade_table.state == "published"
    (report,) = incident.reports.all()
    assert report.kind == IncidentReport.Kind.INITIAL and report.sequence == 1
    assert report.grade == "III" and report.metrics == {"deaths": 3}
    assert AuditEntry.objects.filter(action="incident.log", object_id=str(incident.pk)).count() == 1


def test_the_reporting_deadlines_run_from_receipt(org, officer):
    received = timezone.now() - timedelta(minutes=10)
    incident = log(officer, org.a1, received_at=received, occurred_at=received)
    due = {d.kind: d.due_at for d in incident.deadlines.all()}
    assert due == {"superior_report": received + timedelta(hours=1), "public_release": received + timedelta(hours=5)}
    panic = log(officer, org.a1, may_cause_panic=True)
    assert panic.deadlines.get(kind="press_conference").due_at == panic.received_at + timedelta(hours=24)
    superior = incident.deadlines.get(kind="superior_report")
    duties = TimedDuty.objects.filter(subject_type="incidents.reportingdeadline", subject_id=superior.pk)
    assert sorted((d.kind, d.due_at) for d in duties) == sorted([
        (deadlines.REMIND, superior.due_at - timedelta(minutes=15)),
        (deadlines.REMIND, superior.due_at - timedelta(minutes=5)),
        (deadlines.DUE, superior.due_at),
    ])


@pytest.mark.parametrize("overrides, field", [
    ({"latitude": 95, "longitude": 100}, "latitude"),
    ({"latitude": 23.1}, "longitude"),
    ({"received_at": timezone.now() + timedelta(hours=2)}, "received_at"),
    ({"occurred_at": timezone.now(), "received_at": timezone.now() - timedelta(hours=1)}, "received_at"),
    ({"metrics": {"deaths": -1}}, "metrics.deaths"),
    ({"type_code": "volcano"}, "type"),
])
def test_bad_input_changes_nothing(org, officer, overrides, field):
    with pytest.raises(ValidationFailed) as error:
        log(officer, org.a1, **overrides)
    assert field in error.value.fields
    assert not Incident.objects.exists() and not TimedDuty.objects.exists()


@pytest.mark.parametrize("overrides, field", [
    ({"title": " "}, "title"), ({"body": ""}, "body"), ({"title": "长" * 5000}, "title"),
    ({"address": "址" * 301}, "address"), ({"metrics": {"area_ha": "1e308"}}, "metrics.area_ha"),
    ({"metrics": {"deaths": 10**12}}, "metrics.deaths"),
])
def test_the_operation_refuses_what_its_input_does_not_allow(org, officer, api_as, overrides, field):
    """Issue 15: a 5,000-character title is refused, not cut to 200; every figure has an upper bound
    (area_ha=1e308 was graded I)."""
    now = timezone.now().isoformat()
    body = {"unit": org.a1.pk, "type": "work_safety", "title": "化工厂爆炸", "address": "港北区工业园",
            "occurred_at": now, "received_at": now, "body": "首报", **overrides}
    answer = api_as(officer).post(reverse("api:incident-log"), body, format="json")
    assert answer.status_code == 400 and field in answer.json()["error"]["fields"], answer.json()
    assert not Incident.objects.exists()


def test_only_people_on_duty_in_the_unit_log_incidents(org, make_user):
    with pytest.raises(NotPermitted):
        log(make_user(Role.PLAN_ADMIN, org.a1), org.a1)
    with pytest.raises(NotFound):
        log(make_user(Role.DUTY_OFFICER, org.b), org.a1)
    assert log(make_user(Role.DUTY_OFFICER, org.a), org.a1a).unit == org.a1a  # a superior's officer may


def test_a_submitted_report_cannot_be_changed_even_in_the_database(org, officer):
    report = log(officer, org.a1).reports.get()
    for statement in ("UPDATE incidents_incidentreport SET body = 'x' WHERE id = %s",
                      "DELETE FROM incidents_incidentreport WHERE id = %s"):
        with pytest.raises((InternalError, ProgrammingError)), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement, [report.pk])
    report.body = "篡改"
    with pytest.raises((InternalError, ProgrammingError)), transaction.atomic():
        report.save()
    assert IncidentReport.objects.get(pk=report.pk).body == "首报：爆炸致3人死亡。"


def test_follow_up_reports_regrade_and_each_report_keeps_its_moment(org, officer):
    incident = log(officer, org.a1)
    follow = services.report_submit(actor=officer, incident=incident, kind="follow_up", body="续报：死亡人数升至12人。",
                                    metrics={"deaths": 12})
    incident.refresh_from_db()
    assert follow.sequence == 2 and follow.grade == incident.grade and incident.grade in ("I", "II")
    assert incident.reports.get(sequence=1).grade == "III"
    assert AuditEntry.objects.filter(action="incident.regrade").count() == 1


def test_a_correction_points_at_the_report_and_says_why(org, officer):
    incident = log(officer, org.a1)
    first = incident.reports.get()
    with pytest.raises(ValidationFailed) as error:
        services.report_submit(actor=officer, incident=incident, kind="follow_up", body="更正", corrects=first)
    assert "correction_reason" in error.value.fields
    correction = services.report_submit(actor=officer, incident=incident, kind="follow_up", body="事发地点更正为港南区",
                                        corrects=first, correction_reason="首报地点有误")
    assert correction.kind == "initial" and correction.corrects == first and correction.sequence == 2
    assert IncidentReport.objects.get(pk=first.pk).body == "首报：爆炸致3人死亡。"


def test_after_the_final_report_only_corrections(org, officer):
    incident = log(officer, org.a1)
    final = services.report_submit(actor=officer, incident=incident, kind="final", body="终报")
    with pytest.raises(Conflict):
        services.report_submit(actor=officer, incident=incident, kind="follow_up", body="再报")
    services.report_submit(actor=officer, incident=incident, kind="final", body="终报更正", corrects=final,
                           correction_reason="数字有误")
    with pytest.raises(ValidationFailed):
        services.report_submit(actor=officer, incident=incident, kind="initial", body="再首报")


def test_sending_up_reaches_the_superior_and_meets_the_hour(org, officer, make_user):
    superior_officer = make_user(Role.DUTY_OFFICER, org.a)
    incident = log(officer, org.a1a)
    report = incident.reports.get()
    (dispatch,) = services.report_send_up(actor=officer, report=report)
    assert dispatch.route == "superior" and dispatch.unit == org.a1
    deadline = incident.deadlines.get(kind="superior_report")
    assert deadline.state == ReportingDeadline.State.MET and deadline.met_by == officer
    assert not TimedDuty.objects.filter(subject_type="incidents.reportingdeadline", subject_id=deadline.pk,
                                        state="scheduled").exists()
    with pytest.raises(Conflict):
        services.report_send_up(actor=officer, report=report)
    assert not Notification.objects.filter(recipient=superior_officer).exists()  # a1's officers, not a's


def test_grade_one_and_two_also_go_straight_to_the_top(org, officer, make_user):
    top_officer = make_user(Role.DUTY_OFFICER, org.a)
    incident = log(officer, org.a1a, metrics={"deaths": 40})
    assert incident.grade in ("I", "II")
    sent = services.report_send_up(actor=officer, report=incident.reports.get())
    assert {(d.route, d.unit_id) for d in sent} == {("superior", org.a1.pk), ("top", org.a.pk)}
    assert Notification.objects.filter(recipient=top_officer).count() == 1


def test_a_top_unit_reports_to_the_body_outside_the_platform(org, make_user):
    org.a.superior_name = "自治区人民政府"
    org.a.save()
    officer = make_user(Role.DUTY_OFFICER, org.a)
    (dispatch,) = services.report_send_up(actor=officer, report=log(officer, org.a).reports.get())
    assert dispatch.unit is None and dispatch.recipient == "自治区人民政府"


def test_releases_meet_their_deadlines_on_time_or_late_once_approved(org, officer, make_user):
    """City 3.3.5 1) "最遲要在5小時內發佈權威信息…應於24小時內舉行新聞發佈會"; customs 3.3.5 "经审批对外发布":
    a draft meets nothing; the approved publication does, on time or late."""
    received = timezone.now() - timedelta(hours=6)
    incident = log(officer, org.a1, received_at=received, occurred_at=received, may_cause_panic=True)
    release = releases.release_draft(actor=officer, incident=incident, kind=PublicRelease.Kind.RELEASE,
                                     channel="贵港发布", text="权威发布")
    conference = releases.release_draft(actor=officer, incident=incident, kind=PublicRelease.Kind.PRESS_CONFERENCE,
                                        channel="市政府新闻发布厅", text="发布会")
    states = dict(incident.deadlines.values_list("kind", "state"))
    assert states["public_release"] == states["press_conference"] == "open"  # drafts meet nothing
    principal = make_user(Role.PRINCIPAL, org.a1)
    for draft in (release, conference):
        releases.release_decide(actor=principal, release=draft, approved=True)
    states = dict(incident.deadlines.values_list("kind", "state"))
    assert states["public_release"] == "met_late" and states["press_conference"] == "met"
    with pytest.raises(ValidationFailed):
        releases.release_draft(actor=officer, incident=incident, kind="tweet", channel="x", text="y")


def test_the_lead_department_sets_three_or_four_only_where_no_rule_decides(org, officer, make_user):
    lead = make_user(Role.LEAD_OFFICER, org.a1, department=org.a1.departments.first())
    undecided = log(officer, org.a1, type_code="forest_fire", metrics={"area_ha": 5})
    assert undecided.grade == ""
    with pytest.raises(ValidationFailed):
        services.incident_set_grade(actor=lead, incident=undecided, grade="II", reason="面积较大")
    with pytest.raises(ValidationFailed):
        services.incident_set_grade(actor=lead, incident=undecided, grade="IV", reason=" ")
    with pytest.raises(NotPermitted):
        services.incident_set_grade(actor=make_user(Role.PLAN_ADMIN, org.a1), incident=undecided, grade="IV",
                                    reason="x")
    graded = services.incident_set_grade(actor=lead, incident=undecided, grade="IV", reason="过火面积小，无人员伤亡")
    assert graded.grade == "IV" and graded.grade_set_by == lead
    with pytest.raises(Conflict):
        services.incident_set_grade(actor=lead, incident=log(officer, org.a1), grade="IV", reason="x")


def test_the_flag_for_public_panic_opens_the_press_conference_deadline(org, officer):
    incident = log(officer, org.a1)
    services.incident_flag_panic(actor=officer, incident=incident)
    services.incident_flag_panic(actor=officer, incident=incident)
    assert incident.deadlines.filter(kind="press_conference").count() == 1


# --- Deadlines fired in process ----------------------------------------------------------------

def _fire_all_due():
    from emergency.timers.services import duties_sweep

    return duties_sweep()


def test_a_missed_deadline_is_marked_late_and_escalates_to_the_superior(org, officer, make_user):
    superior_officer = make_user(Role.DUTY_OFFICER, org.a)
    commander = make_user(Role.COMMANDER, org.a1)
    received = timezone.now() - timedelta(hours=2)
    incident = log(officer, org.a1, received_at=received, occurred_at=received)
    assert _fire_all_due() == 1  # only the 1-hour deadline is due; its reminders were already past
    deadline = incident.deadlines.get(kind="superior_report")
    assert deadline.state == ReportingDeadline.State.LATE and deadline.missed_at
    assert Notification.objects.filter(recipient=superior_officer, title__startswith="迟报").count() == 1
    assert Notification.objects.filter(recipient=commander).count() == 1
    assert _fire_all_due() == 0
    services.report_send_up(actor=officer, report=incident.reports.get())
    deadline.refresh_from_db()
    assert deadline.state == ReportingDeadline.State.MET_LATE


def test_reminders_go_to_the_officer_and_the_unit_leaders(org, officer, make_user):
    principal = make_user(Role.PRINCIPAL, org.a1)
    incident = log(officer, org.a1)
    deadline = incident.deadlines.get(kind="superior_report")
    TimedDuty.objects.filter(kind=deadlines.REMIND, subject_id=deadline.pk).update(
        due_at=timezone.now() - timedelta(seconds=1))
    assert _fire_all_due() == 2
    assert Notification.objects.filter(recipient__in=[officer, principal]).count() == 4
    assert ReportingDeadline.objects.get(pk=deadline.pk).state == "open"


def test_a_met_deadline_never_fires(org, officer):
    incident = log(officer, org.a1)
    services.report_send_up(actor=officer, report=incident.reports.get())
    TimedDuty.objects.update(due_at=timezone.now() - timedelta(seconds=1))
    _fire_all_due()
    assert incident.deadlines.get(kind="superior_report").state == "met"
    assert not AuditEntry.objects.filter(action="incident.deadline.late",
                                         object_id=str(incident.deadlines.get(kind="superior_report").pk)).exists()


# --- API and scoping ------------------------------------------------------------------------------

def test_the_api_logs_an_incident_in_one_request(org, officer, api_as):
    now = timezone.now().isoformat()
    response = api_as(officer).post(reverse("api:incident-list"), {
        "unit": org.a1.pk, "type": "forest_fire", "title": "平天山林火", "address": "桂平市平天山",
        "latitude": "23.4", "longitude": "110.1", "occurred_at": now, "received_at": now,
        "metrics": {"area_ha": 1200}, "body": "首报：林火过火面积约1200公顷。"}, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["grade"] == "I" and body["reports"][0]["kind"] == "initial"
    assert {d["kind"] for d in body["deadlines"]} == {"superior_report", "public_release"}


def test_the_api_refuses_bad_input_in_chinese_and_creates_nothing(org, officer, api_as):
    now = timezone.now().isoformat()
    response = api_as(officer).post(reverse("api:incident-list"), {
        "unit": org.a1.pk, "type": "forest_fire", "title": "林火", "address": "某地", "occurred_at": now,
        "received_at": now, "metrics": {"area_ha": -3}, "body": "首报"}, format="json")
    assert response.status_code == 400
    assert response.json()["error"]["message"] == "部分指标未知或无效。"
    assert not Incident.objects.exists()


def test_users_see_only_their_own_units_incidents(org, officer, make_user, api_as):
    mine = log(officer, org.a1)
    theirs = log(make_user(Role.DUTY_OFFICER, org.b), org.b)
    client = api_as(officer)
    listed = [row["id"] for row in client.get(reverse("api:incident-list")).json()["results"]]
    assert listed == [mine.pk]
    assert client.get(reverse("api:incident-detail", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("api:incident-report", args=[theirs.pk]), {"body": "x"},
                       format="json").status_code == 404
    top = api_as(make_user(Role.COMMANDER, org.a))
    assert [row["id"] for row in top.get(reverse("api:incident-list")).json()["results"]] == [mine.pk]


def test_list_filters(org, officer, api_as):
    two_hours_ago = timezone.now() - timedelta(hours=2)
    late_one = log(officer, org.a1, received_at=two_hours_ago, occurred_at=two_hours_ago)
    fire = log(officer, org.a1a, type_code="forest_fire", metrics={"area_ha": 1500})
    _fire_all_due()
    client = api_as(officer)

    def ids(**params):
        return {row["id"] for row in client.get(reverse("api:incident-list"), params).json()["results"]}

    assert ids(type="forest_fire") == {fire.pk}
    assert ids(grade="I") == {fire.pk}
    assert ids(late="1") == {late_one.pk}
    assert ids(unit=org.a1a.pk) == {fire.pk}
    assert ids(status="reported") == {late_one.pk, fire.pk}
    late = client.get(reverse("api:late-deadlines")).json()
    assert [(row["incident"], row["kind"]) for row in late] == [(late_one.pk, "superior_report")]


def test_pages_keep_a_constant_query_count(org, officer, client, django_assert_max_num_queries):
    client.force_login(officer)
    log(officer, org.a1)
    with django_assert_max_num_queries(20) as few:
        assert client.get(reverse("incident-list")).status_code == 200
    for n in range(15):
        log(officer, org.a1, title=f"事件{n}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("incident-list"))
    incident = Incident.objects.first()
    for n in range(5):
        services.report_submit(actor=officer, incident=incident, kind="follow_up", body=f"续报{n}")
    with django_assert_max_num_queries(32):  # the release's approval and the reports' copies: one each
        page = client.get(reverse("incident-detail", args=[incident.pk]))
    assert page.status_code == 200 and "续报4" in page.content.decode()
