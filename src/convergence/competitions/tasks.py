from celery import shared_task
from django.conf import settings

from .runner import ScoringInterrupted, submission_score
from .services import stale_submissions_requeue


@shared_task(
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    time_limit=settings.SCORING_TIME_LIMIT_SECONDS,
    soft_time_limit=settings.SCORING_TIME_LIMIT_SECONDS - 10,
    max_retries=settings.SCORING_MAX_ATTEMPTS,
)
def score_submission(self, submission_id: int) -> str:
    """Acknowledged only when done: a worker killed mid-way leaves the message to another worker."""
    try:
        return submission_score(submission_id)
    except ScoringInterrupted as error:
        raise self.retry(exc=error, countdown=5) from error


@shared_task(acks_late=True)
def requeue_stale_submissions() -> int:
    return stale_submissions_requeue()
