from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone

from convergence.web.public_cache import cached_public

from .models import Call, Milestone


def _current_among(calls: list[Call], now: datetime) -> Call | None:
    """Of published calls (most recent first): the open one closing first, else the most recent."""
    open_calls = [call for call in calls if call.accepts_changes_at(now)]
    if open_calls:
        return min(open_calls, key=lambda call: call.closes_at)
    return calls[0] if calls else None


def call_current() -> Call | None:
    """The call shown on the home page, read from the database (for the back-office and commands)."""
    return _current_among(list(Call.objects.filter(is_published=True).defer("definition")), timezone.now())


def _published_calls() -> list[Call]:
    return list(
        Call.objects.filter(is_published=True)
        .defer("definition")
        .prefetch_related("themes", "domains", "formats", "criteria", "milestones")
    )


def published_calls_to_show() -> list[Call]:
    """Every published call with what its public page shows, most recent first; read by everyone on deadline
    night, so cached until a call is loaded or closed. Shared between requests: read, never change them."""
    return cached_public("calls", "published", _published_calls)


def call_to_show(slug: str | None = None) -> Call | None:
    """The call of a public page: by its slug, or else the one `call_current` would choose, from the cache."""
    calls = published_calls_to_show()
    if slug is not None:
        return next((call for call in calls if call.slug == slug), None)
    return _current_among(calls, timezone.now())


@dataclass(frozen=True)
class TimelineStep:
    milestone: Milestone
    is_current: bool
    is_past: bool


def call_timeline(call: Call, *, now: datetime | None = None) -> list[TimelineStep]:
    """The milestones in order; the current one is the last that has started, unless it is the last of all and has
    ended: then the programme is over and every step is past."""
    now = now or timezone.now()
    milestones = list(call.milestones.all())
    started = [m for m in milestones if m.starts_at <= now]
    current = started[-1] if started else None
    if current is not None and current is milestones[-1] and current.ends_at is not None and current.ends_at < now:
        current = None
    return [
        TimelineStep(milestone=m, is_current=m is current, is_past=m.starts_at <= now and m is not current)
        for m in milestones
    ]
