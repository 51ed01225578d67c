"""Each metric equals scikit-learn's, computed end to end from CSV files, on random data and edge cases."""

import math
import warnings

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from sklearn import metrics as sk

from convergence.competitions.metrics import REGISTRY
from convergence.competitions.scoring import GroundTruth, ground_truth_from_csv, score_predictions


def truth_for(metric_key: str, targets: list) -> GroundTruth:
    csv = "id,target,split\n" + "\n".join(f"r{i},{t},public" for i, t in enumerate(targets))
    frame = ground_truth_from_csv(csv.encode(), REGISTRY[metric_key])
    metric = REGISTRY[metric_key]
    if metric.kind == "value":
        return GroundTruth(frame["id"], frame["target"].to_numpy().astype(float), frame["public"].to_numpy(), [])
    classes = sorted({str(t) for t in targets})
    codes = np.array([classes.index(str(t)) for t in targets])
    return GroundTruth(frame["id"], codes, frame["public"].to_numpy(), classes)


def score(metric_key: str, targets: list, body: str) -> float | None:
    truth = truth_for(metric_key, targets)
    return score_predictions(body.encode(), truth=truth, metric=REGISTRY[metric_key], max_bytes=10**7).public


def same(ours, theirs) -> bool:
    if ours is None:
        return theirs is None or math.isnan(theirs)
    return math.isclose(ours, theirs, rel_tol=1e-9, abs_tol=1e-12)


labels = st.lists(st.sampled_from(["a", "b", "c"]), min_size=1, max_size=40)


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(data=st.data(), truth=labels)
@pytest.mark.parametrize("key", ["accuracy", "balanced_accuracy", "macro_f1"])
def test_label_metrics_equal_scikit_learn(key, data, truth):
    predicted = data.draw(st.lists(st.sampled_from(sorted(set(truth))), min_size=len(truth), max_size=len(truth)))
    body = "id,prediction\n" + "\n".join(f"r{i},{p}" for i, p in enumerate(predicted))
    classes = sorted(set(truth))
    expected = {
        "accuracy": lambda: sk.accuracy_score(truth, predicted),
        "balanced_accuracy": lambda: sk.balanced_accuracy_score(truth, predicted),
        "macro_f1": lambda: sk.f1_score(truth, predicted, average="macro", zero_division=0, labels=None),
    }[key]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs = expected()
    assert same(score(key, truth, body), theirs), (classes, truth, predicted)


probabilities = st.floats(min_value=0.001, max_value=0.999, allow_nan=False)


@settings(max_examples=60, deadline=None)
@given(data=st.data(), truth=st.lists(st.sampled_from([0, 1]), min_size=1, max_size=40))
@pytest.mark.parametrize("key", ["roc_auc", "log_loss"])
def test_binary_probability_metrics_equal_scikit_learn(key, data, truth):
    scores = data.draw(st.lists(probabilities, min_size=len(truth), max_size=len(truth)))
    body = "id,prediction\n" + "\n".join(f"r{i},{p!r}" for i, p in enumerate(scores))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if key == "roc_auc":
            theirs = sk.roc_auc_score(truth, scores) if len(set(truth)) > 1 else float("nan")
        else:
            theirs = sk.log_loss(truth, scores, labels=[0, 1])
    if len(set(truth)) < 2 and key == "log_loss":
        # One class only: the platform names the classes from the ground truth, which has one.
        return
    assert same(score(key, truth, body), theirs)


@settings(max_examples=40, deadline=None)
@given(data=st.data(), truth=st.lists(st.sampled_from(["x", "y", "z"]), min_size=3, max_size=30))
def test_multiclass_roc_auc_one_vs_rest_equals_scikit_learn(data, truth):
    assume(len(set(truth)) >= 2)  # the platform refuses a classification ground truth with one class
    classes = sorted(set(truth))
    rows = data.draw(
        st.lists(
            st.lists(probabilities, min_size=len(classes), max_size=len(classes)),
            min_size=len(truth),
            max_size=len(truth),
        )
    )
    matrix = np.array(rows)
    matrix = matrix / matrix.sum(axis=1, keepdims=True)
    body = (
        "id,"
        + ",".join(classes)
        + "\n"
        + "\n".join(f"r{i}," + ",".join(repr(float(v)) for v in row) for i, row in enumerate(matrix))
    )
    codes = [classes.index(t) for t in truth]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if len(classes) == 2:
            theirs = sk.roc_auc_score(codes, matrix[:, 1])
        else:
            try:
                theirs = sk.roc_auc_score(codes, matrix, multi_class="ovr", labels=list(range(len(classes))))
            except ValueError:
                theirs = float("nan")
    assert same(score("roc_auc", truth, body), theirs)


@settings(max_examples=60, deadline=None)
@given(data=st.data(), truth=st.lists(st.floats(-1e3, 1e3, allow_nan=False), min_size=2, max_size=40))
@pytest.mark.parametrize("key", ["rmse", "mae", "r2"])
def test_regression_metrics_equal_scikit_learn(key, data, truth):
    predicted = data.draw(st.lists(st.floats(-1e3, 1e3, allow_nan=False), min_size=len(truth), max_size=len(truth)))
    truth = [float(repr(t)) for t in truth]
    body = "id,prediction\n" + "\n".join(f"r{i},{p!r}" for i, p in enumerate(predicted))
    theirs = {
        "rmse": lambda: sk.root_mean_squared_error(truth, predicted),
        "mae": lambda: sk.mean_absolute_error(truth, predicted),
        "r2": lambda: sk.r2_score(truth, predicted),
    }[key]()
    assert same(score(key, truth, body), theirs)


def test_edge_cases_constant_predictions_and_one_class():
    assert score("accuracy", ["a", "a", "a"], "id,prediction\nr0,a\nr1,a\nr2,a") == 1.0
    assert score("roc_auc", [0, 1, 1, 0], "id,prediction\nr0,0.5\nr1,0.5\nr2,0.5\nr3,0.5") == 0.5
    assert score("r2", [1.0, 2.0, 3.0], "id,prediction\nr0,2\nr1,2\nr2,2") == sk.r2_score([1, 2, 3], [2, 2, 2])
    # ROC AUC is undefined when the scored part holds one class: scikit-learn gives NaN, the platform no score.
    assert score("roc_auc", [1, 1, 0], "id,prediction\nr0,0.2\nr1,0.9\nr2,0.1") == 1.0
