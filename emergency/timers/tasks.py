from celery import shared_task

from .services import duties_sweep, duty_fire


@shared_task(acks_late=True, ignore_result=True)
def fire_duty(duty_id: int, token: str) -> bool:
    """Queued with eta=due_at. Idempotent: firing checks the row's state and token."""
    return duty_fire(duty_id=duty_id, token=token)


@shared_task(acks_late=True, ignore_result=True)
def sweep_duties() -> int:
    """Periodic (beat): fire overdue duties whose message was lost (worker killed, broker down)."""
    return duties_sweep()
