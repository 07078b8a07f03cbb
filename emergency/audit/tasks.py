from celery import shared_task

from .services import audit_chain_check


@shared_task(acks_late=True, ignore_result=True)
def audit_chain_verify() -> int:
    """Periodic: verify the audit chain and record the result (read-only, so safe to repeat)."""
    return audit_chain_check().pk
