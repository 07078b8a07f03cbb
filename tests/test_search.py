"""The search box: Chinese by character bigrams, every kind, only the user's units, clear refusals,
the GIN indexes used, constant queries."""
from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone, translation

from alerts import services as alert_services
from emergency.org.roles import Role
from emergency.search import documents
from emergency.search.selectors import search
from emergency.search.sources import KINDS
from incidents import services as incident_services
from plans.models import Plan

from .factories import UnitFactory, user_with_role
from .response_helpers import organisation

pytestmark = pytest.mark.django_db


def _log(officer, unit, title, address, body):
    now = timezone.now()
    return incident_services.incident_log(actor=officer, unit=unit, type_code="work_safety", title=title,
                                          address=address, occurred_at=now, received_at=now, body=body,
                                          metrics={"deaths": 1})


@pytest.fixture
def world(grading_tables):
    city = organisation("city")
    officer = user_with_role(Role.DUTY_OFFICER, city.sub, full_name="覃海燕", phone="13877500001")
    fire = _log(officer, city.sub, "平天山森林火灾", "桂平市平天山林场", "首报：过火面积约120公顷，无人员伤亡。")
    _log(officer, city.sub, "港北区道路塌陷", "港北区建设路", "首报：路面塌陷约20平方米。")
    warning = alert_services.warning_draft(
        actor=officer, unit=city.sub, type_code="flood_drought", level=3, title="郁江洪水预警",
        signs="上游持续强降雨", points="郁江沿岸低洼地带", area_desc="港北区郁江沿岸", starts_at=timezone.now(),
        expected_end=timezone.now() + timedelta(days=2))
    plan = Plan.objects.create(unit=city.sub, title="港北区防汛抗旱应急预案", plan_type="special", created_by=officer)
    other = UnitFactory(code="elsewhere", name="乙市")
    stranger = user_with_role(Role.DUTY_OFFICER, other, full_name="覃海生")
    _log(stranger, other, "乙市森林火灾", "乙市平天山", "首报：森林火灾，过火面积约120公顷。")
    return city, officer, fire, warning, plan, stranger


def _titles(user, query, kind):
    with translation.override("zh-hans"):  # a report's kind is named in the reader's language
        return [h.title for g in search(user=user, query=query, kinds=[kind]) for h in g.hits]


def test_chinese_words_are_found_inside_titles_addresses_texts_names_and_units(world):
    city, officer, fire, warning, plan, stranger = world
    assert _titles(officer, "森林火灾", "incident") == [f"{fire.number} 平天山森林火灾"]
    assert _titles(officer, "森林", "incident") == _titles(officer, "火", "incident") == [f"{fire.number} 平天山森林火灾"]
    assert _titles(officer, "林场", "incident") == [f"{fire.number} 平天山森林火灾"]           # the address
    assert _titles(officer, fire.number.lower(), "incident") == [f"{fire.number} 平天山森林火灾"]  # the number
    assert _titles(officer, "森林 林场", "incident") and not _titles(officer, "森林 塌陷", "incident")
    assert not _titles(officer, "火森", "incident")  # bigrams in order, not just the characters
    assert _titles(officer, "120公顷", "report") == [f"{fire.number} 平天山森林火灾 · 首报"]
    assert _titles(officer, "强降雨", "warning") == ["郁江洪水预警"]
    assert _titles(officer, "防汛", "plan") == ["港北区防汛抗旱应急预案"]
    assert _titles(officer, "海燕", "person") == ["覃海燕"]
    assert _titles(officer, "1387750", "person") == ["覃海燕"]
    assert len(_titles(officer, "港北区", "incident")) == 2  # the unit's incidents, by the unit's name
    assert _titles(officer, "港北区", "unit") == ["港北区"]
    assert len(_titles(officer, "港北区", "report")) == 2  # the unit's reports, by the unit's name
    assert "覃海燕" in _titles(officer, "港北区", "person")  # the people holding a role in the unit
    boss = user_with_role(Role.COMMANDER, city.top, full_name="韦建国")
    assert "覃海燕" in _titles(boss, "港北区", "person") and "韦建国" not in _titles(boss, "港北区", "person")
    assert "韦建国" in _titles(boss, "贵港市", "person") and "覃海燕" not in _titles(boss, "贵港市", "person")


def test_another_organisation_s_incidents_reports_and_people_are_never_hits(world, api_as, client):
    city, officer, fire, warning, plan, stranger = world
    for kind in KINDS:
        hits = [h for g in search(user=officer, query="乙市", kinds=[kind]) for h in g.hits]
        assert hits == [], kind
    assert _titles(officer, "覃海", "person") == ["覃海燕"]
    assert _titles(stranger, "森林火灾", "incident") == [t for t in _titles(stranger, "乙市", "incident")]
    body = api_as(officer).get("/api/v1/search/", {"q": "平天山"}).json()
    assert "乙市" not in str(body) and body["groups"][0]["hits"][0]["link"] == f"/incidents/{fire.pk}/"
    client.force_login(stranger)
    page = client.get(reverse("search"), {"q": "平天山"}).content.decode()
    assert "乙市森林火灾" in page and "桂平市平天山林场" not in page


