from tests.labels.conftest import labelled, published  # noqa: F401 (fixtures shared with the labels tests)
