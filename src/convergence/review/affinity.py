"""Affinity between committee members and dossiers, from their texts.

The default model is TF-IDF over character n-grams, which works across French and English without a
language-specific vocabulary. Another model plugs in through the REVIEW_AFFINITY_MODEL setting (a
dotted path to a class with the same `scores` method).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import numpy as np
from django.conf import settings
from django.utils.module_loading import import_string
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics.pairwise import linear_kernel

from convergence.applications.models import Application
from convergence.calls.models import Call

from .conflicts import conflict_reasons
from .models import AffinityOverride, CommitteeMember, Selection
from .selectors import committee, eligible_applications, latest_contents


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


def affinity_model(choice: str = "tfidf") -> AffinityModel:
    """The model the selection chose (Selection.affinity_model), as settings.REVIEW_AFFINITY_MODELS names it."""
    return import_string(settings.REVIEW_AFFINITY_MODELS[choice])()


def dossier_text(content: dict) -> str:
    parts = [content.get("title", ""), content.get("summary", ""), content.get("description", "")]
    for key in ("themes", "domains"):
        parts += [" ".join(item["name"].values()) for item in content.get(key, [])]
    return "\n".join(parts)


@dataclass(frozen=True)
class AffinityTable:
    applications: list[Application]
    members: list[CommitteeMember]
    scores: np.ndarray  # applications × members
    conflicts: dict[tuple[int, int], str]

    def conflict_mask(self) -> np.ndarray:
        mask = np.zeros(self.scores.shape, dtype=bool)
        rows = {a.pk: i for i, a in enumerate(self.applications)}
        columns = {m.pk: j for j, m in enumerate(self.members)}
        for application_id, member_id in self.conflicts:
            if application_id in rows and member_id in columns:
                mask[rows[application_id], columns[member_id]] = True
        return mask


def affinity_table(call: Call) -> AffinityTable:
    applications = eligible_applications(call)
    for application in applications:
        application.call = call  # for its reference: one query per dossier otherwise (7 s at 5,000 dossiers)
    members = list(committee(call))
    contents = latest_contents([a.pk for a in applications])
    choice = Selection.objects.filter(call=call).values_list("affinity_model", flat=True).first() or "tfidf"
    scores = affinity_model(choice).scores(
        [dossier_text(contents[a.pk]) for a in applications], [m.profile_text for m in members]
    )
    rows = {a.pk: i for i, a in enumerate(applications)}
    columns = {m.pk: j for j, m in enumerate(members)}
    for override in AffinityOverride.objects.filter(member__call=call):
        if override.application_id in rows and override.member_id in columns:
            scores[rows[override.application_id], columns[override.member_id]] = override.score
    return AffinityTable(applications, members, scores, conflict_reasons(members, applications, contents))
