from celery import shared_task

from .services import milestone_reminders_send


@shared_task(acks_late=True)
def send_milestone_reminders() -> int:
    """Run by Celery beat (see settings.CELERY_BEAT_SCHEDULE); safe to run as often as wanted."""
    return milestone_reminders_send()
