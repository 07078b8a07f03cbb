"""The plan hierarchy: the tree, approval routes step by step with the right people, immutable
editions, revisions on the full or simplified route, drills and evaluations moving the due dates."""
import threading
from datetime import date, timedelta

import pytest
from django.db import connection, connections, transaction
from django.db.utils import InternalError, ProgrammingError
from django.urls import reverse
from django.utils import timezone

from emergency.errors import Conflict, NotFound, NotPermitted, ValidationFailed
from emergency.org.roles import Role
from emergency.timers.models import TimedDuty
from plans import duties, services
from plans.models import Plan, PlanEdition, RevisionRequest, StepRecord

from .factories import user_with_role
from .plan_helpers import plan_org

pytestmark = pytest.mark.django_db

SECTIONS = [{"title": "1 总则", "body": "适用于危险化学品事故。"}, {"title": "2 组织指挥体系", "body": "市应急局牵头。"}]


def _general(org):
    return services.plan_create(actor=org.admin, unit=org.top, plan_type="general", title="贵港市突发事件总体应急预案",
                                sections=SECTIONS)


def _special(org, general=None):
    general = general or _general(org)
    return services.plan_create(actor=org.admin, unit=org.top, plan_type="special", title="危险化学品事故专项应急预案",
                                parent=general, lead_department=org.lead, sections=SECTIONS)


def _people(org):
    return {"lead": user_with_role(Role.LEAD_OFFICER, org.top, department=org.lead),
            "principal": user_with_role(Role.PRINCIPAL, org.top), "admin": org.admin}


def _through(version, people, order):
    for who in order:
        step = services.next_step(version)
        if step.kind == "consultation" and not services.consultation_complete(version):
            _consult(version, people)
        services.step_take(actor=people[who], version=version, step=step, note=f"{step.name}完成")


def _consult(version, people):
    from emergency.org.models import Department

    department = Department.objects.filter(unit=version.plan.unit).first()
    plan_admin = user_with_role(Role.PLAN_ADMIN, version.plan.unit)
    (opinion,) = services.opinions_request(actor=plan_admin, version=version, departments=[department],
                                           due_on=timezone.localdate() + timedelta(days=7))
    services.opinion_record(actor=plan_admin, opinion=opinion, text="无意见")


def test_the_tree_rules_where_a_plan_may_sit():
    org = plan_org()
    general = _general(org)
    with pytest.raises(ValidationFailed) as error:
        services.plan_create(actor=org.admin, unit=org.top, plan_type="special", title="无上级", lead_department=org.lead)
    assert "parent" in error.value.fields
    with pytest.raises(ValidationFailed) as error:
        services.plan_create(actor=org.admin, unit=org.top, plan_type="special", title="缺牵头部门", parent=general)
    assert "lead_department" in error.value.fields
    county = services.plan_create(actor=user_with_role(Role.PLAN_ADMIN, org.sub), unit=org.sub, plan_type="general",
                                  title="港北区总体应急预案", parent=general)
    assert county.parent == general
    with pytest.raises(NotPermitted):
        services.plan_create(actor=user_with_role(Role.DUTY_OFFICER, org.top), unit=org.top, plan_type="general",
                             title="x")


def test_a_special_plan_goes_through_its_route_to_published_and_filed():
    org = plan_org()
    plan = _special(org)
    people = _people(org)
    version = services.version_submit(actor=org.admin, version=plan.versions.get())
    assert [s.kind for s in version.route.steps.all()] == [
        "consultation", "expert_review", "approval", "publication", "filing"]
    with pytest.raises(NotPermitted) as refused:  # consultation is the lead department's
        services.step_take(actor=people["principal"], version=version, step=services.next_step(version))
    assert "市应急管理局" in str(refused.value.message)
    approval = version.route.steps.get(kind="approval")
    with pytest.raises(Conflict):  # out of order
        services.step_take(actor=people["principal"], version=version, step=approval)
    _through(version, people, ["lead", "lead", "principal"])
    plan.refresh_from_db()
    assert plan.state == "in_route" and plan.published_edition is None
    _through(version, people, ["admin"])  # issued in the name of the government office
    plan.refresh_from_db()
    assert plan.state == "published" and plan.published_edition.sections == SECTIONS
    assert plan.next_drill_due == date.today().replace(year=date.today().year + 3) or plan.next_drill_due
    assert TimedDuty.objects.filter(kind=duties.KINDS["filing"], state="scheduled", subject_id=plan.pk).exists()
    _through(version, people, ["lead"])
    assert not TimedDuty.objects.filter(kind=duties.KINDS["filing"], state="scheduled", subject_id=plan.pk).exists()
    assert StepRecord.objects.filter(version=version).count() == 5
    with pytest.raises(Conflict):
        services.step_take(actor=people["lead"], version=version, step=version.route.steps.first())


