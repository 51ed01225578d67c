"""A task queued after commit is never lost, and never turns the committed change into an error page."""

import threading

import pytest
from django.core import mail
from django.db import connection, transaction

from convergence.applications.reminders import draft_reminders_send
from convergence.applications.services import application_create
from convergence.core.models import PendingTask
from convergence.core.queueing import pending_tasks_publish
from tests.conftest import make_user, wait_for_coalesced_publishes

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


class _Publishes:
    """Stands for publish_or_keep: records each publish, with whether the commits it covers were visible then."""

    def __init__(self, monkeypatch):
        from convergence.core import queueing

        self.calls: list[tuple[str, int]] = []
        monkeypatch.setattr(queueing, "publish_or_keep", self.publish)

    def publish(self, name, args, options):
        self.calls.append((name, PendingTask.objects.filter(task="committed").count()))
        return True


@pytest.fixture
def coalescing(settings, monkeypatch, real_broker):
    settings.QUEUE_COALESCE_SECONDS = 0.3
    return _Publishes(monkeypatch)


def _commit_asking_for(task):
    from convergence.core.queueing import queue_coalesced_after_commit

    with transaction.atomic():
        PendingTask.objects.create(task="committed")  # a row the published task must find
        queue_coalesced_after_commit(task)


@pytest.mark.django_db(transaction=True)
def test_the_commits_of_a_moment_are_published_in_one_message_after_the_last_of_them(coalescing):
    from convergence.applications.tasks import send_new_receipts

    for _ in range(3):
        _commit_asking_for(send_new_receipts)
    assert coalescing.calls == []  # not on the request's time
    wait_for_coalesced_publishes()
    assert coalescing.calls == [(send_new_receipts.name, 3)]

    _commit_asking_for(send_new_receipts)  # after the publish: a message of its own
    wait_for_coalesced_publishes()
    assert coalescing.calls == [(send_new_receipts.name, 3), (send_new_receipts.name, 4)]


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_change_publishes_nothing_and_no_window_publishes_each_commit(coalescing, settings):
    from convergence.applications.tasks import send_new_receipts
    from convergence.core.queueing import queue_coalesced_after_commit

    with pytest.raises(RuntimeError), transaction.atomic():
        queue_coalesced_after_commit(send_new_receipts)
        raise RuntimeError("the submit failed")
    wait_for_coalesced_publishes()
    assert coalescing.calls == []

    settings.QUEUE_COALESCE_SECONDS = 0
    _commit_asking_for(send_new_receipts)
    _commit_asking_for(send_new_receipts)
    assert coalescing.calls == [(send_new_receipts.name, 1), (send_new_receipts.name, 2)]


@pytest.mark.django_db(transaction=True)
def test_a_coalesced_task_the_broker_refuses_is_kept_from_the_publishing_thread(settings, real_broker, broker):
    from convergence.applications.tasks import send_new_receipts

    settings.QUEUE_COALESCE_SECONDS = 0.05
    broker.down = True
    _commit_asking_for(send_new_receipts)
    wait_for_coalesced_publishes()
    kept = PendingTask.objects.exclude(task="committed").get()
    assert (kept.task, kept.args) == (send_new_receipts.name, [])
