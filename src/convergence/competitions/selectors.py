"""Leaderboards (one line per entrant, its best or selected scored submission) and the host's activity log."""

from __future__ import annotations

import zoneinfo
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext, gettext_lazy

from convergence.web.public_cache import cached_public

from .columns import Shown, shown_columns
from .models import Competition, Participant, Phase, Solution, Submission, Team


@dataclass(frozen=True)
class LeaderboardLine:
    rank: int
    entrant: str
    score: float
    submissions: int
    submitted_at: datetime
    submission_id: int
    # A program's phase: every other score its program wrote, (name, value) in the board's column order.
    columns: tuple[tuple[str, float | None], ...] = ()

    def score_of(self, key: str) -> float | None:
        return dict(self.columns).get(key)


def leaderboard_scope(phase_id: int) -> str:
    return f"leaderboard:{phase_id}"


def leaderboard(phase: Phase, *, private: bool = False) -> list[LeaderboardLine]:
    """The phase's board as last computed: the scoring worker computes it again after each score
    (`services.leaderboard_changed(refresh=True)`), so a page or an API call reads it instead of going
    through every submission."""
    return cached_public(
        leaderboard_scope(phase.pk), "private" if private else "public", lambda: compute_leaderboard(phase, private)
    )


def compute_leaderboard(phase: Phase, private: bool = False) -> list[LeaderboardLine]:
    """Read as plain rows, not model instances: a busy phase holds hundreds of thousands of submissions."""
    field = "private_score" if private else "public_score"
    higher = phase.higher_is_better
    rows = (
        phase.submissions.filter(status=Submission.Status.SCORED)
        .order_by("created_at", "pk")
        .values_list("pk", "participant_id", "team_id", field, "is_selected", "created_at")
    )
    counts: dict[tuple[str, int], int] = {}
    chosen: dict[tuple[str, int], tuple] = {}
    for row in rows.iterator(chunk_size=5000):
        _pk, participant_id, team_id, score, is_selected, _at = row
        key = ("team", team_id) if team_id else ("participant", participant_id)
        counts[key] = counts.get(key, 0) + 1
        if score is None:
            continue
        current = chosen.get(key)
        if is_selected:
            chosen[key] = row
        elif current is None or (not current[4] and (score > current[3] if higher else score < current[3])):
            chosen[key] = row  # strictly better only: on a tie the earlier one stays
    ordered = sorted(chosen.items(), key=lambda item: ((-1 if higher else 1) * item[1][3], item[1][5], item[1][0]))
    names = _entrant_names([key for key, _row in ordered])
    columns = _other_scores(phase, [row[0] for _key, row in ordered]) if phase.uses_program else {}
    return [
        LeaderboardLine(position, names[key], row[3], counts[key], row[5], row[0], columns.get(row[0], ()))
        for position, (key, row) in enumerate(ordered, start=1)
    ]


def _other_scores(phase: Phase, submission_ids: list[int]) -> dict[int, tuple[tuple[str, float | None], ...]]:
    """The scores beside the ranked one, for the submissions on the board (one query), in the same columns for
    every line: the names in the order the programs wrote them."""
    scores = dict(Submission.objects.filter(pk__in=submission_ids).values_list("pk", "scores"))
    ranked = phase.ranked_key or next((name for values in scores.values() for name in values), "")
    names: list[str] = []
    for values in scores.values():
        names += [name for name in values if name != ranked and name not in names]
    return {pk: tuple((name, (scores.get(pk) or {}).get(name)) for name in names) for pk in submission_ids}


@dataclass(frozen=True)
class Board:
    """A leaderboard as one reader sees it: the ranked column, the other columns shown to them (the host's
    columns settings: titles, decimals, hidden ones for the host only), and each line's values in that order."""

    ranked: Shown
    others: list[Shown]
    # Each line with its other values as (value, decimals), in the order of `others`.
    rows: list[tuple[LeaderboardLine, list[tuple[float | None, int]]]]


def board(phase: Phase, *, private: bool = False, host: bool = False) -> Board:
    lines = leaderboard(phase, private=private)
    keys = [name for name, _value in lines[0].columns] if lines else []
    ranked, others = shown_columns(phase, keys, host=host)
    return Board(
        ranked, others, [(line, [(line.score_of(column.key), column.precision) for column in others]) for line in lines]
    )