def test_a_step_needs_the_role_in_the_right_unit():
    org = plan_org()
    plan = _general(org)
    version = services.version_submit(actor=org.admin, version=plan.versions.get())
    _through(version, _people(org), ["admin"])
    approval = services.next_step(version)
    for wrong in (user_with_role(Role.PRINCIPAL, org.sub), user_with_role(Role.COMMANDER, org.top)):
        with pytest.raises((NotPermitted, NotFound)):
            services.step_take(actor=wrong, version=version, step=approval)
    services.step_take(actor=user_with_role(Role.PRINCIPAL, org.top), version=version, step=approval)


def test_two_approvers_at_once_one_records_the_other_gets_a_conflict(transactional_db):
    org = plan_org()
    plan = _general(org)
    version = services.version_submit(actor=org.admin, version=plan.versions.get())
    _through(version, _people(org), ["admin"])
    approval = services.next_step(version)
    principals = [user_with_role(Role.PRINCIPAL, org.top) for _ in range(2)]
    barrier, results = threading.Barrier(2), []

    def approve(user):
        try:
            barrier.wait()
            results.append(services.step_take(actor=user, version=version, step=approval))
        except Conflict as conflict:
            results.append(conflict)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=approve, args=(u,)) for u in principals]
    [t.start() for t in threads]
    [t.join() for t in threads]
    assert sorted(type(r).__name__ for r in results) == ["Conflict", "StepRecord"]
    assert StepRecord.objects.filter(version=version, step=approval).count() == 1


def test_a_published_edition_never_changes_and_revisions_take_the_right_route():
    org = plan_org()
    plan = _general(org)
    people = _people(org)
    version = services.version_submit(actor=org.admin, version=plan.versions.get())
    _through(version, people, ["admin", "principal", "admin", "admin"])
    edition = PlanEdition.objects.get(plan=plan)
    for statement in ("UPDATE plans_planedition SET sections = '[]' WHERE id = %s",
                      "DELETE FROM plans_planedition WHERE id = %s"):
        with pytest.raises((InternalError, ProgrammingError)), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement, [edition.pk])
    minor = services.version_start(actor=org.admin, plan=plan, change_summary="扩大适用范围",
                                   sections=[{"title": "1 总则", "body": "适用于危险化学品和烟花爆竹事故。"}] + SECTIONS[1:])
    minor = services.version_submit(actor=org.admin, version=minor)
    assert minor.route.simplified and [s.kind for s in minor.route.steps.all()] == ["approval", "filing"]
    assert not minor.touches_key_content and "“1 总则”" in minor.major_basis
    _through(minor, people, ["principal", "admin"])
    plan.refresh_from_db()
    assert plan.published_edition.number == 2 and PlanEdition.objects.get(number=1).sections == SECTIONS
    from django.test import Client

    client = Client()
    client.force_login(org.admin)
    page = client.get(reverse("plan-detail", args=[plan.pk])).content.decode()
    assert "第1版至第2版的变化" in page and "+适用于危险化学品和烟花爆竹事故。" in page and "-适用于危险化学品事故。" in page
    major = services.version_start(actor=org.admin, plan=plan, change_summary="调整指挥体系",
                                   sections=SECTIONS[:1] + [{"title": "2 组织指挥体系", "body": "市应急管理局牵头。"}])
    major = services.version_submit(actor=org.admin, version=major)
    assert not major.route.simplified and major.touches_key_content and "组织指挥" in major.major_basis


