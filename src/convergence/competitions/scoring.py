"""Read, check and score a predictions file against a phase's ground truth.

Ground truth: a CSV `id,target[,split]` checked and stored as Parquet when the host uploads it (read once,
scored many times). `split` is `public` or `private`; without it, a stable hash of the id puts 30% of the rows
in the public part. A submission: `id,prediction`, or for probabilities `id` and one column per class.
Every problem found is reported with line numbers, in the user's language.
"""

from __future__ import annotations

import hashlib
import io
import math
import warnings
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path

import numpy as np
import polars as pl
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .metrics import REGISTRY, Metric

MAX_EXAMPLES = 5
PUBLIC_SHARE_WITHOUT_SPLIT = 0.3


class SubmissionInvalid(Exception):
    """The file cannot be scored; `problems` says why, each in a sentence."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__(" ".join(problems))


@dataclass
class GroundTruth:
    ids: pl.Series
    target: np.ndarray  # class codes (int) for classification, floats for regression
    public: np.ndarray  # bool mask
    classes: list[str] = field(default_factory=list)

    @cached_property
    def index(self) -> pl.DataFrame:
        return pl.DataFrame({"id": self.ids, "row": np.arange(len(self.ids), dtype=np.int64)})


@dataclass(frozen=True)
class Scores:
    public: float | None
    private: float | None
    rows: int


def _examples(values) -> str:
    values = list(values)
    shown = ", ".join(str(v) for v in values[:MAX_EXAMPLES])
    return shown + (" …" if len(values) > MAX_EXAMPLES else "")


def _read_csv(data: bytes, what: str) -> pl.DataFrame:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise SubmissionInvalid(
            [_("The %(what)s is not UTF-8 text (byte %(position)d).") % {"what": what, "position": error.start}]
        ) from error
    if not data.strip():
        raise SubmissionInvalid([_("The %(what)s is empty.") % {"what": what}])
    try:
        frame = pl.read_csv(io.BytesIO(data), infer_schema=False)
    except (pl.exceptions.PolarsError, ValueError) as error:
        raise SubmissionInvalid(
            [_("The %(what)s is not a readable CSV file: %(error)s") % {"what": what, "error": str(error)[:200]}]
        ) from error
    return frame.rename({name: name.strip() for name in frame.columns})


def _line_numbers(mask: pl.Series) -> list[int]:
    # +2: line 1 is the header, and rows count from 0.
    return [index + 2 for index in mask.arg_true().head(MAX_EXAMPLES + 1).to_list()]


def _numeric(frame: pl.DataFrame, column: str, what: str) -> np.ndarray:
    raw = frame[column]
    missing = raw.is_null() | (raw.str.strip_chars() == "")
    if missing.any():
        raise SubmissionInvalid(
            [
                _("Column “%(column)s” has empty values at lines %(lines)s.")
                % {"column": column, "lines": _examples(_line_numbers(missing))}
            ]
        )
    values = raw.str.strip_chars().cast(pl.Float64, strict=False)
    not_numbers = values.is_null()
    if not_numbers.any():
        raise SubmissionInvalid(
            [
                _("Column “%(column)s” has values that are not numbers at lines %(lines)s.")
                % {"column": column, "lines": _examples(_line_numbers(not_numbers))}
            ]
        )
    not_finite = values.is_nan() | values.is_infinite()
    if not_finite.any():
        raise SubmissionInvalid(
            [
                _("Column “%(column)s” has NaN or infinite values at lines %(lines)s.")
                % {"column": column, "lines": _examples(_line_numbers(not_finite))}
            ]
        )
    return values.to_numpy()


def _public_mask(ids: pl.Series) -> np.ndarray:
    digests = [hashlib.sha256(value.encode()).digest()[0] for value in ids.to_list()]
    return np.array(digests) < int(256 * PUBLIC_SHARE_WITHOUT_SPLIT)


def ground_truth_from_csv(data: bytes, metric: Metric) -> pl.DataFrame:
    """Check a host's ground truth; returns the frame to store (id, target, public)."""
    frame = _read_csv(data, _("ground truth"))
    columns = set(frame.columns)
    if "id" not in columns or "target" not in columns or columns - {"id", "target", "split"}:
        raise SubmissionInvalid(
            [
                _("The ground truth needs the columns id, target and optionally split; it has: %(columns)s.")
                % {"columns": ", ".join(frame.columns)}
            ]
        )
    ids = frame["id"].str.strip_chars()
    duplicated = ids.is_duplicated()
    if duplicated.any():
        raise SubmissionInvalid(
            [_("The ground truth repeats ids: %(ids)s.") % {"ids": _examples(ids.filter(duplicated).unique())}]
        )
    if metric.kind == "value":
        target = pl.Series("target", _numeric(frame, "target", _("ground truth")))
    else:
        target = frame["target"].str.strip_chars()
        if target.is_null().any() or (target == "").any():
            raise SubmissionInvalid([_("The ground truth has empty targets.")])
    if "split" in columns:
        split = frame["split"].str.strip_chars().str.to_lowercase()
        wrong = ~split.is_in(["public", "private"])
        if wrong.any():
            raise SubmissionInvalid(
                [
                    _("Column split takes public or private, at lines %(lines)s.")
                    % {"lines": _examples(_line_numbers(wrong))}
                ]
            )
        public = split == "public"
    else:
        public = pl.Series(_public_mask(ids))
    return pl.DataFrame({"id": ids, "target": target, "public": public})


