from tests.review.conftest import assigned, round_  # noqa: F401  (the selection round's fixtures)
