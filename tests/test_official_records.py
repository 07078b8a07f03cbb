"""Official records are append-only at the database: raw UPDATE and DELETE, sent as the application's
own database user, are refused by PostgreSQL. (The audit log's own proof, and `verify_audit` finding
a tampered row, are in test_audit.py.)"""
import pytest
from django.conf import settings
from django.db import DatabaseError, connection, transaction

from emergency.org.models import OrgUnit

from emergency.org.roles import Role
from incidents import releases

from .factories import UnitFactory, user_with_role
from .scope_helpers import organisation_rules, unit_objects

# table → (the record in unit_objects, a column to overwrite, its forged value)
RECORDS = {
    "incidents_incidentreport": ("report", "body", "'篡改的首报'"),
    "incidents_releasedecision": ("release_decision", "approved", "false"),
    "response_decision": ("decision", "outcome", "'rejected'"),
    "response_proposal": ("proposal", "reasons", "'篡改的理由'"),
    "alerts_warningmessage": ("message", "msg_type", "'Cancel'"),
    "plans_planedition": ("edition", "sections", "'[]'::jsonb"),
    "resources_requeststep": ("resource_step", "state", "'returned'"),
    "resources_stockmovement": ("movement", "change", "1000"),
}
OTHER_TRIGGERS = {"audit_auditentry", "incidents_reportdispatch", "incidents_publicrelease", "incidents_investigation",
                  "response_dutylogentry",
                  "plans_steprecord"}


@pytest.fixture
def records(db):
    """Each record made by its service (the proposal still pending, the decision on an earlier one)."""
    top = UnitFactory(code="r", name="贵港市")
    unit = UnitFactory(code="u", name="港北区", parent=top, kind=OrgUnit.Kind.COUNTY)
    organisation_rules(top)
    objects = unit_objects(unit)
    approver = user_with_role(Role.COMMANDER, top)  # a release is approved by another than its drafter
    published = releases.release_decide(actor=approver, release=objects["release"], approved=True)
    return {**objects, "decision": objects["response"].decisions.get(), "release_decision": published}


def _row(table: str, pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT t::text FROM {table} t WHERE id = %s", [pk])
        return cursor.fetchone()[0]


def _refused(statement: str, pk: int) -> None:
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement, [pk])


def test_the_statements_run_as_the_applications_database_user(db):
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        assert cursor.fetchone()[0] == settings.DATABASES["default"]["USER"]


@pytest.mark.parametrize("table", sorted(RECORDS))
def test_the_database_refuses_to_update_or_delete_an_official_record(records, table):
    kind, column, forged = RECORDS[table]
    pk = records[kind].pk
    before = _row(table, pk)
    _refused(f"UPDATE {table} SET {column} = {forged} WHERE id = %s", pk)
    _refused(f"DELETE FROM {table} WHERE id = %s", pk)
    assert _row(table, pk) == before


def test_a_proposal_leaves_pending_once_and_says_nothing_else(records):
    """The lifecycle still runs (the fixture decided a proposal under the trigger); nothing else does."""
    decided, pending = records["decision"].proposal, records["proposal"]
    _refused("UPDATE response_proposal SET state = 'pending' WHERE id = %s", decided.pk)
    _refused("UPDATE response_proposal SET response_id = NULL WHERE id = %s", decided.pk)
    _refused("UPDATE response_proposal SET state = 'withdrawn', level = 1 WHERE id = %s", pending.pk)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE response_proposal SET state = 'withdrawn' WHERE id = %s", [pending.pk])
        assert cursor.rowcount == 1


def test_every_official_record_table_keeps_its_trigger_switched_on(db):
    with connection.cursor() as cursor:
        cursor.execute("SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                       "WHERE t.tgname LIKE '%%append_only' AND t.tgenabled <> 'D'")
        guarded = {row[0] for row in cursor.fetchall()}
    assert set(RECORDS) | OTHER_TRIGGERS <= guarded
