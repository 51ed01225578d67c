"""Leaderboards (one line per entrant, its best or selected scored submission) and the host's activity log."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import gettext, gettext_lazy

from .metrics import REGISTRY
from .models import Competition, Phase, Submission


@dataclass(frozen=True)
class LeaderboardLine:
    rank: int
    entrant: str
    score: float
    submissions: int
    submitted_at: datetime
    submission_id: int


def leaderboard(phase: Phase, *, private: bool = False) -> list[LeaderboardLine]:
    field = "private_score" if private else "public_score"
    higher = REGISTRY[phase.metric].higher_is_better
    scored = list(
        phase.submissions.filter(status=Submission.Status.SCORED)
        .select_related("participant__user", "team")
        .order_by("created_at", "pk")
    )
    counts: dict[tuple, int] = {}
    chosen: dict[tuple, Submission] = {}
    for submission in scored:
        key = ("team", submission.team_id) if submission.team_id else ("participant", submission.participant_id)
        counts[key] = counts.get(key, 0) + 1
        score = getattr(submission, field)
        if score is None:
            continue
        current = chosen.get(key)
        if submission.is_selected:
            chosen[key] = submission
        elif current is None or (
            not current.is_selected and (score > getattr(current, field) if higher else score < getattr(current, field))
        ):
            chosen[key] = submission  # strictly better only: on a tie the earlier one stays
    ordered = sorted(
        chosen.items(),
        key=lambda item: ((-1 if higher else 1) * getattr(item[1], field), item[1].created_at, item[1].pk),
    )
    lines = []
    for position, (key, submission) in enumerate(ordered, start=1):
        entrant = submission.team.name if submission.team else submission.participant.entrant_name
        lines.append(
            LeaderboardLine(
                position, entrant, getattr(submission, field), counts[key], submission.created_at, submission.pk
            )
        )
    return lines


EVENT_LABELS = {
    "created": gettext_lazy("Competition created"),
    "phase_added": gettext_lazy("Phase added"),
    "ground_truth_uploaded": gettext_lazy("Ground truth uploaded"),
    "phase_rescored": gettext_lazy("Phase rescored"),
    "public_file_added": gettext_lazy("Data file published"),
    "joined": gettext_lazy("Joined"),
    "requested": gettext_lazy("Asked to take part"),
    "approved": gettext_lazy("Admitted"),
    "refused": gettext_lazy("Refused"),
    "invited": gettext_lazy("Invited"),
    "team_created": gettext_lazy("Team created"),
    "team_joined": gettext_lazy("Team joined"),
    "team_left": gettext_lazy("Team left"),
    "submitted": gettext_lazy("Submission received"),
    "selected": gettext_lazy("Submission selected for the leaderboard"),
    "scored": gettext_lazy("Submission scored"),
    "failed": gettext_lazy("Submission failed"),
    "requeued": gettext_lazy("Submission queued again after a stopped worker"),
}


@dataclass(frozen=True)
class ActivityLine:
    at: datetime
    actor: str
    what: str
    details: str


def activity(competition: Competition, *, limit: int = 200) -> list[ActivityLine]:
    """The host's log: who did what and when, newest first; the platform acts for the scoring worker."""
    events = competition.events.select_related("actor").order_by("-at", "-pk")[:limit]
    return [
        ActivityLine(
            at=event.at,
            actor=event.actor.email if event.actor else gettext("platform"),
            what=str(EVENT_LABELS.get(event.kind, event.kind)),
            details=", ".join(f"{key}: {value}" for key, value in sorted(event.details.items()) if value is not None),
        )
        for event in events
    ]
