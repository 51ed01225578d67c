"""Background tasks queued after commit, and kept when the broker refuses them.

A task is published once the change that needs it is committed (an e-mail, a scoring run). By then the change
stands: a broker that is down or refuses the message must neither turn it into an error page nor lose the task.
The task is then kept in the database (PendingTask), and the worker's sweep publishes it again once the broker
takes messages.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from typing import Any

from celery import current_app
from celery.app.task import Task
from django.conf import settings
from django.db import DatabaseError, connections, transaction
from django.db.models import F
from kombu.exceptions import KombuError

from .models import PendingTask

logger = logging.getLogger(__name__)

# What a publish raises when the message did not reach the broker (kombu wraps the transports' errors; a socket
# error may still escape it).
NOT_QUEUED = (KombuError, OSError)
# After a refusal, this process keeps the next tasks at once for a while rather than making each wait for the
# broker's retries (about 0.6 s each): 200 reminders would otherwise hold their request for two minutes.
BROKER_PAUSE_SECONDS = 10.0
_refused_at: float | None = None


def queue_after_commit(task: Task, *args: Any, **options: Any) -> None:
    """Publish `task(*args)` with Celery's `options` once the current transaction commits (at once outside one).

    The arguments and options must be JSON values: a refused task is kept in the database."""
    name, arguments = task.name, list(args)

    def publish() -> None:
        publish_or_keep(name, arguments, options)

    transaction.on_commit(publish, robust=True)  # robust: whatever happens there, the change stands


def queue_coalesced_after_commit(task: Task) -> None:
    """Publish `task()` once the current transaction commits, in one message with the other commits of this
    process that ask for it within QUEUE_COALESCE_SECONDS (at once when that is 0, or in eager mode).

    For a task without arguments that finds its own work (the receipts not yet e-mailed): on the deadline night,
    one publish per submit cost the submit a tenth of its CPU. The message leaves after every commit it covers,
    so the task finds their rows."""
    name = task.name
    transaction.on_commit(lambda: _publish_soon(name), robust=True)


_coalescing = threading.Lock()
_publish_due: dict[str, threading.Timer] = {}  # task name → the timer that will publish it


def _publish_soon(name: str) -> None:
    window = settings.QUEUE_COALESCE_SECONDS
    if window <= 0 or current_app.conf.task_always_eager:
        publish_or_keep(name, [], {})
        return
    with _coalescing:
        if name in _publish_due:
            return  # a publish is due after this commit: it covers it
        timer = threading.Timer(window, _publish_now, args=(name,))
        timer.daemon = False  # a process that exits (a recycled web worker) publishes it first
        _publish_due[name] = timer
        try:
            timer.start()
            return
        except RuntimeError:  # no thread to be had: publish from here rather than never
            del _publish_due[name]
    publish_or_keep(name, [], {})


def _publish_now(name: str) -> None:
    with _coalescing:
        _publish_due.pop(name, None)
    try:
        publish_or_keep(name, [], {})
    finally:
        connections.close_all()  # this thread's own, if keeping the task opened one


def _forget_due_publishes() -> None:
    # A forked process inherits the table but not the timers' threads.
    global _coalescing
    _coalescing = threading.Lock()
    _publish_due.clear()


os.register_at_fork(after_in_child=_forget_due_publishes)


def publish_or_keep(name: str, args: list[Any], options: dict[str, Any]) -> bool:
    """Publish the task, or keep it for the sweep if the broker refuses it. True when it was published."""
    global _refused_at
    if _refused_at is not None and time.monotonic() - _refused_at < BROKER_PAUSE_SECONDS:
        _keep(name, args, options, "not tried: the broker refused a message a moment ago")
        return False
    try:
        current_app.tasks[name].apply_async(tuple(args), **options)
    except NOT_QUEUED as error:
        _refused_at = time.monotonic()
        logger.warning("The broker refused %s%s; kept for the sweep: %r", name, tuple(args), error)
        _keep(name, args, options, repr(error))
        return False
    _refused_at = None
    return True


def _keep(name: str, args: list[Any], options: dict[str, Any], error: str) -> None:
    try:
        PendingTask.objects.create(task=name, args=args, options=options, last_error=error)
    except DatabaseError:
        logger.exception("%s%s was neither queued nor kept", name, tuple(args))


def pending_tasks_publish(*, limit: int = 500) -> int:
    """Publish again the tasks the broker refused, oldest first, and forget each one published; stop at the first
    refusal (the broker still refuses). Returns how many were published.

    Rows are claimed (skip locked), so two sweeps at once never publish one task twice."""
    global _refused_at
    published = 0
    with transaction.atomic():
        for pending in PendingTask.objects.select_for_update(skip_locked=True).order_by("pk")[:limit]:
            task = current_app.tasks.get(pending.task)
            if task is None:  # renamed or removed since: kept, with why, for a person to look at
                PendingTask.objects.filter(pk=pending.pk).update(last_error=f"no task named {pending.task}")
                continue
            try:
                task.apply_async(tuple(pending.args), **pending.options)
            except NOT_QUEUED as error:
                PendingTask.objects.filter(pk=pending.pk).update(attempts=F("attempts") + 1, last_error=repr(error))
                logger.warning("The broker still refuses messages; %s and the next wait: %r", pending, error)
                break
            pending.delete()
            published += 1
    if published:
        _refused_at = None
        logger.info("Published %d tasks the broker had refused", published)
    return published
