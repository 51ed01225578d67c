from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.utils.translation import gettext_lazy, override

from convergence.core.queueing import queue_after_commit

from .models import Participant
from .runner import ScoringInterrupted, solution_check, submission_score
from .services import stale_submissions_requeue


def scoring_time_limits() -> tuple[int, int]:
    """(hard, soft) in seconds; read when a run is queued, not at import, so settings stay settings. A run may be
    two sandboxed steps (ingestion, then scoring), each within SCORING_TIME_LIMIT_SECONDS at most."""
    limit = 2 * settings.SCORING_TIME_LIMIT_SECONDS + 30
    return limit, max(limit - 10, 1)


# max_retries=None: the runner counts attempts itself (SCORING_MAX_ATTEMPTS) and then fails the submission.
@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=None)
def score_submission(self, submission_id: int) -> str:
    """Acknowledged only when done: a worker killed mid-way leaves the message to another worker."""
    try:
        return submission_score(submission_id)
    except ScoringInterrupted as error:
        hard, soft = scoring_time_limits()
        raise self.retry(exc=error, countdown=5, time_limit=hard, soft_time_limit=soft) from error


def queue_scoring(submission_id: int) -> None:
    """Queue a scoring run once the current transaction commits (kept for the sweep if the broker refuses it)."""
    hard, soft = scoring_time_limits()
    queue_after_commit(score_submission, submission_id, time_limit=hard, soft_time_limit=soft)


@shared_task(acks_late=True, reject_on_worker_lost=True)
def check_solution(solution_id: int) -> str:
    return solution_check(solution_id)


def queue_solution_check(solution_id: int) -> None:
    """Queue a solution's check once the current transaction commits (kept for the sweep if the broker refuses it)."""
    hard, soft = scoring_time_limits()
    queue_after_commit(check_solution, solution_id, time_limit=hard, soft_time_limit=soft)


@shared_task(acks_late=True)
def requeue_stale_submissions() -> int:
    return stale_submissions_requeue()


# kind: (recipient, subject, body); read in the recipient's language when the message is built.
PARTICIPATION_MESSAGES = {
    "requested": (
        "host",
        gettext_lazy("A request to join your competition"),
        gettext_lazy(
            "Hello,\n\n%(person)s asks to take part in “%(competition)s”.\n"
            "Approve or refuse the request on the host page: %(link)s\n\nThe Convergence team"
        ),
    ),
    "approved": (
        "participant",
        gettext_lazy("You are admitted to a competition"),
        gettext_lazy(
            "Hello,\n\nThe host of “%(competition)s” has admitted you: you can now download the data and submit.\n"
            "%(link)s\n\nThe Convergence team"
        ),
    ),
    "refused": (
        "participant",
        gettext_lazy("Your request to join a competition"),
        gettext_lazy("Hello,\n\nThe host of “%(competition)s” has not accepted your request.\n\nThe Convergence team"),
    ),
    "invited": (
        "participant",
        gettext_lazy("An invitation to a competition"),
        gettext_lazy(
            "Hello,\n\nYou are invited to take part in “%(competition)s”.\n"
            "Accept the rules on the competition page to join: %(link)s\n\nThe Convergence team"
        ),
    ),
}


@shared_task(acks_late=True)
def notify_participation(participant_id: int, kind: str) -> None:
    """Tell the participant what the host decided, or the host that someone asks to join, in their language."""
    participant = Participant.objects.select_related("competition__host", "user", "team").get(pk=participant_id)
    competition = participant.competition
    audience, subject, body = PARTICIPATION_MESSAGES[kind]
    to_host = audience == "host"
    recipient = competition.host if to_host else participant.user
    link = settings.SITE_URL + (competition.get_host_url() if to_host else competition.get_absolute_url())
    values = {
        "competition": competition.title,
        "link": link,
        "person": participant.user.full_name or participant.user.email,
    }
    with override(recipient.preferred_language or settings.LANGUAGE_CODE):
        send_mail(str(subject), str(body) % values, None, [recipient.email])
