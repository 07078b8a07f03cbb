"""The plan pages and API through their operations (issue 14), the plan defects of issue 15 and
issue 19 item 17 (anyone may suggest a revision, city plan 5.4 4))."""
import pytest
from django.core.cache import cache
from django.urls import reverse

from emergency.notify.models import Notification
from emergency.org.roles import Role
from plans import services
from plans.loader import load_routes
from plans.models import ApprovalRoute, PlanVersion, RevisionRequest, RouteStep

from .factories import UnitFactory, user_with_role
from .plan_helpers import plan_org
from .test_plans import _general, _people, _through

pytestmark = pytest.mark.django_db

FOUR = [{"title": "1 总则", "body": "适用于本市突发事件。"}, {"title": "2 组织指挥体系", "body": "市应急委统一领导。"},
        {"title": "3 预防与预警", "body": "各部门开展风险评估。"}, {"title": "4 应急保障", "body": "财政保障经费。"}]
ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}


def _published(org):
    plan = services.plan_create(actor=org.admin, unit=org.top, plan_type="general", title="贵港市突发事件总体应急预案",
                                sections=FOUR)
    people = _people(org)
    _through(services.version_submit(actor=org.admin, version=plan.versions.get()), people,
             ["admin", "principal", "admin", "admin"])
    plan.refresh_from_db()
    return plan, people


def _text(sections):
    return "\n\n".join(f"## {s['title']}\n{s['body']}" for s in sections)


def test_revising_starts_from_the_current_text_and_saving_one_section_keeps_the_other_three(client):
    org = plan_org()
    plan, _people_ = _published(org)
    client.force_login(org.admin)
    page = client.get(reverse("plan-detail", args=[plan.pk]), **ZH).content.decode()
    form = page.split('data-testid="version-form"')[1].split("</form>")[0]
    assert all(s["title"] in form and s["body"] in form for s in FOUR)  # not an empty text area
    edited = [dict(s) for s in FOUR]
    edited[2]["body"] = "各部门每年开展风险评估。"
    client.post(reverse("plan.version", args=[plan.pk]), {"sections": _text(edited), "change_summary": "风险评估频次"})
    draft = plan.versions.get(state=PlanVersion.State.DRAFT)
    assert draft.sections == edited and draft.change_summary == "风险评估频次"


def test_whether_a_revision_is_major_is_read_from_what_it_changes_and_the_approver_may_overrule_it(client):
    """City plan 5.4 3): "修订涉及组织指挥体系与职责、应急处置程序、主要处置措施、响应分级标准等重要内容的,
    ...按照5.2...组织进行。仅涉及其他内容的,修订程序可适当简化。" """
    org = plan_org()
    plan, people = _published(org)
    edited = [dict(s) for s in FOUR]
    edited[3]["body"] = "财政部门保障应急经费。"
    minor = services.version_start(actor=org.admin, plan=plan, sections=edited, change_summary="保障表述")
    minor = services.version_submit(actor=org.admin, version=minor)
    assert minor.route.simplified and "“4 应急保障”" in minor.major_basis
    client.force_login(org.admin)  # the plan administrator is not the approver
    page = client.get(reverse("plan-detail", args=[plan.pk]), **ZH).content.decode()
    assert 'data-testid="reclassify"' not in page
    refused = client.post(reverse("plan.reclassify", args=[plan.pk]), {"major": "true", "reason": "x"}, follow=True,
                          **ZH).content.decode()
    assert "“报请本级政府批准”由贵港市的主要负责同志办理。" in refused  # the real reason: whose step it is
    client.force_login(people["principal"])
    page = client.get(reverse("plan-detail", args=[plan.pk]), **ZH).content.decode()
    assert 'data-testid="reclassify"' in page
    client.post(reverse("plan.reclassify", args=[plan.pk]), {"major": "true", "reason": "经费保障调整涉及职责分工"})
    minor.refresh_from_db()
    assert not minor.route.simplified and minor.touches_key_content and "经费保障调整涉及职责分工" in minor.major_basis
    assert services.next_step(minor).kind == RouteStep.Kind.CONSULTATION  # the full route, from its start


def test_the_plan_page_lists_the_editions_labels_the_old_one_superseded_and_diffs_in_chinese(client, api_as):
    org = plan_org()
    plan, people = _published(org)
    edited = [dict(s) for s in FOUR]
    edited[0]["body"] = "适用于本市行政区域内突发事件。"
    minor = services.version_submit(actor=org.admin, version=services.version_start(
        actor=org.admin, plan=plan, sections=edited[:3], change_summary="范围；删去保障"))
    _through(minor, people, ["principal", "admin"])
    client.force_login(org.admin)
    page = client.get(reverse("plan-detail", args=[plan.pk]), **ZH).content.decode()
    editions = page.split('data-testid="editions"')[1].split("</section>")[0]
    assert reverse("plan-edition", args=[plan.pk, 1]) in editions and reverse("plan-edition", args=[plan.pk, 2]) in editions
    assert "已被新版本替代" in page and "已撤回" not in page  # v1 is superseded, nobody withdrew it
    diff = page.split('data-testid="diff"')[1]
    assert "修改章节" in diff and "删除章节" in diff and ">changed<" not in diff and ">removed<" not in diff
    chosen = client.get(reverse("plan-diff", args=[plan.pk]), {"from": 1, "to": 2}, **ZH).content.decode()
    assert "+适用于本市行政区域内突发事件。" in chosen
    api = api_as(org.admin)
    assert [e["number"] for e in api.get(reverse("api:plan-editions", args=[plan.pk])).json()] == [1, 2]
    assert api.get(reverse("api:plan-edition", args=[plan.pk, 1])).json()["sections"] == FOUR
    answer = api.get(reverse("api:plan-diff", args=[plan.pk])).json()
    assert (answer["before"], answer["after"]) == (1, 2)
    assert {row["title"]: row["change"] for row in answer["sections"]} == {"1 总则": "changed", "4 应急保障": "removed"}


