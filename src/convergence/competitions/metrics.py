"""The metrics a phase can use. Each is scikit-learn's own implementation; `higher_is_better` drives ranking.

`kind` says what a submission holds: "label" (one predicted class per id), "probability" (the probability of
the positive class, or one column per class) or "value" (a number, for regression).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from django.utils.translation import gettext_lazy as _
from sklearn import metrics as sk

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


@dataclass(frozen=True)
class Metric:
    key: str
    name: StrOrPromise
    kind: str
    higher_is_better: bool
    compute: Callable[..., float]


def _roc_auc(y_true: np.ndarray, scores: np.ndarray, classes: list) -> float:
    if scores.ndim == 1:
        return float(sk.roc_auc_score(y_true, scores))
    return float(sk.roc_auc_score(y_true, scores, multi_class="ovr", labels=list(range(len(classes)))))


def _log_loss(y_true: np.ndarray, scores: np.ndarray, classes: list) -> float:
    return float(sk.log_loss(y_true, scores, labels=list(range(len(classes)))))


def _rmse(y_true, y_pred, classes=None) -> float:
    return float(sk.root_mean_squared_error(y_true, y_pred))


REGISTRY: dict[str, Metric] = {
    metric.key: metric
    for metric in [
        Metric("accuracy", _("Accuracy"), "label", True, lambda t, p, c=None: float(sk.accuracy_score(t, p))),
        Metric(
            "balanced_accuracy",
            _("Balanced accuracy"),
            "label",
            True,
            lambda t, p, c=None: float(sk.balanced_accuracy_score(t, p)),
        ),
        Metric(
            "macro_f1",
            _("Macro F1"),
            "label",
            True,
            lambda t, p, c=None: float(sk.f1_score(t, p, average="macro", zero_division=0)),
        ),
        Metric("roc_auc", _("ROC AUC"), "probability", True, _roc_auc),
        Metric("log_loss", _("Log loss"), "probability", False, _log_loss),
        Metric("rmse", _("RMSE"), "value", False, _rmse),
        Metric("mae", _("MAE"), "value", False, lambda t, p, c=None: float(sk.mean_absolute_error(t, p))),
        Metric("r2", _("R²"), "value", True, lambda t, p, c=None: float(sk.r2_score(t, p))),
    ]
}


def metric_choices() -> list[tuple[str, StrOrPromise]]:
    return [(metric.key, metric.name) for metric in REGISTRY.values()]
