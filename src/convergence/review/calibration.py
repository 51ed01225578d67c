"""Calibrated scores: correcting each reviewer's severity.

Model: a review's score is s = μ + q_d + b_r + ε, where q_d is the dossier's quality, b_r the
reviewer's bias (a harsh reviewer has b_r < 0) and ε noise. We solve the least-squares problem with a
ridge penalty λ‖b‖² on the biases (so a reviewer with few reviews is not over-corrected) and report
μ + q_d: the score the dossier would get from an average reviewer. With one reviewer per dossier and no
overlap between reviewers, the model cannot separate quality from bias and the ridge keeps the raw mean.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable

import numpy as np
from scipy.sparse import coo_matrix, vstack
from scipy.sparse.linalg import lsqr

BIAS_RIDGE = 1.0


def calibrated_scores(
    reviews: Iterable[tuple[Hashable, Hashable, float]], *, ridge: float = BIAS_RIDGE
) -> tuple[dict[Hashable, float], dict[Hashable, float]]:
    """(dossier → calibrated score, reviewer → estimated bias) from (dossier, reviewer, score) triples."""
    reviews = list(reviews)
    if not reviews:
        return {}, {}
    dossiers = sorted({d for d, _, _ in reviews}, key=str)
    reviewers = sorted({r for _, r, _ in reviews}, key=str)
    dossier_column = {d: i for i, d in enumerate(dossiers)}
    reviewer_column = {r: len(dossiers) + i for i, r in enumerate(reviewers)}
    scores = np.array([s for _, _, s in reviews], dtype=float)
    mean = scores.mean()
    rows = np.repeat(np.arange(len(reviews)), 2)
    columns = np.array([[dossier_column[d], reviewer_column[r]] for d, r, _ in reviews]).ravel()
    design = coo_matrix((np.ones(len(rows)), (rows, columns)), shape=(len(reviews), len(dossiers) + len(reviewers)))
    penalty = coo_matrix(
        (
            np.full(len(reviewers), np.sqrt(ridge)),
            (np.arange(len(reviewers)), len(dossiers) + np.arange(len(reviewers))),
        ),
        shape=(len(reviewers), len(dossiers) + len(reviewers)),
    )
    system = vstack([design, penalty]).tocsr()
    target = np.concatenate([scores - mean, np.zeros(len(reviewers))])
    solution = lsqr(system, target, atol=1e-10, btol=1e-10, iter_lim=10_000)[0]
    quality = {d: float(mean + solution[dossier_column[d]]) for d in dossiers}
    bias = {r: float(solution[reviewer_column[r]]) for r in reviewers}
    return quality, bias
