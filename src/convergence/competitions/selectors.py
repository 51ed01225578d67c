"""Leaderboards: one line per entrant (team or participant), its best or selected scored submission."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from .metrics import REGISTRY
from .models import Phase, Submission


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
