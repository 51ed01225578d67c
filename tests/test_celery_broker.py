"""Tasks through the configured broker to a real worker: SQLite by default, Redis or RabbitMQ in CI."""

import os
import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.conf import settings
from django.core import mail

from convergence.applications import services
from tests.conftest import complete_changes_for, make_user, wait_for_coalesced_publishes


def _wait_for_the_receipt(submission, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        submission.refresh_from_db()
        if submission.receipt_emailed_at and mail.outbox:
            return
        time.sleep(0.2)


@pytest.mark.broker
def test_receipt_email_is_sent_by_a_worker_through_the_broker(transactional_db, real_broker):
    from convergence.calls.services import call_load
    from tests.conftest import CALL_FILE

    if os.environ.get("CONVERGENCE_REQUIRE_SERVICES"):
        assert settings.CELERY_BROKER_URL.startswith(("redis://", "amqp://")), settings.CELERY_BROKER_URL
    call = call_load(text=CALL_FILE.read_text(encoding="utf-8"), demo=True)
    applicant = make_user("worker-test@example.org")
    application = services.application_create(call=call, user=applicant, changes=complete_changes_for(call))
    with start_worker(real_broker, pool="solo", perform_ping_check=False, shutdown_timeout=20):
        submission = services.application_submit(application_id=application.pk, user=applicant)
        _wait_for_the_receipt(submission)
    assert submission.receipt_emailed_at is not None
    assert [message.subject for message in mail.outbox] == [
        f"Récépissé {submission.receipt_number} : votre dossier a été déposé"
    ]


@pytest.mark.broker
def test_a_receipt_the_broker_refused_reaches_the_worker_once_the_sweep_publishes_it(
    transactional_db, real_broker, broker
):
    """The message kept in the database while the broker refused it goes through the real broker once it is back."""
    from convergence.calls.services import call_load
    from convergence.core.models import PendingTask
    from convergence.core.queueing import pending_tasks_publish
    from tests.conftest import CALL_FILE

    call = call_load(text=CALL_FILE.read_text(encoding="utf-8"), demo=True)
    applicant = make_user("broker-down@example.org")
    application = services.application_create(call=call, user=applicant, changes=complete_changes_for(call))
    broker.down = True
    submission = services.application_submit(application_id=application.pk, user=applicant)  # commits
    wait_for_coalesced_publishes()
    assert PendingTask.objects.count() == 1 and submission.receipt_number
    broker.down = False
    with start_worker(real_broker, pool="solo", perform_ping_check=False, shutdown_timeout=20):
        assert pending_tasks_publish() == 1
        _wait_for_the_receipt(submission)
    assert submission.receipt_emailed_at is not None and not PendingTask.objects.exists()
    assert [message.to for message in mail.outbox] == [["broker-down@example.org"]]


def _scored(submission, seconds: float = 90):
    """The submission once the worker has scored it (or failed it), waiting at most `seconds`."""
    from convergence.competitions.models import Submission

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        submission.refresh_from_db()
        if submission.status in (Submission.Status.SCORED, Submission.Status.FAILED):
            break
        time.sleep(0.2)
    return submission


@pytest.mark.broker
def test_a_submission_is_scored_by_a_worker_through_the_broker(transactional_db, real_broker):
    from convergence.competitions import services as competitions
    from convergence.competitions.models import Submission
    from tests.competitions.conftest import predictions, running_phase

    host = make_user("host-worker@example.org", is_organiser=True)
    competition = competitions.competition_create(user=host, title="Worker test", participation="open")
    phase = running_phase(competition, host)
    player = make_user("player-worker@example.org")
    competitions.competition_join(competition=competition, user=player, accept_rules=True)
    # A compute worker: it takes the scoring queue only, as one on another machine would.
    with start_worker(real_broker, pool="solo", perform_ping_check=False, shutdown_timeout=20, queues=["scoring"]):
        submission = _scored(competitions.submission_create(phase=phase, user=player, upload=predictions()))
    assert (submission.status, submission.public_score, submission.attempts) == (Submission.Status.SCORED, 1.0, 1)


@pytest.mark.broker
def test_a_hosts_scoring_program_runs_in_the_sandbox_on_a_compute_worker(transactional_db, real_broker):
    from convergence.competitions import services as competitions
    from convergence.competitions.models import Submission
    from tests.competitions.conftest import running_phase
    from tests.competitions.test_scoring_program import program, reference, results

    host = make_user("host-program@example.org", is_organiser=True)
    competition = competitions.competition_create(user=host, title="Program test", participation="open")
    phase = competitions.phase_program_set(
        phase=running_phase(competition, host), user=host, program=program(), reference=reference()
    )
    player = make_user("player-program@example.org")
    competitions.competition_join(competition=competition, user=player, accept_rules=True)
    with start_worker(real_broker, pool="solo", perform_ping_check=False, shutdown_timeout=20, queues=["scoring"]):
        submission = _scored(competitions.submission_create(phase=phase, user=player, upload=results(wrong=6)))
    assert submission.status == Submission.Status.SCORED, submission.error
    assert submission.scores == {"accuracy": 0.5, "errors": 6.0}
    assert "scored 12 rows" in submission.scoring_log


@pytest.mark.broker
def test_prepare_broker_declares_every_queue_before_anyone_publishes(settings):
    """On the SQLite broker a queue's row is otherwise made by its first publish, and two processes making it at once
    lose a message (seen on the deadline bench). Declared beforehand, the row is there."""
    import io
    import uuid

    from django.core.management import call_command

    from convergence.celery import app

    settings.SCORING_QUEUE = f"scoring-{uuid.uuid4().hex[:8]}"  # a queue no earlier test or run declared
    call_command("prepare_broker", stdout=io.StringIO())
    names = {app.conf.task_default_queue, settings.SCORING_QUEUE}
    with app.connection_for_read() as connection:
        channel = connection.default_channel
        if settings.CELERY_BROKER_URL.startswith("sqla+"):
            declared = {queue.name for queue in channel.session.query(channel.queue_cls)}
        elif settings.CELERY_BROKER_URL.startswith("redis://"):
            bindings = channel.client.smembers(f"_kombu.binding.{app.conf.task_default_queue}")
            declared = {binding.decode().split("\x06\x16")[-1] for binding in bindings}
        else:  # RabbitMQ: a passive declaration fails for a queue that does not exist
            declared = {name for name in names if channel.queue_declare(name, passive=True)}
    assert names <= declared
