from celery import shared_task

from .queueing import pending_tasks_publish


@shared_task(acks_late=True)
def publish_pending_tasks() -> int:
    return pending_tasks_publish()