def test_a_just_filed_revision_request_awaits_handling(client):
    org = plan_org()
    plan, _people_ = _published(org)
    client.force_login(org.admin)
    client.post(reverse("plan.revision-requests", args=[plan.pk]), {"trigger": "risk_changed", "description": "新建园区"})
    page = client.get(reverse("plan-detail", args=[plan.pk]), **ZH).content.decode()
    state = page.split('data-testid="request-state">')[1].split("<")[0]
    assert state == "待处理"


def test_customs_routes_take_the_customs_plans_words_not_a_governments():
    """Customs plan 5.1: "西安海关相关部门组织编制西安海关层面专项应急预案、部门应急预案，按程序报批和印发" —
    a customs district has no 政府 to approve them or 政府办公室 to issue them."""
    customs = UnitFactory(code="edge-customs", name="西安海关")
    load_routes(customs, "routes_customs")
    names = list(RouteStep.objects.filter(route__organisation=customs).values_list("name", flat=True))
    assert names and not [n for n in names if "政府" in n]
    special = ApprovalRoute.objects.get(organisation=customs, plan_type="special", simplified=False)
    assert "按程序报批和印发" in special.wording
    assert [s.name for s in special.steps.all()][-1] == "按程序印发"


def test_plan_administrators_see_only_the_steps_they_may_take(client):
    org = plan_org()
    plan = _general(org)
    version = services.version_submit(actor=org.admin, version=plan.versions.get())
    people = _people(org)
    _through(version, people, ["admin"])  # consultation done; next: approval by the government's principal
    client.force_login(org.admin)
    page = client.get(reverse("plan-detail", args=[plan.pk]), **ZH).content.decode()
    assert 'data-testid="step-form"' not in page and 'data-testid="step-not-yours"' in page
    client.force_login(people["principal"])
    assert 'data-testid="step-form"' in client.get(reverse("plan-detail", args=[plan.pk])).content.decode()


def test_any_user_of_the_organisation_suggests_a_revision_of_a_superior_units_plan(client):
    """Issue 19 item 17, city plan 5.4 4): "各级政府及其部门、企事业单位、社会团体、公民等,可以向有关预案编制单位
    提出修订建议" — a county official files against the city plan; it reaches the plan's administrators."""
    org = plan_org()
    plan, _people_ = _published(org)
    county = user_with_role(Role.DUTY_OFFICER, org.sub)
    client.force_login(county)
    assert client.get(reverse("plan-detail", args=[plan.pk])).status_code == 404  # the city plan page is not theirs
    form = client.get(reverse("plan-suggest"), **ZH).content.decode()
    assert f'value="{plan.pk}"' in form
    client.post(reverse("revision_request.suggest"), {"plan": plan.pk, "trigger": "risk_changed",
                                                      "description": "港北区新建危化品仓储区"})
    request = RevisionRequest.objects.get(plan=plan)
    assert request.filed_by == county and request.state == "open"
    assert Notification.objects.filter(recipient=org.admin, kind="plan.revision_request").exists()
    stranger = user_with_role(Role.DUTY_OFFICER, plan_org("customs").top)
    client.force_login(stranger)
    assert f'value="{plan.pk}"' not in client.get(reverse("plan-suggest")).content.decode()
    client.post(reverse("revision_request.suggest"), {"plan": plan.pk, "trigger": "other", "description": "x"})
    assert RevisionRequest.objects.filter(plan=plan).count() == 1


def test_the_public_suggests_without_an_account_and_is_rate_limited(client):
    """City plan 5.4 4): "...公民等,可以向有关预案编制单位提出修订建议" — no account needed; an address may send
    a few an hour."""
    org = plan_org()
    plan, _people_ = _published(org)
    cache.delete("plans:public-suggestion:127.0.0.1")
    form = client.get(reverse("plan-public-suggest"), **ZH)
    assert form.status_code == 200 and plan.title in form.content.decode()
    body = {"plan": plan.pk, "trigger": "risk_changed", "description": "小区旁新建加油站", "name": "李女士",
            "contact": "13800000000"}
    done = client.post(reverse("plan-public-suggest"), body, **ZH)
    assert done.status_code == 200 and 'data-testid="public-suggestion-done"' in done.content.decode()
    request = RevisionRequest.objects.get(plan=plan)
    assert request.filed_by is None and request.public_name == "李女士" and request.source == "public"
    assert Notification.objects.filter(recipient=org.admin, kind="plan.revision_request").exists()
    missing = client.post(reverse("plan-public-suggest"), {**body, "name": ""}, **ZH)
    assert missing.status_code == 400 and "小区旁新建加油站" in missing.content.decode()  # typed text kept
    for _ in range(3):
        client.post(reverse("plan-public-suggest"), body)
    limited = client.post(reverse("plan-public-suggest"), body, **ZH)
    assert limited.status_code == 429 and "一小时" in limited.content.decode()
    assert RevisionRequest.objects.filter(plan=plan).count() == 4
    cache.delete("plans:public-suggestion:127.0.0.1")