@lru_cache(maxsize=8)
def load_ground_truth(path: str, version: int, metric_key: str) -> GroundTruth:
    """Cached per file and version: a worker reads each ground truth once."""
    frame = pl.read_parquet(Path(path))
    metric = REGISTRY[metric_key]
    ids = frame["id"]
    if metric.kind == "value":
        return GroundTruth(ids, frame["target"].to_numpy().astype(float), frame["public"].to_numpy(), [])
    classes = sorted(frame["target"].unique().to_list())
    codes = frame["target"].replace_strict(classes, list(range(len(classes))), return_dtype=pl.Int32).to_numpy()
    return GroundTruth(ids, codes, frame["public"].to_numpy(), classes)


def _positions(submitted: pl.Series, truth: GroundTruth) -> np.ndarray:
    """Where each submitted row goes in the ground truth; every id problem is reported at once."""
    problems = []
    empty = submitted.is_null() | (submitted == "")
    if empty.any():
        problems.append(_("Empty ids at lines %(lines)s.") % {"lines": _examples(_line_numbers(empty))})
    # A hash join instead of sorting strings: one pass over each side.
    rows = pl.DataFrame({"id": submitted}).join(truth.index, on="id", how="left", maintain_order="left")["row"]
    unknown = rows.is_null() & ~empty
    if unknown.any():
        problems.append(
            _("Unknown ids (not in the test set) at lines %(lines)s: %(ids)s.")
            % {"lines": _examples(_line_numbers(unknown)), "ids": _examples(submitted.filter(unknown))}
        )
    positions = rows.drop_nulls().to_numpy()
    counts = np.bincount(positions, minlength=len(truth.ids))
    if (counts > 1).any():
        problems.append(
            _("Ids given more than once: %(ids)s.") % {"ids": _examples(truth.ids.filter(pl.Series(counts > 1)))}
        )
    absent = counts == 0
    if absent.any():
        count = int(absent.sum())
        problems.append(
            ngettext(
                "%(count)d id of the test set is missing, e.g. %(ids)s.",
                "%(count)d ids of the test set are missing, e.g. %(ids)s.",
                count,
            )
            % {"count": count, "ids": _examples(truth.ids.filter(pl.Series(absent)))}
        )
    if problems:
        raise SubmissionInvalid(problems)
    return positions


def _predictions(frame: pl.DataFrame, metric: Metric, truth: GroundTruth) -> np.ndarray:
    columns = [c for c in frame.columns if c != "id"]
    if metric.kind == "probability" and set(columns) == set(truth.classes) and len(truth.classes) > 1:
        matrix = np.column_stack([_numeric(frame, name, _("submission")) for name in truth.classes])
        return matrix[:, 1] if len(truth.classes) == 2 else matrix
    if columns != ["prediction"]:
        expected = "id, prediction"
        if metric.kind == "probability":
            expected += " " + _("or id and one column per class (%(classes)s)") % {"classes": ", ".join(truth.classes)}
        raise SubmissionInvalid(
            [
                _("Expected the columns %(expected)s; the file has: %(columns)s.")
                % {"expected": expected, "columns": ", ".join(frame.columns)}
            ]
        )
    if metric.kind in ("value", "probability"):
        values = _numeric(frame, "prediction", _("submission"))
        if metric.kind == "probability" and len(truth.classes) > 2:
            raise SubmissionInvalid(
                [
                    _("This phase has %(count)d classes: give one probability column per class.")
                    % {"count": len(truth.classes)}
                ]
            )
        return values
    labels = frame["prediction"].str.strip_chars()
    unknown = ~labels.is_in(truth.classes) | labels.is_null()
    if unknown.any():
        raise SubmissionInvalid(
            [
                _("Unknown classes at lines %(lines)s; the classes are: %(classes)s.")
                % {"lines": _examples(_line_numbers(unknown)), "classes": _examples(truth.classes)}
            ]
        )
    return labels.replace_strict(truth.classes, list(range(len(truth.classes))), return_dtype=pl.Int32).to_numpy()


def _compute(metric: Metric, truth: np.ndarray, predicted: np.ndarray, classes: list[str]) -> float | None:
    if len(truth) == 0:
        return None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            value = metric.compute(truth, predicted, classes)
        except ValueError:
            return None  # undefined for this part (e.g. one class only for ROC AUC)
    return None if value is None or math.isnan(value) else value


def score_predictions(data: bytes, *, truth: GroundTruth, metric: Metric, max_bytes: int) -> Scores:
    if len(data) > max_bytes:
        raise SubmissionInvalid(
            [
                _("The file is %(size).1f MB; the limit is %(limit).0f MB.")
                % {"size": len(data) / 1024 / 1024, "limit": max_bytes / 1024 / 1024}
            ]
        )
    frame = _read_csv(data, _("submission"))
    if "id" not in frame.columns:
        raise SubmissionInvalid(
            [_("The file has no “id” column; its columns are: %(columns)s.") % {"columns": ", ".join(frame.columns)}]
        )
    frame = frame.with_columns(pl.col("id").str.strip_chars())
    positions = _positions(frame["id"], truth)
    submitted = _predictions(frame, metric, truth)
    # Each test id exactly once: put every prediction at its ground-truth row.
    predicted = np.empty_like(submitted)
    predicted[positions] = submitted
    public = truth.public
    return Scores(
        public=_compute(metric, truth.target[public], predicted[public], truth.classes),
        private=_compute(metric, truth.target[~public], predicted[~public], truth.classes),
        rows=len(frame),
    )
