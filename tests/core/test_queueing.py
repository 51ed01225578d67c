"""A task queued after commit is never lost, and never turns the committed change into an error page."""

import threading

import pytest
from django.core import mail
from django.db import connection, transaction

from convergence.applications.reminders import draft_reminders_send
from convergence.applications.services import application_create
from convergence.core.models import PendingTask
from convergence.core.queueing import pending_tasks_publish
from tests.conftest import make_user

REMINDER = "convergence.applications.tasks.send_draft_reminder"


@pytest.fixture
def drafts(call):
    return [application_create(call=call, user=make_user(f"owner{n}@example.org")) for n in range(3)]


def test_tasks_the_broker_refuses_are_kept_and_the_sweep_publishes_them_once_it_takes_messages(
    call, organiser, drafts, broker, django_capture_on_commit_callbacks
):
    broker.down = True
    with django_capture_on_commit_callbacks(execute=True):
        assert draft_reminders_send(call=call, user=organiser, applications=drafts) == 3
    # The first refusal is enough: the next two are kept without making the request wait for the broker again.
    assert broker.refused == [REMINDER]
    kept = list(PendingTask.objects.values_list("task", "args", "attempts"))
    assert kept == [(REMINDER, [draft.pk], 1) for draft in drafts]
    assert mail.outbox == []

    assert pending_tasks_publish() == 0  # still refused: it stops at the first, and counts the attempt
    assert broker.refused == [REMINDER, REMINDER]
    assert list(PendingTask.objects.values_list("attempts", flat=True)) == [2, 1, 1]

    broker.down = False
    assert pending_tasks_publish() == 3
    assert not PendingTask.objects.exists()
    assert sorted(message.to[0] for message in mail.outbox) == [f"owner{n}@example.org" for n in range(3)]


def test_a_task_renamed_since_it_was_kept_stays_kept_with_the_reason(db, broker):
    PendingTask.objects.create(task="convergence.gone.tasks.old_name", args=[1])
    assert pending_tasks_publish() == 0
    assert PendingTask.objects.get().last_error == "no task named convergence.gone.tasks.old_name"


def test_options_are_kept_with_the_task(db, broker, settings, django_capture_on_commit_callbacks, monkeypatch):
    """A scoring run keeps its time limits while it waits for the broker."""
    from convergence.competitions import tasks

    settings.SCORING_TIME_LIMIT_SECONDS = 120
    broker.down = True
    with django_capture_on_commit_callbacks(execute=True):
        tasks.queue_scoring(7)
    assert PendingTask.objects.get().options == {"time_limit": 270, "soft_time_limit": 260}

    broker.down = False
    published = []
    monkeypatch.setattr(tasks.score_submission, "apply_async", lambda *args, **kwargs: published.append((args, kwargs)))
    assert pending_tasks_publish() == 1
    assert published == [(((7,),), {"time_limit": 270, "soft_time_limit": 260})]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks: PostgreSQL")
def test_two_sweeps_at_once_never_publish_one_task_twice(transactional_db, broker, monkeypatch):
    from convergence.competitions import tasks

    for pk in (1, 2, 3):
        PendingTask.objects.create(task=tasks.score_submission.name, args=[pk])
    published = []
    monkeypatch.setattr(tasks.score_submission, "apply_async", lambda args, **kwargs: published.append(args[0]))
    claimed, release = threading.Event(), threading.Event()

    def other_sweep_holding_the_first():
        with transaction.atomic():
            PendingTask.objects.select_for_update().filter(args=[1]).get()
            claimed.set()
            release.wait(10)
        connection.close()

    other = threading.Thread(target=other_sweep_holding_the_first)
    other.start()
    try:
        assert claimed.wait(10)
        assert pending_tasks_publish() == 2
    finally:
        release.set()
        other.join()
    assert published == [2, 3]
    assert list(PendingTask.objects.values_list("args", flat=True)) == [[1]]
