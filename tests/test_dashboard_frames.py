"""Live frames carry what a screen needs to apply a change without reloading the state: the
incident's row, the clocks of its subject, the warning, each in the shape the state document has
for the same object. An ended response leaves the dashboard only once its reporting duties are done."""
import json
import re
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from alerts import services as alert_services
from alerts.models import WarningAuthority
from emergency import live
from emergency.dashboard.models import LiveEvent
from emergency.org.roles import Role
from incidents import releases, services as incident_services
from incidents.models import PublicRelease
from incidents.response import command, services as response_services
from plans.duties import due_set
from plans.models import Plan

from .factories import user_with_role
from .response_helpers import incident_in, lead_officer, organisation

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent
ISO = re.compile(r"^\d{4}-\d\d-\d\dT[\d:.]+(Z|[+-]\d\d:\d\d)$")


def _same_instants(value):
    """Times as instants to the millisecond (the state and the frames write them with different precision)."""
    if isinstance(value, dict):
        return {key: _same_instants(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_same_instants(item) for item in value]
    if isinstance(value, str) and ISO.match(value):
        instant = datetime.fromisoformat(value.replace("Z", "+00:00"))
        return instant.replace(microsecond=instant.microsecond // 1000 * 1000)
    return value


def _last_frame(client, event):
    """The newest event of this kind as a screen receives it (through the events API, as the relay sends it)."""
    rows = client.get(reverse("events"), {"after": 0}).json()
    row = [row for row in rows if row["event"] == event][-1]
    return {**row, "apply": row["apply"]["zh-hans"]}  # the Chinese screens' entries (the client's language)


def _state(client):
    return _same_instants(client.get(reverse("dashboard-state")).json())


def _group(state, group):
    return [clock for clock in state["deadlines"] if clock["group"] == group]


@pytest.fixture
def city(grading_tables):
    org = organisation("city")
    WarningAuthority.objects.create(organisation=org.top, level=3, roles=[Role.COMMANDER, Role.PRINCIPAL])
    return org


def test_each_frame_carries_the_incident_and_its_clocks_as_a_freshly_loaded_state_shows_them(city, client):
    commander = user_with_role(Role.COMMANDER, city.top)
    client.force_login(commander)
    incident = incident_in(city)
    logged = _last_frame(client, "incident.logged")["apply"]
    group = f"incident:{incident.pk}"
    assert _same_instants(logged["incidents"][str(incident.pk)]) == next(
        i for i in _state(client)["incidents"] if i["id"] == incident.pk)
    assert {c["kind"] for c in logged["clocks"][group]} == {"report.superior_report", "report.public_release"}

    proposal = response_services.proposal_create(actor=lead_officer(city), incident=incident, level=2, reasons="二级")
    proposed = _same_instants(_last_frame(client, "response.proposed")["apply"])
    assert "proposal" in {c["kind"] for c in proposed["clocks"][group]}
    assert proposed["clocks"][group] == _group(_state(client), group)

    response = response_services.proposal_decide(actor=commander, proposal=proposal, outcome="approved").response
    command.order_issue(actor=commander, response=response, department=city.lead, text="组织搜救")
    ordered = _same_instants(_last_frame(client, "response.order")["apply"])
    state = _state(client)
    entry = ordered["incidents"][str(incident.pk)]
    assert entry["response"]["level"] == 2 and entry["response"]["decider"] == str(commander)
    assert entry == next(i for i in state["incidents"] if i["id"] == incident.pk)
    assert ordered["clocks"][group] == _group(state, group)
    assert "order" in {c["kind"] for c in ordered["clocks"][group]}


def test_a_warning_frame_carries_its_level_and_area_and_its_lifting_removes_it(city, client):
    officer = user_with_role(Role.DUTY_OFFICER, city.sub)
    commander = user_with_role(Role.COMMANDER, city.sub)
    client.force_login(commander)
    warning = alert_services.warning_draft(
        actor=officer, unit=city.sub, type_code="flood_drought", level=3, title="郁江洪水预警",
        signs="上游持续强降雨", points="郁江沿岸低洼地带", area_desc="港北区郁江沿岸", starts_at=timezone.now(),
        expected_end=timezone.now() + timedelta(days=2), polygon="23.10,109.55 23.15,109.60 23.10,109.65 23.10,109.55")
    alert_services.warning_issue(actor=commander, warning=warning)
    alert_services.warning_adjust(actor=commander, warning=warning, level=2, area_desc="港北区、港南区郁江沿岸")
    adjusted = _last_frame(client, "warning.update")["apply"]["warnings"][str(warning.pk)]
    assert adjusted["level"] == 2 and adjusted["area"] == "港北区、港南区郁江沿岸"
    assert adjusted == next(w for w in _state(client)["warnings"] if w["id"] == warning.pk)
    alert_services.warning_lift(actor=commander, warning=warning, reason="水位回落")
    assert _last_frame(client, "warning.cancel")["apply"] == {"warnings": {str(warning.pk): None}}
    assert _state(client)["warnings"] == []


def test_a_plan_frame_carries_the_plan_clocks_due_now(city, client):
    commander = user_with_role(Role.COMMANDER, city.top)
    client.force_login(commander)
    plan = Plan.objects.create(unit=city.sub, title="港北区防汛应急预案", plan_type="special", state="published",
                               created_by=commander, next_drill_due=timezone.localdate() + timedelta(days=5))
    due_set(plan=plan, what="drill", due_on=plan.next_drill_due)
    clocks = _same_instants(_last_frame(client, "plan.due")["apply"]["clocks"][f"plan:{plan.pk}"])
    assert [c["kind"] for c in clocks] == ["plan.drill"] and clocks == _group(_state(client), f"plan:{plan.pk}")


def test_an_ended_response_keeps_its_incident_on_the_dashboard_while_its_release_duties_are_open(city, client):
    commander = user_with_role(Role.COMMANDER, city.top)
    officer = user_with_role(Role.DUTY_OFFICER, city.sub)
    client.force_login(commander)
    incident = incident_in(city)
    incident_services.incident_flag_panic(actor=officer, incident=incident)
    proposal = response_services.proposal_create(actor=lead_officer(city), incident=incident, level=2, reasons="二级")
    response = response_services.proposal_decide(actor=commander, proposal=proposal, outcome="approved").response
    response_services.response_end(actor=commander, response=response, reason="处置完毕")

    # The response has ended; the 5-hour release and the 24-hour press conference are still owed.
    group = f"incident:{incident.pk}"
    ended = _same_instants(_last_frame(client, "response.ended")["apply"])
    state = _state(client)
    row = next(i for i in state["incidents"] if i["id"] == incident.pk)
    assert row["status"] == "ended" and row["response"] is None
    assert ended["incidents"][str(incident.pk)] == row
    owed = {"report.superior_report", "report.public_release", "report.press_conference"}
    assert {c["kind"] for c in _group(state, group)} == owed and ended["clocks"][group] == _group(state, group)

    incident_services.report_send_up(actor=officer, report=incident.reports.get())
    for kind in (PublicRelease.Kind.RELEASE, PublicRelease.Kind.PRESS_CONFERENCE):
        draft = releases.release_draft(actor=officer, incident=incident, kind=kind, channel="市政府网站", text="通报")
        releases.release_decide(actor=commander, release=draft, approved=True)  # published once approved
    # Every duty done: the incident and its clocks leave every screen.
    done = _last_frame(client, "incident.release")["apply"]
    assert done == {"incidents": {str(incident.pk): None}, "clocks": {group: []}}
    state = _state(client)
    assert all(i["id"] != incident.pk for i in state["incidents"]) and _group(state, group) == []


def test_every_change_a_service_publishes_names_the_subject_its_frame_describes():
    sources = [p for app in ("incidents", "alerts", "plans", "emergency") for p in (ROOT / app).rglob("*.py")]
    calls = [(path, match.group(0)) for path in sources
             for match in re.finditer(r"live\.publish\((?:[^()]|\([^()]*\))*\)", path.read_text(encoding="utf-8"))]
    assert len(calls) >= 20
    assert [(str(path), call) for path, call in calls if "about=" not in call] == []


def test_the_events_api_returns_what_each_frame_applies_in_each_language(city, client):
    client.force_login(user_with_role(Role.COMMANDER, city.top))
    with translation.override("en"):  # an officer working in English
        incident = incident_in(city)
    row = LiveEvent.objects.filter(event="incident.logged").latest("sequence")
    assert row.about == f"incident:{incident.pk}"
    apply = client.get(reverse("events"), {"after": 0}).json()[-1]["apply"]
    # Each language's screens get their own names, whatever language the change was made in.
    assert apply["zh-hans"]["incidents"][str(incident.pk)]["type"] == "安全生产事故"
    assert apply["en"]["incidents"][str(incident.pk)]["type"] == "Work-safety accidents"
    assert apply["en"]["clocks"][f"incident:{incident.pk}"][0]["label"] == "Report to the superior"
    assert apply == json.loads(live.describe([row.about])[row.about])


def test_recording_a_change_holds_the_audit_chain_lock_for_one_statement(city, django_assert_num_queries):
    """The frame's entries are read by the relay after commit: publishing, which takes the chain's
    lock every audited change holds to its commit, is the one statement that numbers and records."""
    incident = incident_in(city)
    with transaction.atomic():
        with django_assert_num_queries(1) as captured:
            live.publish(event="incident.updated", unit_id=incident.unit_id, data={"id": incident.pk},
                         path=[city.top.pk, incident.unit_id], about=("incident", incident.pk))
    assert "pg_advisory_xact_lock" in captured.captured_queries[0]["sql"]
    # After the commit the changing thread described it, outside the lock, for the relay to send.
    row = LiveEvent.objects.get(event="incident.updated")
    assert row.apply == json.loads(live.describe([row.about])[row.about])


def test_the_relay_describes_a_batch_of_subjects_in_a_fixed_number_of_queries(city):
    """A relay that fell behind reads every subject of its batch together: the same queries for one
    incident as for five, and each one's entries as when it is described alone."""
    incidents = [incident_in(city) for _ in range(5)]
    subjects = [f"incident:{i.pk}" for i in incidents]
    alone = {subject: live.describe([subject])[subject] for subject in subjects}
    with CaptureQueriesContext(connection) as one:
        live.describe(subjects[:1])
    with CaptureQueriesContext(connection) as five:
        together = live.describe(subjects + ["incident:0", "unknown:1"])
    assert len(five) == len(one)
    assert {s: together[s] for s in subjects} == alone
    assert json.loads(together["incident:0"])["en"] == {"incidents": {"0": None}, "clocks": {"incident:0": []}}
    assert "unknown:1" not in together
