"""A Celery task executed by a real worker process (not eager) on the test database."""
import pytest
from django.conf import settings

from emergency.audit.models import AuditCheck
from emergency.audit.tasks import audit_chain_verify
from emergency.org import services
from emergency.org.models import Department
from emergency.org.roles import Role

from .processes import celery_worker, wait_for

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_real_worker_verifies_the_audit_chain(make_user):
    from .factories import DepartmentFactory, UnitFactory

    assert not getattr(settings, "CELERY_TASK_ALWAYS_EAGER", False)
    unit = UnitFactory()
    department = DepartmentFactory(unit=unit)
    admin = make_user(Role.PLAN_ADMIN, unit)
    services.department_update(actor=admin, department=Department.objects.get(pk=department.pk), duties="一")
    services.department_update(actor=admin, department=Department.objects.get(pk=department.pk), duties="二")
    with celery_worker() as worker:
        result = audit_chain_verify.delay()
        check = wait_for(lambda: AuditCheck.objects.first(), timeout=30)
        assert check.ok and check.entries_checked == 2
        wait_for(lambda: any(result.id in line and "succeeded" in line for line in worker.output), timeout=10)