def test_drills_and_evaluations_move_the_due_dates_and_their_reminders():
    org = plan_org()
    plan = _special(org)
    people = _people(org)
    version = services.version_submit(actor=org.admin, version=plan.versions.get())
    _through(version, people, ["lead", "lead", "principal", "admin"])
    plan.refresh_from_db()
    first_due = plan.next_drill_due
    reminders = TimedDuty.objects.filter(kind=duties.KINDS["drill"], subject_id=plan.pk, state="scheduled")
    assert reminders.count() == 4  # 90, 30, 7 days before, and the first overdue day
    held = timezone.localdate() - timedelta(days=1)
    services.drill_record(actor=org.admin, plan=plan, kind="tabletop", held_on=held, findings="通信保障不足",
                          revision_needed=True)
    plan.refresh_from_db()
    assert plan.next_drill_due == held.replace(year=held.year + 3) and plan.next_drill_due != first_due
    assert TimedDuty.objects.filter(kind=duties.KINDS["drill"], subject_id=plan.pk, state="scheduled").count() == 4
    assert all(d.payload["due"] == plan.next_drill_due.isoformat() for d in
               TimedDuty.objects.filter(kind=duties.KINDS["drill"], subject_id=plan.pk, state="scheduled"))
    assert plan.revision_requests.get().trigger == RevisionRequest.Trigger.LESSONS
    services.evaluation_record(actor=org.admin, plan=plan, held_on=held, conclusion="revise", findings="风险变化")
    assert plan.revision_requests.count() == 2


def test_anyone_may_suggest_a_revision_with_one_of_the_seven_triggers():
    """City plan 5.4 4): "各级政府及其部门、企事业单位、社会团体、公民等,可以向有关预案编制单位提出修订建议" —
    a county official files against the city plan; only another organisation's user is answered as missing."""
    org = plan_org()
    plan = _general(org)
    county = services.revision_request_file(actor=user_with_role(Role.DUTY_OFFICER, org.sub), plan=plan,
                                            trigger="risk_changed", description="辖区新建化工园区")
    assert county.plan == plan and county.state == "open"
    with pytest.raises(NotFound):
        services.revision_request_file(actor=user_with_role(Role.DUTY_OFFICER, plan_org("customs").top), plan=plan,
                                       trigger="risk_changed", description="x")
    officer = user_with_role(Role.DUTY_OFFICER, org.top)
    request = services.revision_request_file(actor=officer, plan=plan, trigger="risk_changed", description="新建化工园区")
    with pytest.raises(ValidationFailed):
        services.revision_request_file(actor=officer, plan=plan, trigger="boredom", description="x")
    with pytest.raises(NotPermitted):
        services.revision_request_close(actor=officer, request=request, state="done", resolution="x")
    services.revision_request_close(actor=org.admin, request=request, state="done", resolution="已纳入2027年修订")
    assert len(RevisionRequest.Trigger.values) == 7


def test_the_tree_page_keeps_a_constant_query_count(client, django_assert_max_num_queries):
    org = plan_org()
    general = _general(org)
    client.force_login(org.admin)
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("plan-tree"))
    for n in range(20):
        services.plan_create(actor=org.admin, unit=org.top, plan_type="special", title=f"专项预案{n}", parent=general,
                             lead_department=org.lead)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(reverse("plan-tree"))
    assert "专项预案19" in page.content.decode()
    assert client.get(reverse("plan-detail", args=[general.pk])).status_code == 200


