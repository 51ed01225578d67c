"""How well triage's text model does its jobs, against TF-IDF in the same run, on a labelled set built for the
project: the demo dossiers with their true themes (applications/demo_dossiers), and bench/triage_eval.yaml's
hand-written duplicates (translations FR↔EN, rewritings) and cross-language queries.

- theme top-1 / top-2: for each dossier, held out, the call's themes ranked by insights.triage.theme_suggestions
  with the other dossiers as labelled examples; a hit when the first (or one of the first two) is a true theme;
- duplicates precision / recall: every pair of dossiers (demo and planted) at the threshold the platform uses
  (TRIAGE_DUPLICATE_THRESHOLD; for TF-IDF, also at its own best threshold, to be fair to it);
- search recall@5: a query in one language finds the dossier written in the other among the five closest;
- embed 1,000 dossiers: seconds to embed 1,000 distinct dossier texts, cold (no stored vector).

RESULT triage <task> model=<model> value=… baseline=…   (baseline = TF-IDF in the same run)
Usage: python bench/triage.py
"""

from __future__ import annotations

import sys
import time
from itertools import combinations
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from throwaway import use_throwaway_platform  # noqa: E402

use_throwaway_platform("triage", eager_tasks=True)

import django  # noqa: E402

django.setup()

import numpy as np  # noqa: E402
from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import override_settings  # noqa: E402

from convergence.calls.models import Call  # noqa: E402
from convergence.insights.similarity import similarity, text_model  # noqa: E402
from convergence.insights.triage import Challenge, challenge_text, theme_suggestions  # noqa: E402

DOSSIERS = ROOT / "src" / "convergence" / "applications" / "demo_dossiers"


def demo_dossiers() -> list[dict]:
    rows = []
    for name in ("current.yaml", "edition.yaml"):
        rows += [row for row in yaml.safe_load((DOSSIERS / name).read_text()) if not row.get("draft")]
    return rows


def as_challenge(row: dict) -> Challenge:
    return Challenge(
        "dossier", 0, row["key"], row["title"], row["summary"], "", challenge_text(row), tuple(row["themes"])
    )


def themes_accuracy(call: Call, dossiers: list[dict]) -> tuple[float, float]:
    challenges = [as_challenge(row) for row in dossiers]
    top1 = top2 = 0
    for index, challenge in enumerate(challenges):
        others = challenges[:index] + challenges[index + 1 :]
        ranked = [suggestion.code for suggestion in theme_suggestions(challenge.text, call, examples=others)]
        top1 += ranked[0] in challenge.themes
        top2 += bool(set(ranked[:2]) & set(challenge.themes))
    return top1 / len(challenges), top2 / len(challenges)


def duplicate_scores(
    dossiers: list[dict], planted: list[dict], among_demo: list[list[str]]
) -> tuple[np.ndarray, set[tuple[int, int]]]:
    rows = dossiers + planted
    index_of = {row["key"]: i for i, row in enumerate(dossiers)}
    truth = {(index_of[row["of"]], len(dossiers) + i) for i, row in enumerate(planted)}
    truth |= {tuple(sorted((index_of[a], index_of[b]))) for a, b in among_demo}
    # Two texts of the same challenge are duplicates of each other too: every pair within a group.
    group = list(range(len(rows)))

    def root(i: int) -> int:
        while group[i] != i:
            i = group[i]
        return i

    for i, j in truth:
        group[root(j)] = root(i)
    truth = {(i, j) for i, j in combinations(range(len(rows)), 2) if root(i) == root(j)}
    texts = [challenge_text(row) for row in rows]
    return similarity(texts, texts), truth


def precision_recall(scores: np.ndarray, truth: set[tuple[int, int]], threshold: float) -> tuple[float, float]:
    found = {(i, j) for i, j in combinations(range(len(scores)), 2) if scores[i, j] >= threshold}
    right = len(found & truth)
    return (right / len(found) if found else 1.0), right / len(truth)


def best_threshold(scores: np.ndarray, truth: set[tuple[int, int]]) -> tuple[float, float, float, float]:
    """(F1, threshold, precision, recall) at the threshold with the best F1."""
    best = (0.0, 0.0, 0.0, 0.0)
    for threshold in np.arange(0.05, 1.0, 0.01):
        precision, recall = precision_recall(scores, truth, float(threshold))
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        if f1 > best[0]:
            best = (f1, float(threshold), precision, recall)
    return best


def search_recall(queries: list[dict], dossiers: list[dict], k: int = 5) -> float:
    keys = [row["key"] for row in dossiers]
    scores = similarity([query["text"] for query in queries], [challenge_text(row) for row in dossiers])
    hits = 0
    for query, row in zip(queries, scores, strict=True):
        top = [keys[i] for i in np.argsort(-row)[:k]]
        hits += query["target"] in top
    return hits / len(queries)


def embed_seconds(dossiers: list[dict], count: int = 1000) -> float:
    """Distinct texts of dossier length: each demo dossier's text with a different one's summary after it."""
    texts = [
        f"{challenge_text(dossiers[i % len(dossiers)])}\n{dossiers[(i * 7 + 3) % len(dossiers)]['summary']} ({i})"
        for i in range(count)
    ]
    model = text_model()
    model.encode(texts[:2])  # loading the model is not embedding
    started = time.perf_counter()
    model.encode(texts)
    return time.perf_counter() - started


def main() -> None:
    call_command("migrate", verbosity=0)
    call_command("load_call", str(ROOT / "calls" / "convergence-ia-2025.yaml"), "--demo", verbosity=0)
    call = Call.objects.get()
    evaluation = yaml.safe_load((Path(__file__).parent / "triage_eval.yaml").read_text())
    dossiers, planted, queries = demo_dossiers(), evaluation["duplicates"], evaluation["queries"]
    threshold = settings.TRIAGE_DUPLICATE_THRESHOLD
    print(
        f"{len(dossiers)} demo dossiers ({len(evaluation['demo_duplicates'])} duplicates among them), "
        f"{len(planted)} planted duplicates "
        f"({sum(len(dossiers) + len(planted) - 1 - i for i in range(len(dossiers) + len(planted)))} pairs), "
        f"{len(queries)} queries; duplicate threshold {threshold}"
    )
    figures: dict[str, dict[str, float]] = {}
    for name in ("use", "tfidf"):
        with override_settings(TRIAGE_TEXT_MODEL=name):
            top1, top2 = themes_accuracy(call, dossiers)
            scores, truth = duplicate_scores(dossiers, planted, evaluation["demo_duplicates"])
            precision, recall = precision_recall(scores, truth, threshold)
            f1, best, best_precision, best_recall = best_threshold(scores, truth)
            figures[name] = {
                "theme-top1": top1,
                "theme-top2": top2,
                "duplicates-precision": precision,
                "duplicates-recall": recall,
                "duplicates-best-f1": f1,
                "search-recall-at-5": search_recall(queries, dossiers),
                "embed-1000-seconds": embed_seconds(dossiers),
            }
            distinct = [scores[i, j] for i, j in combinations(range(len(scores)), 2) if (i, j) not in truth]
            print(
                f"  {name}: duplicates from {min(scores[i, j] for i, j in truth):.2f}, distinct pairs up to "
                f"{max(distinct):.2f}; best threshold {best:.2f} "
                f"(F1 {f1:.2f}, precision {best_precision:.2f}, recall {best_recall:.2f})"
            )
    model = text_model("use").name
    for task, value in figures["use"].items():
        print(f"RESULT triage {task} model={model} value={value:.3f} baseline={figures['tfidf'][task]:.3f}")


if __name__ == "__main__":
    main()
