"""The audit trail is append-only at the database and hash-chained; verify_audit finds a tampered row."""
import threading

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from emergency.audit.models import AuditEntry
from emergency.audit.services import audit_chain_report, audit_record
from emergency.org import services
from emergency.org.models import Department
from emergency.org.roles import Role


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


def test_verify_audit_reports_the_first_tampered_row(org, make_user, capsys):
    _write_entries(org, make_user, count=4)
    call_command("verify_audit")
    assert "chain intact" in capsys.readouterr().out
    victim = AuditEntry.objects.order_by("id")[2]
    with connection.cursor() as cursor:  # an attacker with superuser rights switches triggers off
        cursor.execute("SET session_replication_role = replica")
        cursor.execute("UPDATE audit_auditentry SET after = %s WHERE id = %s", ['{"duties": "伪造"}', victim.pk])
        cursor.execute("SET session_replication_role = DEFAULT")
    with pytest.raises(SystemExit) as exit_info:
        call_command("verify_audit")
    assert exit_info.value.code == 1
    assert f"BROKEN at entry {victim.pk}" in capsys.readouterr().out


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