def test_the_plan_api_lists_the_tree_and_takes_steps(api_as):
    org = plan_org()
    general = _general(org)
    client = api_as(org.admin)
    created = client.post(reverse("api:plan-list"), {"unit": org.top.pk, "plan_type": "special", "title": "防汛专项预案",
                                                     "parent": general.pk, "lead_department": org.lead.pk,
                                                     "sections": SECTIONS}, format="json")
    assert created.status_code == 201, created.json()
    bad = client.post(reverse("api:plan-list"), {"unit": org.top.pk, "plan_type": "special", "title": "无上级"},
                      format="json")
    assert bad.status_code == 400 and "parent" in bad.json()["error"]["fields"]
    rows = client.get(reverse("api:plan-list")).json()["results"]
    assert [(r["title"], r["depth"]) for r in rows] == [("贵港市突发事件总体应急预案", 0), ("防汛专项预案", 1)]
    submitted = client.post(reverse("api:plan-submit", args=[general.pk])).json()
    assert submitted["state"] == "in_route"
    version = general.versions.get()
    step = services.next_step(version)
    _consult(version, None)
    taken = client.post(reverse("api:plan-steps", args=[general.pk]), {"step": step.pk}, format="json")
    assert taken.status_code == 201
    wrong = client.post(reverse("api:plan-steps", args=[general.pk]), {"step": services.next_step(version).pk},
                        format="json")
    assert wrong.status_code == 403
    outsider = api_as(user_with_role(Role.PLAN_ADMIN, plan_org("customs").top))
    assert outsider.get(reverse("api:plan-detail", args=[general.pk])).status_code == 404


def test_consultation_needs_every_requested_opinion_and_the_department_answers_for_itself():
    from emergency.org.models import Department

    org = plan_org()
    plan = _special(org)
    version = services.version_submit(actor=org.admin, version=plan.versions.get())
    lead = user_with_role(Role.LEAD_OFFICER, org.top, department=org.lead)
    with pytest.raises(Conflict):
        services.step_take(actor=lead, version=version, step=services.next_step(version))
    other = Department.objects.create(unit=org.top, code="p-finance", name="市财政局")
    opinions = services.opinions_request(actor=org.admin, version=version, departments=[org.lead, other],
                                         due_on=timezone.localdate() + timedelta(days=5))
    assert TimedDuty.objects.filter(kind=duties.OPINION_REMIND, subject_id=version.pk, state="scheduled").exists()
    with pytest.raises(NotPermitted):
        services.opinion_record(actor=lead, opinion=opinions[1], text="财政意见")
    services.opinion_record(actor=lead, opinion=opinions[0], text="同意")
    with pytest.raises(Conflict):
        services.step_take(actor=lead, version=version, step=services.next_step(version))
    services.opinion_record(actor=user_with_role(Role.LEAD_OFFICER, org.top, department=other), opinion=opinions[1],
                            text="经费可保障")
    services.step_take(actor=lead, version=version, step=services.next_step(version))
    assert services.next_step(version).kind == "expert_review"


def test_work_manual_tasks_break_duties_down(api_as):
    org = plan_org()
    plan = _special(org)
    task = services.task_add(actor=org.admin, plan=plan, department=org.lead, task="组织危化品事故现场监测",
                             responsible_unit=org.sub, responsible_person="张三（演示）")
    assert plan.tasks.get() == task
    blank = api_as(org.admin).post(reverse("api:plan-tasks", args=[plan.pk]), {
        "department": org.lead.pk, "task": " ", "responsible_unit": org.sub.pk, "responsible_person": "x"},
        format="json")
    assert blank.status_code == 400 and "task" in blank.json()["error"]["fields"] and plan.tasks.count() == 1


def test_a_plan_is_retired_with_its_reminders_and_the_pager_keeps_the_filters(client):
    org = plan_org()
    general = _general(org)
    special = _special(org, general)
    with pytest.raises(Conflict):
        services.plan_retire(actor=org.admin, plan=general, reason="被新预案替代")
    Plan.objects.filter(pk=special.pk).update(next_drill_due=timezone.localdate() + timedelta(days=40))
    special.refresh_from_db()
    duties.due_set(plan=special, what="drill", due_on=special.next_drill_due)
    services.plan_retire(actor=org.admin, plan=special, reason="职责调整，并入总体预案")
    assert not TimedDuty.objects.filter(subject_id=special.pk, state="scheduled", kind__startswith="plans.").exists()
    for n in range(301):
        Plan.objects.create(unit=org.top, plan_type="grassroots", title=f"基层预案{n}", parent=general,
                            created_by=org.admin)
    client.force_login(org.admin)
    page = client.get(reverse("plan-tree"), {"type": "grassroots"}).content.decode()
    assert "?type=grassroots&amp;page=2" in page
