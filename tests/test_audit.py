"""The audit trail is append-only at the database and hash-chained; verify_audit finds a tampered row, and
entries deleted from the end of the chain, against the head the database keeps out of the application's reach."""
import threading

import psycopg2
import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from emergency.audit.models import AuditEntry, AuditHead
from emergency.audit.services import audit_chain_check, audit_chain_report, audit_record
from emergency.org import services
from emergency.org.models import Department
from emergency.org.roles import Role

from .db_roles import owner_connection


def _write_entries(org, make_user, count=3):
    admin = make_user(Role.PLAN_ADMIN, org.a)
    department = Department.objects.get(unit=org.a1)
    for n in range(count):
        services.department_update(actor=admin, department=department, duties=f"职责第{n}版")
    return admin


def test_database_refuses_update_of_an_audit_entry(org, make_user):
    _write_entries(org, make_user)
    entry = AuditEntry.objects.first()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).update(action="forged")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("UPDATE audit_auditentry SET after = '{}'::jsonb")
    assert AuditEntry.objects.get(pk=entry.pk).action == "department.update"


def test_database_refuses_delete_of_an_audit_entry(org, make_user):
    _write_entries(org, make_user)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM audit_auditentry")
    assert AuditEntry.objects.count() == 3


def test_each_entry_carries_the_previous_hash(org, make_user):
    _write_entries(org, make_user)
    entries = list(AuditEntry.objects.order_by("id"))
    assert entries[0].prev_hash == "0" * 64
    for previous, entry in zip(entries, entries[1:]):
        assert entry.prev_hash == previous.hash
    assert audit_chain_report().ok


def _as_owner(*statements: str, params=None) -> None:
    """An attacker with the owner's credentials: switch the append-only trigger off, change, switch on."""
    with owner_connection() as owner, owner.cursor() as cursor:
        cursor.execute("BEGIN")
        cursor.execute("ALTER TABLE audit_auditentry DISABLE TRIGGER audit_auditentry_append_only")
        for statement in statements:
            cursor.execute(statement, params)
        cursor.execute("ALTER TABLE audit_auditentry ENABLE TRIGGER audit_auditentry_append_only")
        cursor.execute("COMMIT")


def _verify_fails(capsys) -> str:
    with pytest.raises(SystemExit) as exit_info:
        call_command("verify_audit")
    assert exit_info.value.code == 1
    return capsys.readouterr().out


@pytest.mark.django_db(transaction=True)
def test_verify_audit_reports_a_rewritten_entry_in_the_middle(org, make_user, capsys):
    _write_entries(org, make_user, count=4)
    call_command("verify_audit")
    assert "chain intact" in capsys.readouterr().out
    victim = AuditEntry.objects.order_by("id")[2]
    _as_owner("UPDATE audit_auditentry SET after = %s WHERE id = %s", params=['{"duties": "伪造"}', victim.pk])
    assert f"BROKEN at entry {victim.pk}: content does not match its hash" in _verify_fails(capsys)


@pytest.mark.django_db(transaction=True)
def test_verify_audit_reports_entries_deleted_from_the_end_of_the_chain(org, make_user, capsys):
    """The tail has no successor whose prev_hash would betray it: the head the database recorded does."""
    _write_entries(org, make_user, count=5)
    call_command("verify_audit")
    assert "OK: 5 audit entries" in capsys.readouterr().out
    newest = list(AuditEntry.objects.order_by("-id").values_list("id", flat=True)[:2])
    _as_owner("DELETE FROM audit_auditentry WHERE id >= %s", params=[min(newest)])
    out = _verify_fails(capsys)
    assert f"BROKEN at entry {max(newest)}: 2 entries missing from the end" in out
    assert "the head records 5 entries" in out
    check = audit_chain_check()  # what the periodic task records
    assert not check.ok and check.first_broken_id == max(newest) and "missing from the end" in check.reason


@pytest.mark.django_db(transaction=True)
def test_verify_audit_reports_a_chain_emptied_behind_its_head(org, make_user, capsys):
    _write_entries(org, make_user, count=2)
    _as_owner("DELETE FROM audit_auditentry")
    assert "2 entries missing from the end" in _verify_fails(capsys)


def test_the_application_role_cannot_move_the_chain_head(org, make_user):
    _write_entries(org, make_user, count=2)
    for statement in ("UPDATE audit_audithead SET entries = 1", "DELETE FROM audit_audithead",
                      "TRUNCATE audit_audithead",
                      "INSERT INTO audit_audithead VALUES (2, 1, 1, 'x', now())"):
        with pytest.raises(DatabaseError, match="permission denied"), transaction.atomic(), \
                connection.cursor() as cursor:
            cursor.execute(statement)
    assert AuditHead.objects.get().entries == 2


@pytest.mark.django_db(transaction=True)
def test_the_chain_head_only_moves_forward_even_for_the_owner(org, make_user):
    _write_entries(org, make_user, count=3)
    with owner_connection() as owner, owner.cursor() as cursor:
        for statement in ("UPDATE audit_audithead SET entries = entries - 1", "DELETE FROM audit_audithead",
                          "TRUNCATE audit_audithead"):
            with pytest.raises(psycopg2.Error, match="only moves forward|append-only"):
                cursor.execute(statement)
    head = AuditHead.objects.get()
    assert (head.entries, head.last_hash) == (3, AuditEntry.objects.order_by("-id").first().hash)


@pytest.mark.django_db(transaction=True)
def test_audit_record_refuses_to_run_outside_a_transaction():
    from .factories import UnitFactory

    unit = UnitFactory()
    with pytest.raises(RuntimeError):
        audit_record(actor=None, unit_id=unit.pk, action="unit.touch", target=unit)
    assert not AuditEntry.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_keep_one_unbroken_chain(make_user):
    from .factories import DepartmentFactory, UnitFactory

    unit = UnitFactory()
    admin = make_user(Role.PLAN_ADMIN, unit)
    departments = [DepartmentFactory(unit=unit) for _ in range(4)]
    errors: list[Exception] = []

    def write(department):
        try:
            for n in range(10):
                services.department_update(actor=admin, department=department, duties=f"并发{n}")
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=write, args=(d,)) for d in departments]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    report = audit_chain_report()
    assert report.ok and report.entries_checked == 40
