"""An operation's closing (emergency.closing): its audit entries and live events are written at
the end of its transaction, the frames described before commit with the chain's lock not yet
held; a subject some other change published about meanwhile is described after commit instead,
so no frame carries an older picture than an earlier one."""
import threading

import pytest
from django.db import connection, transaction
from django.utils import timezone

from emergency import closing as closings
from emergency import live
from emergency.audit.models import AuditEntry
from emergency.audit.services import audit_chain_report, audit_record
from emergency.dashboard.models import LiveEvent
from emergency.org.roles import Role
from incidents import services
from incidents.models import Incident

from .factories import UnitFactory, user_with_role

pytestmark = pytest.mark.django_db(transaction=True)


def _incident(grading_tables):
    city = UnitFactory(code="city")
    officer = user_with_role(Role.DUTY_OFFICER, city)
    now = timezone.now()
    incident = services.incident_log(actor=officer, unit=city, type_code="work_safety", title="原标题", address="厂区",
                                     occurred_at=now, received_at=now, body="首报", metrics={"deaths": 1})
    return officer, incident


def _retitle(officer, incident, title: str) -> None:
    """A change of the incident's title, audited and published about it (the shape of every service)."""
    Incident.objects.filter(pk=incident.pk).update(title=title)
    audit_record(actor=officer, unit_id=incident.unit_id, action="incident.retitle", target=incident,
                 after={"title": title})
    live.publish(event="incident.updated", unit_id=incident.unit_id, data={"id": incident.pk},
                 about=("incident", incident.pk))


def _note(officer, incident) -> None:
    """A change about the incident that leaves its row alone (as a report added to it does)."""
    audit_record(actor=officer, unit_id=incident.unit_id, action="incident.note", target=incident, after={})
    live.publish(event="incident.report", unit_id=incident.unit_id, data={"id": incident.pk},
                 about=("incident", incident.pk))


def _title(event: LiveEvent) -> str | None:
    if event.apply is None:
        return None
    return event.apply["zh-hans"]["incidents"][str(event.about.split(":")[1])]["title"]


def test_a_closing_writes_its_entries_at_the_end_and_its_frame_is_described_before_commit(grading_tables):
    officer, incident = _incident(grading_tables)
    before_entries = AuditEntry.objects.count()
    with transaction.atomic():  # the caller's transaction: what the closing wrote is seen before it commits
        with closings.closing():
            _retitle(officer, incident, "新标题")
            # kept, not yet written: the chain's lock is not taken while the change goes on
            assert AuditEntry.objects.count() == before_entries
            assert not LiveEvent.objects.filter(event="incident.updated").exists()
        event = LiveEvent.objects.get(event="incident.updated")
        assert _title(event) == "新标题"  # described in the change's own transaction, before commit
        assert AuditEntry.objects.filter(action="incident.retitle").count() == 1
    assert audit_chain_report().ok


def test_a_closing_that_fails_writes_nothing(grading_tables):
    officer, incident = _incident(grading_tables)
    entries, events = AuditEntry.objects.count(), LiveEvent.objects.count()
    with pytest.raises(RuntimeError):
        with closings.closing():
            _retitle(officer, incident, "不应留下")
            raise RuntimeError("the service refused")
    assert (AuditEntry.objects.count(), LiveEvent.objects.count()) == (entries, events)
    assert closings.current() is None


def test_a_subject_changed_by_another_change_meanwhile_is_described_after_commit(grading_tables, monkeypatch):
    """The other change (a new title) commits between this closing's description and its chain
    lock: its frame, an earlier number, shows 第二次; this closing's picture still shows 原标题. Sent
    as it is, the later frame would put the older title back on every screen."""
    officer, incident = _incident(grading_tables)
    real_describe = live.describe
    interleaved = []

    def describe_then_let_another_change_commit(subjects):
        entries = real_describe(subjects)
        if threading.current_thread() is main and not interleaved:
            interleaved.append(True)

            def other_change():
                try:
                    with transaction.atomic():
                        _retitle(officer, incident, "第二次")
                finally:
                    connection.close()
            worker = threading.Thread(target=other_change)
            worker.start()
            worker.join(20)
        return entries

    main = threading.current_thread()
    monkeypatch.setattr(live, "describe", describe_then_let_another_change_commit)
    with closings.closing():
        _note(officer, incident)
    first, second = LiveEvent.objects.filter(event__in=["incident.updated", "incident.report"],
                                             about=f"incident:{incident.pk}").order_by("sequence")
    assert (first.event, second.event) == ("incident.updated", "incident.report")
    assert interleaved and second.sequence > first.sequence
    assert _title(first) == "第二次"
    # This closing's frame was recorded without its stale picture and described after its commit:
    # it shows the incident as it stands, never older than the frame before it.
    assert _title(second) == "第二次"
    assert Incident.objects.get(pk=incident.pk).title == "第二次"
