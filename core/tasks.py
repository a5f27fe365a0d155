from celery import shared_task

from core.outbox import outbox_deliver, outbox_sweep


@shared_task(acks_late=True)
def send_outbox_message(message_id: int) -> bool:
    """Send one outbox message (takes its id; a second delivery of the task finds it sent and stops)."""
    return outbox_deliver(message_id)


@shared_task
def sweep_outbox() -> int:
    """For celery beat, every minute: send messages left queued or stuck in flight."""
    return outbox_sweep()
