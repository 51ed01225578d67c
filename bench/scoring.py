"""Benchmark of the competition scorer against a plain pandas baseline, in the same run.

Generates a ground truth and a shuffled submission of N rows (3 classes, accuracy), then times, over several
repetitions (median): the platform's scorer (reading the stored ground truth, checking every id, class and
value, aligning, scoring both the public and private parts) and the baseline (pandas read_csv of both CSV
files, merge on id, scikit-learn metric; no checks). Prints a table, then:
RESULT scoring <rows> seconds=… baseline_seconds=… ratio=…   (ratio = baseline / ours)
Usage: PYTHONPATH=src python bench/scoring.py [--rows N] [--repeat R]
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
import polars as pl

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "convergence.settings_test")

import django  # noqa: E402

django.setup()

from sklearn.metrics import accuracy_score  # noqa: E402

from convergence.competitions.metrics import REGISTRY  # noqa: E402
from convergence.competitions.scoring import ground_truth_from_csv, load_ground_truth, score_predictions  # noqa: E402


def make_files(rows: int) -> tuple[bytes, bytes]:
    rng = np.random.default_rng(2025)
    ids = np.array([f"row-{i:07d}" for i in range(rows)])
    truth = rng.choice(["cat", "dog", "bird"], rows)
    predicted = np.where(rng.random(rows) < 0.7, truth, rng.choice(["cat", "dog", "bird"], rows))
    order = rng.permutation(rows)
    truth_csv = pl.DataFrame({"id": ids, "target": truth}).write_csv().encode()
    submission_csv = pl.DataFrame({"id": ids[order], "prediction": predicted[order]}).write_csv().encode()
    return truth_csv, submission_csv


def ours(parquet: str, submission: bytes) -> float:
    load_ground_truth.cache_clear()  # count the reading of the stored ground truth too
    truth = load_ground_truth(parquet, 1, "accuracy")
    scores = score_predictions(submission, truth=truth, metric=REGISTRY["accuracy"], max_bytes=1 << 30)
    return scores.public


def baseline(truth_csv: bytes, submission: bytes) -> float:
    truth = pd.read_csv(io.BytesIO(truth_csv), dtype={"id": str})
    predicted = pd.read_csv(io.BytesIO(submission), dtype={"id": str})
    merged = truth.merge(predicted, on="id")
    return accuracy_score(merged["target"], merged["prediction"])


def timed(function, *args, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function(*args)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    options = parser.parse_args()
    truth_csv, submission = make_files(options.rows)
    with tempfile.TemporaryDirectory() as folder:
        parquet = str(Path(folder) / "truth.parquet")
        ground_truth_from_csv(truth_csv, REGISTRY["accuracy"]).write_parquet(parquet)
        ours(parquet, submission)  # warm-up: imports and first allocations
        baseline(truth_csv, submission)
        seconds = timed(ours, parquet, submission, repeat=options.repeat)
        baseline_seconds = timed(baseline, truth_csv, submission, repeat=options.repeat)
    ratio = baseline_seconds / seconds
    print(f"{'rows':>10} {'ours (s)':>10} {'baseline (s)':>13} {'ratio':>7}   (median of {options.repeat})")
    print(f"{options.rows:>10,} {seconds:>10.3f} {baseline_seconds:>13.3f} {ratio:>7.2f}")
    print(
        f"RESULT scoring {options.rows} seconds={seconds:.4f} baseline_seconds={baseline_seconds:.4f} ratio={ratio:.2f}"
    )


if __name__ == "__main__":
    main()
