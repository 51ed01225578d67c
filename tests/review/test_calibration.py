import numpy as np
from scipy.stats import kendalltau

from convergence.review.calibration import calibrated_scores


def synthetic(seed: int):
    """200 dossiers of known quality, 20 reviewers of known severity, 3 reviews each, noise."""
    rng = np.random.default_rng(seed)
    quality = rng.uniform(0, 4, size=200)
    bias = np.linspace(-1.2, 1.2, 20)  # from very harsh to very lenient
    reviews = []
    for dossier in range(200):
        for reviewer in rng.choice(20, size=3, replace=False):
            score = quality[dossier] + bias[reviewer] + rng.normal(0, 0.3)
            reviews.append((dossier, int(reviewer), float(np.clip(score, 0, 4))))
    return quality, bias, reviews


def test_calibration_recovers_the_true_order_better_than_the_raw_mean():
    for seed in range(5):
        quality, bias, reviews = synthetic(seed)
        calibrated, estimated_bias = calibrated_scores(reviews)
        raw = {d: np.mean([s for dd, _r, s in reviews if dd == d]) for d in range(200)}
        tau_raw = kendalltau(quality, [raw[d] for d in range(200)]).statistic
        tau_calibrated = kendalltau(quality, [calibrated[d] for d in range(200)]).statistic
        assert tau_calibrated > tau_raw + 0.03, (seed, tau_raw, tau_calibrated)
        # The harshest reviewer is found harsher than the most lenient.
        assert estimated_bias[0] < estimated_bias[19]


def test_without_reviewer_overlap_calibration_keeps_the_mean_order():
    reviews = [("a", "r1", 3.0), ("b", "r2", 1.0)]
    calibrated, _bias = calibrated_scores(reviews)
    assert calibrated["a"] > calibrated["b"]


def test_no_reviews_gives_no_scores():
    assert calibrated_scores([]) == ({}, {})
