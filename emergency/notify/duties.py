"""Timed-duty handlers of the notification core."""
from emergency.timers.models import TimedDuty
from emergency.timers.registry import handler

from .services import notification_send

REMINDER = "notify.reminder"


@handler(REMINDER)
def send_reminder(duty: TimedDuty) -> None:
    """payload: {"user_ids": [...], "title": ..., "body": ..., "link": ...}"""
    payload = duty.payload
    notification_send(
        recipient_ids=payload.get("user_ids", []), kind=REMINDER, title=payload.get("title", ""),
        body=payload.get("body", ""), link=payload.get("link", ""), unit_id=duty.unit_id,
        source_key=f"timers.timedduty:{duty.pk}",
    )
