"""Each kind of malformed predictions file gets a clear reason, with line numbers."""

import pytest
from django.utils.translation import override

from convergence.competitions.metrics import REGISTRY
from convergence.competitions.scoring import (
    SubmissionInvalid,
    ground_truth_from_csv,
    load_ground_truth,
    score_predictions,
)
from tests.competitions.conftest import TRUTH


@pytest.fixture
def truth(tmp_path):
    frame = ground_truth_from_csv(TRUTH.encode(), REGISTRY["accuracy"])
    path = tmp_path / "truth.parquet"
    frame.write_parquet(path)
    return load_ground_truth(str(path), 1, "accuracy")


@pytest.fixture
def regression_truth(tmp_path):
    frame = ground_truth_from_csv(b"id,target\n1,0.5\n2,1.5\n3,2.5", REGISTRY["rmse"])
    path = tmp_path / "regression.parquet"
    frame.write_parquet(path)
    return load_ground_truth(str(path), 1, "rmse")


def problems(data: bytes, truth, metric="accuracy", max_bytes=10**6, language="en") -> str:
    with override(language), pytest.raises(SubmissionInvalid) as refused:
        score_predictions(data, truth=truth, metric=REGISTRY[metric], max_bytes=max_bytes)
    return " ".join(refused.value.problems)


GOOD = "\n".join(f"{i},{'cat' if i % 3 == 0 else 'dog'}" for i in range(12))


def test_a_good_file_scores(truth):
    scores = score_predictions(
        ("id,prediction\n" + GOOD).encode(), truth=truth, metric=REGISTRY["accuracy"], max_bytes=10**6
    )
    assert scores.public == 1.0 and scores.private == 1.0 and scores.rows == 12


def test_wrong_columns(truth):
    assert "Expected the columns id, prediction" in problems(("id,label\n" + GOOD).encode(), truth)
    assert "no “id” column" in problems(b"identifier,prediction\n1,cat", truth)


def test_missing_duplicate_and_unknown_ids(truth):
    lines = GOOD.splitlines()
    assert "1 id of the test set is missing, e.g. 11" in problems(
        ("id,prediction\n" + "\n".join(lines[:-1])).encode(), truth
    )
    duplicated = problems(("id,prediction\n" + GOOD + "\n3,cat").encode(), truth)
    assert "Ids given more than once: 3" in duplicated
    unknown = problems(("id,prediction\n" + GOOD + "\n99,cat").encode(), truth)
    assert "Unknown ids (not in the test set) at lines 14: 99" in unknown
    assert "Empty ids at lines 2" in problems(("id,prediction\n,cat\n" + GOOD).encode(), truth)


def test_unknown_classes(truth):
    assert "Unknown classes at lines 2" in problems(
        ("id,prediction\n0,bird\n" + "\n".join(GOOD.splitlines()[1:])).encode(), truth
    )


def test_non_numeric_and_nan_values(regression_truth):
    assert "not numbers at lines 3" in problems(b"id,prediction\n1,0.5\n2,abc\n3,1", regression_truth, "rmse")
    assert "NaN or infinite values at lines 4" in problems(
        b"id,prediction\n1,0.5\n2,1\n3,NaN", regression_truth, "rmse"
    )
    assert "empty values at lines 2" in problems(b"id,prediction\n1,\n2,1\n3,2", regression_truth, "rmse")


def test_file_over_the_limit_and_wrong_encoding(truth):
    assert "the limit is" in problems(("id,prediction\n" + GOOD).encode(), truth, max_bytes=20)
    assert "not UTF-8" in problems("id,prediction\n0,chat\xe9\n".encode("latin-1"), truth)
    assert "empty" in problems(b"  \n", truth)


def test_a_byte_order_mark_is_accepted(truth):
    data = b"\xef\xbb\xbf" + ("id,prediction\n" + GOOD).encode()
    assert score_predictions(data, truth=truth, metric=REGISTRY["accuracy"], max_bytes=10**6).public == 1.0


def test_messages_are_in_the_users_language(truth):
    message = problems(("id,prediction\n" + GOOD + "\n99,cat").encode(), truth, language="fr")
    assert message == "Identifiants inconnus (absents du jeu de test) aux lignes 14 : 99."
