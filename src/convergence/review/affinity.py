"""Affinity between committee members and dossiers, from their texts.

The default model is TF-IDF over character n-grams, which works across French and English without a
language-specific vocabulary. Another model plugs in through the REVIEW_AFFINITY_MODEL setting (a
dotted path to a class with the same `scores` method).
"""

from __future__ import annotations

from typing import Protocol

import numpy as np
from django.conf import settings
from django.utils.module_loading import import_string
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics.pairwise import linear_kernel


class AffinityModel(Protocol):
    def scores(self, dossier_texts: list[str], member_texts: list[str]) -> np.ndarray:
        """A dossiers × members array of affinities in [0, 1]."""


class TfidfAffinity:
    def scores(self, dossier_texts: list[str], member_texts: list[str]) -> np.ndarray:
        if not dossier_texts or not member_texts:
            return np.zeros((len(dossier_texts), len(member_texts)))
        vectorizer = TfidfVectorizer(
            analyzer="char_wb", ngram_range=(3, 5), strip_accents="unicode", lowercase=True, sublinear_tf=True
        )
        matrix = vectorizer.fit_transform(dossier_texts + member_texts)
        similarity = linear_kernel(matrix[: len(dossier_texts)], matrix[len(dossier_texts) :])
        return np.clip(similarity, 0.0, 1.0)


def affinity_model() -> AffinityModel:
    return import_string(getattr(settings, "REVIEW_AFFINITY_MODEL", "convergence.review.affinity.TfidfAffinity"))()
