"""Issue 15's defects on the incident pages, each with the test that would have caught it: figure labels
were raw keys (`deaths (人)`), English pages kept Chinese units and reasons, a 5,000-character title was
cut to 200 by the browser, `area_ha=1e308` was graded I, a post over 2 MB lost the typing, a correction
of the initial report showed as a second 首报; and the grading table is edited from its page."""
from urllib.parse import urlencode

import pytest
from django.urls import reverse
from django.utils import timezone

from emergency.org.roles import Role
from incidents.grading.models import Criterion, ThresholdTable
from incidents.models import Incident

from .factories import user_with_role
from .response_helpers import incident_in, organisation

pytestmark = pytest.mark.django_db


@pytest.fixture
def city(grading_tables):
    return organisation("city")


@pytest.fixture
def officer(city):
    return user_with_role(Role.DUTY_OFFICER, city.sub)


def _zh(client, url):
    return client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()


def _form(city, **overrides):
    now = timezone.localtime().strftime("%Y-%m-%dT%H:%M")
    return {"unit": city.sub.pk, "type": "work_safety", "title": "仓库爆炸", "address": "港北区物流园",
            "occurred_at": now, "received_at": now, "body": "首报：仓库爆炸。", "metric_deaths": "3", **overrides}


def test_figures_are_labelled_by_name_and_unit_in_the_users_language(city, officer, client):
    client.force_login(officer)
    form = _zh(client, reverse("incident-new"))
    assert '死亡人数 <span class="muted">(人)</span>' in form
    assert "deaths (人)" not in form and "area_ha (公顷)" not in form and ">deaths<" not in form
    incident = incident_in(city)
    page = _zh(client, reverse("incident-detail", args=[incident.pk]))
    assert "死亡人数: <strong>3</strong> 人" in page
    english = client.get(reverse("incident-detail", args=[incident.pk]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Deaths: <strong>3</strong> people" in english
    reason = incident.grade_reasons[0]
    assert reason["wording_en"] and reason["wording_en"] in english and reason["wording"] not in english


def test_a_title_too_long_is_refused_with_its_reason_and_kept_not_cut(city, officer, client):
    client.force_login(officer)
    title = "长" * 5000
    answer = client.post(reverse("incident.log"), _form(city, title=title), HTTP_REFERER=reverse("incident-new"),
                         HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert answer.status_code == 302 and not Incident.objects.exists()
    page = _zh(client, answer["Location"])
    assert "请确保这个字段不能超过 200 个字符" in page and title in page
    assert 'maxlength="200"' not in page  # the browser would cut a paste silently


def test_an_address_too_long_is_refused_and_kept_not_cut(city, officer, client):
    client.force_login(officer)
    address = "港北区" * 400
    answer = client.post(reverse("incident.log"), _form(city, address=address), HTTP_REFERER=reverse("incident-new"),
                         HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert answer.status_code == 302 and not Incident.objects.exists()
    page = _zh(client, answer["Location"])
    assert "请确保这个字段不能超过" in page and address in page


def test_a_figure_beyond_its_bound_is_refused_beside_it(city, officer, client):
    client.force_login(officer)
    answer = client.post(reverse("incident.log"), _form(city, type="forest_fire", metric_area_ha="1e308"),
                         HTTP_REFERER=reverse("incident-new"))
    assert not Incident.objects.exists()
    page = _zh(client, answer["Location"])
    assert "不得超过 1,000,000,000" in page


def test_a_post_over_two_megabytes_keeps_the_rest_of_the_form_and_says_what_was_too_large(city, officer, client):
    client.force_login(officer)
    body = "报" * 300_000  # 2.6 MB as a form posts it
    answer = client.post(reverse("incident.log"), urlencode(_form(city, body=body, title="港北区仓库爆炸")),
                         content_type="application/x-www-form-urlencoded", HTTP_REFERER="http://testserver" + reverse("incident-new"), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert answer.status_code == 302 and not Incident.objects.exists()
    page = _zh(client, answer["Location"]).replace("\xa0", " ")
    assert "表单超过 2.0 MB，未能保存" in page and "其余已填写的内容保留在下方" in page
    assert 'value="港北区仓库爆炸"' in page and "此项内容为 2.6 MB" in page
    assert "<html" in page  # the platform's page, not a bare text answer


def test_a_correction_of_the_initial_report_says_so_and_is_no_second_initial_report(city, officer, client):
    incident = incident_in(city)
    client.force_login(officer)
    first = incident.reports.get()
    answer = client.post(reverse("report.correct", args=[first.pk]),
                         {"correction_reason": "死亡人数核实为2人", "body": "首报更正：仓库爆炸致2人死亡。"})
    assert answer.status_code == 302
    page = _zh(client, reverse("incident-detail", args=[incident.pk]))
    assert "#2 更正（首报 #1）" in page and "#2 首报" not in page


def test_the_grading_table_is_edited_from_its_page_by_its_administrators(city, client):
    admin = user_with_role(Role.PLAN_ADMIN, city.top)
    client.force_login(user_with_role(Role.DUTY_OFFICER, city.top))
    client.post(reverse("threshold-table.draft"), {"note": "年度修订"})
    assert not ThresholdTable.objects.filter(organisation=city.top, state="draft").exists()
    client.force_login(admin)
    answer = client.post(reverse("threshold-table.draft"), {"note": "年度修订"})
    draft = ThresholdTable.objects.get(organisation=city.top, state="draft")
    assert answer["Location"] == reverse("grading-table", args=[draft.pk])
    page = _zh(client, answer["Location"])
    assert 'data-testid="threshold-table-add-criterion-form"' in page and "remove-criterion-" in page
    client.post(reverse("threshold-table.add-criterion", args=[draft.pk]), {
        "type": "marine", "grade": "II", "wording": "海上遇险人员100人以上", "conditions": "endangered gte 100"})
    added = Criterion.objects.get(table=draft, wording="海上遇险人员100人以上")
    assert [(c.metric.key, c.op, int(c.value)) for c in added.conditions.all()] == [("endangered", "gte", 100)]
    client.post(reverse("criterion.remove", args=[added.pk]))
    assert not Criterion.objects.filter(pk=added.pk).exists()
    refused = client.post(reverse("threshold-table.add-criterion", args=[draft.pk]),
                          {"type": "marine", "grade": "II", "wording": "无条件"}, HTTP_REFERER=answer["Location"])
    assert "须包含数值条件" in _zh(client, refused["Location"])
    client.post(reverse("threshold-table.run-cases", args=[draft.pk]))
    client.post(reverse("threshold-table.publish", args=[draft.pk]))
    draft.refresh_from_db()
    assert draft.state == "published"
    assert 'threshold-table-add-criterion-form' not in _zh(client, reverse("grading-table", args=[draft.pk]))


def test_the_report_forms_are_offered_by_right_and_the_api_takes_the_same_operations(city, officer, client, api_as):
    incident = incident_in(city)
    planner = user_with_role(Role.PLAN_ADMIN, city.sub)
    client.force_login(planner)
    page = _zh(client, reverse("incident-detail", args=[incident.pk]))
    assert 'data-testid="report-form"' not in page and "send-report-1-form" not in page
    api = api_as(officer)
    report = incident.reports.get()
    sent = api.post(reverse("api:incident-report-send", args=[report.pk]), format="json")
    assert sent.status_code == 201 and sent.json()["dispatches"][0]["route"] == "superior"
    again = api.post(reverse("api:incident-report-send", args=[report.pk]), format="json")
    assert again.status_code == 409
    final = api.post(reverse("api:incident-report", args=[incident.pk]), {"kind": "final", "body": "终报"},
                     format="json")
    assert final.status_code == 201
    client.force_login(officer)
    page = _zh(client, reverse("incident-detail", args=[incident.pk]))
    assert 'data-testid="report-form"' not in page  # the final report is in: corrections only
    assert "correct-report-1-form" in page
