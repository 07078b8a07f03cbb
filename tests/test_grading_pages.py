"""Administrators draft, test and publish the grading standard in the browser pages; others read it."""
import pytest
from django.urls import reverse

from emergency.org.roles import Role
from incidents.grading.models import ThresholdTable

pytestmark = pytest.mark.django_db


def test_an_admin_drafts_runs_and_publishes_a_table(org, make_user, client):
    client.force_login(make_user(Role.PLAN_ADMIN, org.a))
    response = client.post(reverse("threshold-table.draft"), {"note": "年度修订"}, follow=True)
    draft = ThresholdTable.objects.get(state="draft")
    assert response.status_code == 200 and "年度修订" in response.content.decode()
    page = client.post(reverse("threshold-table.publish", args=[draft.pk]), follow=True).content.decode()
    assert "发布前须用已保存的测试用例" in page
    page = client.post(reverse("threshold-table.run-cases", args=[draft.pk]), follow=True).content.decode()
    assert "0 failed" in page or "0 个失败" in page or 'data-testid="last-run"' in page
    client.post(reverse("threshold-table.publish", args=[draft.pk]))
    draft.refresh_from_db()
    assert draft.state == "published"


def test_everyone_reads_the_standard_and_only_admins_change_it(org, make_user, client):
    client.force_login(make_user(Role.DUTY_OFFICER, org.a1))
    table = ThresholdTable.objects.get(state="published")
    page = client.get(reverse("grading-table", args=[table.pk]))
    assert page.status_code == 200 and "森林火灾" in page.content.decode()
    client.post(reverse("threshold-table.draft"))
    assert not ThresholdTable.objects.filter(state="draft").exists()


def test_the_table_page_keeps_a_constant_query_count(org, make_user, client, django_assert_max_num_queries):
    client.force_login(make_user(Role.DUTY_OFFICER, org.a1))
    table = ThresholdTable.objects.get(state="published")
    with django_assert_max_num_queries(12):
        client.get(reverse("grading-table", args=[table.pk]))
