from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Min

from .models import PendingTask


@dataclass(frozen=True)
class TasksWaiting:
    count: int
    since: datetime | None


def tasks_waiting() -> TasksWaiting:
    """How many tasks wait for the broker (e-mails, scoring runs), and since when: what organisers are told."""
    found = PendingTask.objects.aggregate(count=Count("pk"), since=Min("created_at"))
    return TasksWaiting(count=found["count"], since=found["since"])