def _entrant_names(keys: list[tuple[str, int]]) -> dict[tuple[str, int], str]:
    """Two queries for the names of the entrants on the board, whatever their number."""
    teams = Team.objects.filter(pk__in=[pk for kind, pk in keys if kind == "team"]).values_list("pk", "name")
    names = {("team", pk): name for pk, name in teams}
    participants = Participant.objects.filter(pk__in=[pk for kind, pk in keys if kind == "participant"])
    for participant in participants.select_related("user", "team"):
        names[("participant", participant.pk)] = participant.entrant_name
    return names


@dataclass(frozen=True)
class ActivityLine:
    at: datetime
    actor: str
    what: str
    details: str


DETAIL_LABELS = {
    "phase": gettext_lazy("phase"),
    "score": gettext_lazy("score"),
    "submission": gettext_lazy("submission"),
    "submissions": gettext_lazy("submissions"),
    "team": gettext_lazy("team"),
    "title": gettext_lazy("title"),
    "participant": gettext_lazy("participant"),
    "metric": gettext_lazy("metric"),
    "version": gettext_lazy("version"),
    "rows": gettext_lazy("rows"),
    "error": gettext_lazy("error"),
    "display_name": gettext_lazy("display name"),
    "columns": gettext_lazy("columns"),
    "solution": gettext_lazy("solution"),
    "status": gettext_lazy("status"),
    "removed": gettext_lazy("logo removed"),
    "reference_data": gettext_lazy("reference data"),
    "code_submissions": gettext_lazy("code submissions"),
}


def _detail(key: str, value, phase_names: dict[str, str]) -> str:
    if key == "phase":
        value = phase_names.get(value, value)
    elif key == "status" and value in Solution.Status.values:
        value = Solution.Status(value).label
    elif isinstance(value, bool):
        value = gettext("yes") if value else gettext("no")
    elif isinstance(value, list):
        value = ", ".join(str(item) for item in value)
    elif key == "submission":
        value = f"#{value}"
    elif isinstance(value, float):
        value = number_format(value, decimal_pos=4)
    elif isinstance(value, int):
        value = number_format(value, force_grouping=True)
    label = str(DETAIL_LABELS.get(key, key))
    return gettext("%(label)s: %(value)s") % {"label": label[:1].upper() + label[1:], "value": value}


def activity(competition: Competition, *, limit: int = 200) -> list[ActivityLine]:
    """The host's log: who did what and when, newest first; the platform acts for the scoring worker. Details read
    as sentences in the reader's language: phase names, not codes; scores to 4 decimals with the local separator."""
    events = competition.events.select_related("actor").order_by("-at", "-pk")[:limit]
    phase_names = dict(competition.phases.values_list("code", "name"))
    return [
        ActivityLine(
            at=event.at,
            actor=event.actor.email if event.actor else gettext("platform"),
            what=event.get_kind_display(),
            details=" · ".join(
                _detail(key, value, phase_names)
                for key, value in sorted(event.details.items())
                if value is not None and value != ""
            ),
        )
        for event in events
    ]


def local_day_start(moment: datetime) -> datetime:
    """Midnight of `moment`'s day in the competitions' time zone (Europe/Paris): where daily limits reset."""
    zone = zoneinfo.ZoneInfo(settings.COMPETITION_TIME_ZONE)
    local = moment.astimezone(zone)
    return datetime(local.year, local.month, local.day, tzinfo=zone)


def _counted(phase: Phase, participant: Participant):
    """Submissions that count against the limits: the entrant's (the whole team's), failed ones excluded."""
    entrant = Q(team=participant.team) if participant.team_id else Q(participant=participant)
    return phase.submissions.filter(entrant).exclude(status=Submission.Status.FAILED)


@dataclass(frozen=True)
class Quota:
    """Where an entrant stands against a phase's limits; failed submissions do not count."""

    used_today: int
    per_day: int
    used_total: int
    total: int
    resets_at: datetime

    @property
    def left_today(self) -> int:
        return max(0, min(self.per_day - self.used_today, self.total - self.used_total))


def submission_quota(phase: Phase, participant: Participant, now: datetime | None = None) -> Quota:
    now = now or timezone.now()
    counted = _counted(phase, participant)
    day_start = local_day_start(now)
    return Quota(
        used_today=counted.filter(created_at__gte=day_start).count(),
        per_day=phase.max_per_day,
        used_total=counted.count(),
        total=phase.max_total,
        resets_at=day_start + timedelta(days=1),
    )
