from celery import shared_task

from .delivery import deliver, deliveries_sweep


@shared_task(acks_late=True, ignore_result=True)
def deliver_batch(ids: list[int]) -> int:
    return deliver(ids)


@shared_task(ignore_result=True)
def sweep_deliveries() -> int:
    return deliveries_sweep()
