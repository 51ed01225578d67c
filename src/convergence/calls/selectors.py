from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone

from .models import Call, Milestone


def call_current() -> Call | None:
    """The call shown on the home page: the open one, else the most recent published one."""
    now = timezone.now()
    published = Call.objects.filter(is_published=True)
    return (
        published.filter(opens_at__lte=now, closes_at__gte=now - timedelta(seconds=1)).order_by("closes_at").first()
        or published.first()
    )


@dataclass(frozen=True)
class TimelineStep:
    milestone: Milestone
    is_current: bool
    is_past: bool


def call_timeline(call: Call, *, now: datetime | None = None) -> list[TimelineStep]:
    """The milestones in order; the current one is the last that has started."""
    now = now or timezone.now()
    milestones = list(call.milestones.all())
    started = [m for m in milestones if m.starts_at <= now]
    current = started[-1] if started else None
    return [
        TimelineStep(milestone=m, is_current=m is current, is_past=m.starts_at <= now and m is not current)
        for m in milestones
    ]
