"""Benchmark of the reviewer-assignment solver against a greedy baseline, in the same run.

Synthetic instances: affinities from a random topic model (dossiers and members mix 8 topics), 1% of the
pairs in conflict, k = 3 reviewers per dossier, loads balanced (minimum and maximum around n·k/m).
Prints a table, then one machine-readable line per case:
RESULT assignment <dossiers>x<members> seconds=… objective=… greedy_objective=… greedy_seconds=… ratio=…
(ratio = objective / greedy_objective).  Usage: PYTHONPATH=src python bench/assignment.py [--quick]
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "convergence.settings_test")

import django  # noqa: E402

django.setup()

from convergence.review.solver import AssignmentProblem, solve_assignment, solve_greedy  # noqa: E402

CASES = [(200, 20), (2_000, 200), (10_000, 1_000)]
K = 3


def instance(dossiers: int, members: int, seed: int) -> AssignmentProblem:
    rng = np.random.default_rng(seed)
    topics = 8
    dossier_topics = rng.dirichlet(np.full(topics, 0.3), size=dossiers)
    member_topics = rng.dirichlet(np.full(topics, 0.3), size=members)
    affinity = dossier_topics @ member_topics.T
    affinity = affinity / affinity.max()
    conflicts = rng.random((dossiers, members)) < 0.01
    load = dossiers * K / members
    return AssignmentProblem(
        affinity=affinity,
        conflicts=conflicts,
        reviewers_per_dossier=K,
        min_load=int(np.floor(load)),
        max_load=int(np.ceil(load)),
    )


def main() -> None:
    cases = CASES[:2] if "--quick" in sys.argv else CASES
    header = ("case", "solver s", "objective", "greedy s", "greedy obj", "placed", "ratio")
    print("{:>12} {:>9} {:>12} {:>9} {:>12} {:>9} {:>7}".format(*header))
    results = []
    for dossiers, members in cases:
        problem = instance(dossiers, members, seed=dossiers + members)
        started = time.perf_counter()
        solution = solve_assignment(problem)
        seconds = time.perf_counter() - started
        started = time.perf_counter()
        greedy = solve_greedy(problem)
        greedy_seconds = time.perf_counter() - started
        assert len(solution.pairs) == dossiers * K
        ratio = solution.objective / greedy.objective
        placed = f"{len(greedy.pairs)}/{dossiers * K}"
        print(
            f"{dossiers}x{members:<7} {seconds:9.2f} {solution.objective:12.3f} {greedy_seconds:9.2f} "
            f"{greedy.objective:12.3f} {placed:>9} {ratio:7.4f}"
        )
        results.append(
            f"RESULT assignment {dossiers}x{members} seconds={seconds:.3f} objective={solution.objective:.4f} "
            f"greedy_objective={greedy.objective:.4f} greedy_seconds={greedy_seconds:.3f} "
            f"greedy_placed={len(greedy.pairs)} ratio={ratio:.5f}"
        )
    print("(greedy: best remaining pair first; it may leave reviews unplaced, the solver never does)")
    for line in results:
        print(line)


if __name__ == "__main__":
    main()
