"""Benchmark of the leaderboard query against the model-instance version it replaced, in the same run.

Fills a throw-away SQLite database with one phase of P participants (a fifth of them in teams of 4) and S
scored submissions, then times, over several repetitions (median), the platform's `leaderboard(phase)` (plain
rows, names fetched for the entrants on the board only) and the baseline (every submission loaded as a model
instance with its participant, user and team, as before). Both must return the same board. Then times the
read a page makes (the board the scoring worker stored in the cache). Prints:
RESULT leaderboard <submissions> seconds=… baseline_seconds=… ratio=…   (ratio = baseline / ours)
RESULT leaderboard <submissions>-cached seconds=… baseline_seconds=… ratio=…   (computing vs reading)
Usage: python bench/leaderboard.py [--participants P] [--submissions S] [--repeat R]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
os.environ["DJANGO_SETTINGS_MODULE"] = "convergence.settings_test"
os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp(prefix='convergence-bench-')}/bench.sqlite3"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.utils import timezone  # noqa: E402

from convergence.accounts.models import User  # noqa: E402
from convergence.competitions.metrics import REGISTRY  # noqa: E402
from convergence.competitions.models import Competition, Participant, Phase, Submission, Team  # noqa: E402
from convergence.competitions.selectors import compute_leaderboard, leaderboard  # noqa: E402


def fill(participants: int, submissions: int) -> Phase:
    call_command("migrate", verbosity=0)
    rng = random.Random(2025)
    host = User.objects.create_user(email="host@bench.example", is_organiser=True)
    competition = Competition.objects.create(slug="bench", title="Bench", host=host, teams_allowed=True)
    now = timezone.now()
    phase = Phase.objects.create(
        competition=competition,
        code="dev",
        name="Dev",
        starts_at=now - timedelta(days=30),
        ends_at=now + timedelta(days=30),
        metric="accuracy",
        max_per_day=1000,
        max_total=100000,
    )
    users = User.objects.bulk_create(
        [User(email=f"p{index}@bench.example", full_name=f"Participant {index}") for index in range(participants)]
    )
    teams = Team.objects.bulk_create(
        [Team(competition=competition, name=f"Team {index}", created_by=host) for index in range(participants // 20)]
    )
    people = Participant.objects.bulk_create(
        [
            Participant(
                competition=competition,
                user=user,
                status="approved",
                accepted_rules_at=now,
                team=teams[index // 4] if index < len(teams) * 4 else None,
            )
            for index, user in enumerate(users)
        ]
    )
    rows = []
    for _ in range(submissions):
        person = people[rng.randrange(participants)]
        score = round(rng.random(), 4)
        rows.append(
            Submission(
                phase=phase,
                participant=person,
                team_id=person.team_id,
                file="bench.csv",
                status="scored",
                public_score=score,
                private_score=score,
                is_selected=rng.random() < 0.001,
            )
        )
    Submission.objects.bulk_create(rows, batch_size=5000)
    # Spread the dates: ties are broken by the earlier submission.
    for index, pk in enumerate(phase.submissions.order_by("pk").values_list("pk", flat=True)):
        if index % 997 == 0:
            Submission.objects.filter(pk=pk).update(created_at=now - timedelta(minutes=index))
    return phase


def baseline_leaderboard(phase: Phase) -> list[tuple]:
    """The earlier version: model instances with their relations, for every scored submission."""
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
        score = submission.public_score
        if score is None:
            continue
        current = chosen.get(key)
        if (
            submission.is_selected
            or current is None
            or (not current.is_selected and (score > current.public_score if higher else score < current.public_score))
        ):
            chosen[key] = submission
    ordered = sorted(
        chosen.items(), key=lambda item: ((-1 if higher else 1) * item[1].public_score, item[1].created_at, item[1].pk)
    )
    return [
        (
            position,
            submission.team.name if submission.team else submission.participant.entrant_name,
            submission.public_score,
            counts[key],
            submission.pk,
        )
        for position, (key, submission) in enumerate(ordered, start=1)
    ]


def timed(function, repeat: int) -> tuple[float, object]:
    durations, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = function()
        durations.append(time.perf_counter() - start)
    return statistics.median(durations), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=2000)
    parser.add_argument("--submissions", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    options = parser.parse_args()
    phase = fill(options.participants, options.submissions)
    ours, board = timed(lambda: compute_leaderboard(phase), options.repeat)
    baseline, expected = timed(lambda: baseline_leaderboard(phase), options.repeat)
    # What a page reads: the board the scoring worker stored after its last score.
    leaderboard(phase)
    cached, cached_board = timed(lambda: leaderboard(phase), options.repeat)
    if cached_board != board:
        raise SystemExit("the cached leaderboard differs")
    same = [(line.rank, line.entrant, line.score, line.submissions, line.submission_id) for line in board]
    if same != expected:
        raise SystemExit("the two leaderboards differ")
    header = f"{'submissions':>12} {'entrants':>9} {'ours (s)':>10} {'baseline (s)':>13} {'ratio':>7}"
    print(f"{header}   (median of {options.repeat})")
    print(f"{options.submissions:>12,} {len(board):>9,} {ours:>10.3f} {baseline:>13.3f} {baseline / ours:>7.2f}")
    print(f"read from the cache as a page does: {cached:.4f} s")
    print(
        f"RESULT leaderboard {options.submissions} seconds={ours:.4f} baseline_seconds={baseline:.4f} "
        f"ratio={baseline / ours:.2f}"
    )
    print(
        f"RESULT leaderboard {options.submissions}-cached seconds={cached:.6f} baseline_seconds={ours:.4f} "
        f"ratio={ours / cached:.0f}"
    )


if __name__ == "__main__":
    main()