def test_bad_queries_are_refused_in_the_user_s_language(world, api_as):
    officer = world[1]
    for q in ["", "！？。", "x" * 201]:
        answer = api_as(officer).get("/api/v1/search/", {"q": q})
        assert answer.status_code == 400 and answer.json()["error"]["fields"]["q"], q
    assert api_as(officer).get("/api/v1/search/", {"q": "！？"}).json()["error"]["fields"]["q"] == [
        "请输入要查找的编号、名称或几个字。"]
    assert api_as(officer).get("/api/v1/search/", {"q": "火", "kind": "nothing"}).status_code == 400


def test_the_query_is_cut_as_the_index_is():
    assert documents.terms("森林火灾 CITY-2026") == ["'森林'", "'林火'", "'火灾'", "'city':*", "'2026':*"]
    assert documents.terms("火") == ["'火':*"] and documents.terms("%_'") == []
    with connection.cursor() as cursor:
        cursor.execute("SELECT search_document('平天山 森林火灾, CITY-2026')::text")
        lexemes = set(cursor.fetchone()[0].replace("'", "").split())
    assert lexemes == {"平天", "天山", "山", "森林", "林火", "火灾", "灾", "city", "2026"}


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_each_search_can_use_its_gin_index(world, kind):
    source = KINDS[kind]
    model = source.rows(world[1]).model  # the table alone: the expression must be the indexed one
    rows = model.objects.filter(source.matching("森林火灾")).values("pk")
    with transaction.atomic(), connection.cursor() as cursor:  # the world is a transactional test's
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        sql, params = rows.query.sql_with_params()
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert f"search_{source.table}" in plan, plan


def test_the_results_page_and_the_api_run_constant_queries(world, client, api_as):
    from django.test.utils import CaptureQueriesContext

    city, officer = world[0], world[1]
    client.force_login(officer)

    def count(call):
        with CaptureQueriesContext(connection) as ctx:
            assert call().status_code == 200
        return len(ctx.captured_queries)

    page = count(lambda: client.get(reverse("search"), {"q": "港北区"}))
    listed = count(lambda: api_as(officer).get("/api/v1/search/", {"q": "港北区"}))
    for n in range(12):
        _log(officer, city.sub, f"港北区火情{n}", "港北区", "首报")
    assert count(lambda: client.get(reverse("search"), {"q": "港北区"})) <= page
    assert count(lambda: api_as(officer).get("/api/v1/search/", {"q": "港北区"})) <= listed


@pytest.mark.parametrize("window", [1, 3, 2000])
def test_the_newest_window_and_the_index_give_the_same_hits_in_the_same_order(world, monkeypatch, window):
    """A common word is looked for among the newest rows first, a rare one by the index: the hits,
    their order and their paging are the same either way (a window of 1 row makes nearly every
    search fall back to the index; 3 makes some of them stop in the window)."""
    from emergency.search import selectors as search_selectors
    from emergency.search import sources

    city, officer = world[0], world[1]
    for n in range(6):
        _log(officer, city.sub, f"港北区火情{n}", "港北区江南", f"续报：火情{n}已控制，现场救援。")
    _log(officer, city.sub, "港北区蓝藻水华", "东湖", "首报：东湖出现蓝藻水华。")

    def both(query, kind, offset, limit):
        monkeypatch.setattr(sources, "WINDOW", window)
        windowed = search(user=officer, query=query, kinds=[kind], offset=offset, limit=limit)
        monkeypatch.setattr(sources.Source, "newest_matching", lambda *args, **kwargs: None)
        indexed = search(user=officer, query=query, kinds=[kind], offset=offset, limit=limit)
        monkeypatch.undo()
        return [(h.id, h.title) for g in windowed for h in g.hits], [(h.id, h.title) for g in indexed for h in g.hits], \
            [g.more for g in windowed] == [g.more for g in indexed]

    cases = [("火情", "incident"), ("救援", "report"), ("蓝藻", "report"), ("港北区", "incident"), ("江南 火情", "incident"),
             ("火", "incident"), ("森林", "report")]
    for query, kind in cases:
        for offset, limit in ((0, 2), (2, 2), (0, 10), (5, 3)):
            windowed, indexed, same_more = both(query, kind, offset, limit)
            assert windowed == indexed and same_more, (query, kind, offset, limit)
    assert search_selectors.search(user=officer, query="火情", kinds=["incident"], limit=2)[0].more


def test_a_person_s_line_names_only_the_units_the_searcher_sees(world):
    """A county officer finds a colleague who also serves at the city: the hit names the county,
    not the city's unit the officer does not see."""
    from emergency.org.models import RoleAssignment

    city, officer, *_rest = world
    colleague = user_with_role(Role.DUTY_OFFICER, city.sub, full_name="黄志坚")
    RoleAssignment.objects.create(user=colleague, unit=city.top, role=Role.COMMANDER)
    with translation.override("zh-hans"):
        hits = [h for g in search(user=officer, query="志坚", kinds=["person"]) for h in g.hits]
        assert [h.title for h in hits] == ["黄志坚"] and "港北区" in hits[0].subtitle and "贵港市" not in hits[0].subtitle
        boss = user_with_role(Role.COMMANDER, city.top)
        seen_by_city = [h for g in search(user=boss, query="志坚", kinds=["person"]) for h in g.hits]
        assert "港北区" in seen_by_city[0].subtitle and "贵港市" in seen_by_city[0].subtitle
