"""AI help for the people running a call, never a decision: probable duplicates, similar challenges, theme
suggestions. Everything here reads the dossiers' submitted versions and the labelled challenges, compares their
texts with the text model (similarity.py) and says how close they are; what to do about it stays with people."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from django.conf import settings
from django.utils.translation import gettext as _

from convergence.applications.models import Application
from convergence.calls.i18n import localize
from convergence.calls.models import Call
from convergence.labels.models import Label
from convergence.labels.selectors import catalogue_items
from convergence.review.selectors import latest_contents

from .models import EmbeddingVector
from .selectors import Table
from .similarity import embeddings, similarity, similarity_to_text, text_model, vectors


def challenge_text(content: dict) -> str:
    """What a challenge is about, as the model reads it: its title, summary and description."""
    parts = (content.get("title") or "", content.get("summary") or "", content.get("description") or "")
    return "\n".join(part.strip() for part in parts if part and part.strip())


@dataclass(frozen=True)
class Challenge:
    """A dossier of the call (its last submitted version) or a labelled challenge."""

    kind: str  # "dossier" or "label"
    pk: int  # the dossier's id (a label's dossier too)
    reference: str  # the dossier's reference, or the label's identifier
    title: str
    summary: str
    call: str
    text: str
    themes: tuple[str, ...] = field(default_factory=tuple)


def _challenge(kind: str, pk: int, reference: str, call: str, content: dict) -> Challenge:
    """A challenge from a dossier's submitted content or a catalogue entry (they share these keys)."""
    return Challenge(
        kind=kind,
        pk=pk,
        reference=reference,
        title=content.get("title") or "",
        summary=content.get("summary") or "",
        call=call,
        text=challenge_text(content),
        themes=tuple(theme.get("code", "") for theme in content.get("themes") or []),
    )


def call_dossiers(call: Call) -> list[Challenge]:
    """The submitted dossiers of the call, as last submitted (two queries whatever their number)."""
    applications = list(call.applications.filter(status=Application.Status.SUBMITTED).order_by("pk"))
    contents = latest_contents([application.pk for application in applications])
    return [
        _challenge("dossier", application.pk, application.reference, call.slug, contents[application.pk])
        for application in applications
        if application.pk in contents
    ]


def labelled(*, exclude_call: Call | None = None) -> list[Challenge]:
    """Valid labels, their entry as awarded (the organisers' view: every field, whatever the public sees)."""
    labels = Label.objects.filter(status=Label.Status.VALID).select_related("call").order_by("identifier")
    if exclude_call is not None:
        labels = labels.exclude(call=exclude_call)
    return [
        _challenge("label", label.application_id, label.identifier, label.call.slug, label.catalogue)
        for label in labels.defer("call__definition")
    ]


def public_labelled() -> list[Challenge]:
    """The public catalogue's entries: only what the public may read of each."""
    return [
        _challenge("label", 0, item.entry["identifier"], item.entry["call"], item.entry) for item in catalogue_items()
    ]


@dataclass(frozen=True)
class DuplicatePair:
    first: Challenge
    second: Challenge
    similarity: float

    @property
    def both(self) -> tuple[Challenge, Challenge]:
        return self.first, self.second

    @property
    def against_past_edition(self) -> bool:
        return self.second.kind == "label"


# Rows of the similarity product computed at once: 5,000 dossiers never hold a 5,000 × 5,000 array of floats.
DUPLICATE_BLOCK = 1000


def _duplicate_candidates(
    call: Call, threshold: float, dossiers: list[Challenge]
) -> tuple[list[Challenge], np.ndarray, np.ndarray, np.ndarray]:
    """(others, rows, columns, scores) of every pair at least `threshold` alike: a dossier and a later dossier of
    the call, or a dossier and a challenge labelled in another edition (not its own label)."""
    others = dossiers + labelled(exclude_call=call)
    empty = np.zeros(0, dtype=int)
    if not dossiers or not others:
        return others, empty, empty, np.zeros(0)
    mine, theirs = embeddings([d.text for d in dossiers], [o.text for o in others])
    own_pks = np.array([d.pk for d in dossiers])
    label_of = np.array([o.pk if o.kind == "label" else -1 for o in others])
    columns = np.arange(len(others))
    found_rows, found_columns, found_scores = [], [], []
    for begin in range(0, len(dossiers), DUPLICATE_BLOCK):
        block = mine[begin : begin + DUPLICATE_BLOCK] @ theirs.T
        rows = np.arange(begin, begin + len(block))[:, None]
        keep = block >= threshold
        keep &= ~((columns[None, :] < len(dossiers)) & (columns[None, :] <= rows))  # each pair once, not itself
        keep &= label_of[None, :] != own_pks[rows]  # not a dossier and its own label
        pair_rows, pair_columns = np.nonzero(keep)
        found_rows.append(pair_rows + begin)
        found_columns.append(pair_columns)
        found_scores.append(block[pair_rows, pair_columns])
    return others, np.concatenate(found_rows), np.concatenate(found_columns), np.concatenate(found_scores)


def near_duplicates(
    call: Call,
    *,
    threshold: float | None = None,
    dossiers: list[Challenge] | None = None,
    limit: int | None = None,
) -> list[DuplicatePair]:
    """Pairs of submitted dossiers of the call, and of a dossier and a challenge labelled in another edition,
    whose texts are at least `threshold` alike (TRIAGE_DUPLICATE_THRESHOLD), closest first: the same challenge
    from two carriers, translated, or submitted again. With `limit`, the first `limit` of them (the same as the
    whole list's first), without making a pair of the others."""
    return near_duplicates_counted(call, threshold=threshold, dossiers=dossiers, limit=limit)[0]


def near_duplicates_counted(
    call: Call,
    *,
    threshold: float | None = None,
    dossiers: list[Challenge] | None = None,
    limit: int | None = None,
) -> tuple[list[DuplicatePair], int]:
    """near_duplicates and how many pairs there are in all."""
    threshold = settings.TRIAGE_DUPLICATE_THRESHOLD if threshold is None else threshold
    dossiers = call_dossiers(call) if dossiers is None else dossiers
    others, rows, columns, scores = _duplicate_candidates(call, threshold, dossiers)
    chosen = np.arange(len(scores))
    if limit is not None and len(scores) > limit:
        # Every pair nearly as close as the limit-th (numpy's rounding may differ from Python's by a step, hence
        # the margin); ties are then ordered exactly as in the whole list, and no other pair is made.
        approximate = np.round(scores.astype(float), 3)
        floor = -np.partition(-approximate, limit - 1)[limit - 1] - 0.0021 if limit else np.inf
        chosen = np.nonzero(approximate >= floor)[0]
    pairs = [DuplicatePair(dossiers[rows[k]], others[columns[k]], round(float(scores[k]), 3)) for k in chosen]
    pairs.sort(key=lambda pair: (-pair.similarity, pair.first.pk, pair.second.reference))
    return (pairs if limit is None else pairs[:limit]), len(scores)


@dataclass(frozen=True)
class Similar:
    challenge: Challenge
    similarity: float


def nearest(text: str, candidates: list[Challenge], *, limit: int, keep=lambda challenge: True) -> list[Similar]:
    """The candidates closest to the text, those `keep` accepts, most similar first (ties by reference)."""
    if not candidates or not text:
        return []
    scores = similarity([text], [candidate.text for candidate in candidates])[0]
    order = sorted(range(len(candidates)), key=lambda index: (-scores[index], candidates[index].reference))
    found: list[Similar] = []
    for index in order:
        if keep(candidates[index]):
            found.append(Similar(candidates[index], round(float(scores[index]), 3)))
            if len(found) == limit:
                break
    return found


def similar_to_dossier(application: Application, *, may_read=lambda challenge: True, limit: int = 5) -> list[Similar]:
    """The dossiers of the same call and the labelled challenges closest to this dossier's submitted version;
    `may_read` leaves out the dossiers the reader may not open (a member's conflicts)."""
    contents = latest_contents([application.pk])
    if application.pk not in contents:
        return []
    text = challenge_text(contents[application.pk])
    candidates = [d for d in call_dossiers(application.call) if d.pk != application.pk]
    candidates += [label for label in labelled() if label.pk != application.pk]
    return nearest(text, candidates, limit=limit, keep=lambda c: c.kind == "label" or may_read(c))


def similar_in_catalogue(identifier: str, *, limit: int = 5) -> list[Similar]:
    """The labelled challenges closest to this one, among the public catalogue only."""
    entries = public_labelled()
    this = next((entry for entry in entries if entry.reference == identifier), None)
    if this is None:
        return []
    return nearest(this.text, [entry for entry in entries if entry.reference != identifier], limit=limit)


@dataclass(frozen=True)
class ThemeSuggestion:
    code: str
    name: str
    score: float
    # Why: how close the text is to the theme's description, and the labelled examples of the theme it is closest to.
    description_similarity: float
    examples: tuple[Similar, ...]


def _theme_texts(themes) -> list[str]:
    return ["\n".join(filter(None, [*theme.name.values(), *(theme.description or {}).values()])) for theme in themes]


def _ranked_themes(themes, examples: list[Challenge], to_descriptions, to_examples) -> list[ThemeSuggestion]:
    suggestions = []
    for index, theme in enumerate(themes):
        nearest_examples = sorted(
            (
                Similar(example, round(float(to_examples[i]), 3))
                for i, example in enumerate(examples)
                if theme.code in example.themes
            ),
            key=lambda similar: (-similar.similarity, similar.challenge.reference),
        )[:3]
        description_part = float(to_descriptions[index])
        score = description_part
        if nearest_examples:
            score = 0.5 * description_part + 0.5 * float(np.mean([s.similarity for s in nearest_examples]))
        suggestions.append(
            ThemeSuggestion(
                theme.code, localize(theme.name), round(score, 3), round(description_part, 3), tuple(nearest_examples)
            )
        )
    return sorted(suggestions, key=lambda suggestion: (-suggestion.score, suggestion.code))


def theme_suggestions(text: str, call: Call, *, examples: list[Challenge] | None = None) -> list[ThemeSuggestion]:
    """The call's themes ranked for this text: half its closeness to the theme's description (in both languages),
    half its mean closeness to the three nearest examples of the theme (labelled challenges, by default). A
    suggestion with its reasons, never a choice made for anyone."""
    themes = list(call.themes.all())
    if not themes or not text.strip():
        return []
    examples = labelled() if examples is None else examples
    to_descriptions = similarity_to_text(text, _theme_texts(themes))
    to_examples = similarity_to_text(text, [example.text for example in examples])
    return _ranked_themes(themes, examples, to_descriptions, to_examples)


@dataclass(frozen=True)
class ThemeReview:
    """A submitted dossier, the themes its carrier chose and the ones its text suggests."""

    dossier: Challenge
    declared: tuple[str, ...]
    declared_names: tuple[str, ...]
    suggestions: tuple[ThemeSuggestion, ...]

    @property
    def differs(self) -> bool:
        """The text's first suggestion is none of the themes chosen."""
        return bool(self.suggestions) and self.suggestions[0].code not in self.declared


def theme_review(call: Call, *, dossiers: list[Challenge] | None = None) -> list[ThemeReview]:
    """Every submitted dossier of the call with its theme suggestions, examples taken from the challenges labelled
    in other editions: one batch of comparisons for the whole call."""
    themes = list(call.themes.all())
    dossiers = call_dossiers(call) if dossiers is None else dossiers
    if not themes or not dossiers:
        return []
    examples = labelled(exclude_call=call)
    texts = [dossier.text for dossier in dossiers]
    to_descriptions = similarity(texts, _theme_texts(themes))
    to_examples = similarity(texts, [e.text for e in examples]) if examples else np.zeros((len(texts), 0))
    names = {theme.code: localize(theme.name) for theme in themes}
    return [
        ThemeReview(
            dossier,
            dossier.themes,
            tuple(names.get(code, code) for code in dossier.themes),
            tuple(_ranked_themes(themes, examples, to_descriptions[i], to_examples[i])[:2]),
        )
        for i, dossier in enumerate(dossiers)
    ]


def embed_changed_texts() -> int:
    """Embed what triage reads and has no stored vector for yet: the submitted dossiers of open calls and the
    labelled challenges, and, where the selection reads affinity as meaning, the dossiers' texts as the
    assignment reads them (the worker's periodic task; readers embed what is still missing themselves)."""
    model = text_model()
    if not model.stored:
        return 0
    from convergence.review.affinity import dossier_text
    from convergence.review.models import AffinitySource, Selection

    texts = [challenge.text for challenge in labelled()]
    by_meaning = set(
        Selection.objects.filter(affinity_model=AffinitySource.EMBEDDINGS).values_list("call_id", flat=True)
    )
    for call in Call.objects.filter(applications__status=Application.Status.SUBMITTED).distinct():
        submitted = call.applications.filter(status=Application.Status.SUBMITTED).values_list("pk", flat=True)
        contents = latest_contents(list(submitted)).values()  # as call_dossiers reads them, read once here
        texts += [challenge_text(content) for content in contents]
        if call.pk in by_meaning:  # the assignment reads these texts too (themes and domains with them)
            texts += [dossier_text(content) for content in contents]
    before = EmbeddingVector.objects.filter(model=model.name).count()
    vectors(texts, model)
    return EmbeddingVector.objects.filter(model=model.name).count() - before


# A query is a few words against whole dossiers: similarities stay low, so results are ranked, not thresholded;
# below this floor a match is noise (a query of nonsense words finds nothing).
SEARCH_FLOOR = 0.15


def search(
    query: str, candidates: list[Challenge], *, exclude: frozenset[str] | set[str] = frozenset(), limit: int = 5
) -> list[Similar]:
    """The candidates closest in meaning to a query, in any language: what keyword search cannot find (a French
    query for an English challenge, other words for the same thing). The query is never kept."""
    shown = [candidate for candidate in candidates if candidate.reference not in exclude]
    if not query.strip() or not shown:
        return []
    scores = similarity_to_text(query, [candidate.text for candidate in shown])
    order = sorted(range(len(shown)), key=lambda index: (-scores[index], shown[index].reference))
    return [Similar(shown[i], round(float(scores[i]), 3)) for i in order[:limit] if scores[i] >= SEARCH_FLOOR]


def call_map(call: Call, *, dossiers: list[Challenge] | None = None) -> Table:
    """The submitted dossiers projected on the plane (PCA of their text vectors): close points, close texts. A
    table first (its text alternative and CSV), drawn as a scatter coloured by first theme."""
    from sklearn.decomposition import PCA

    dossiers = call_dossiers(call) if dossiers is None else dossiers
    names = {theme.code: localize(theme.name) for theme in call.themes.all()}
    title = _("Map of the call")
    columns = [_("Dossier"), _("Title"), _("First theme"), "x", "y"]
    if len(dossiers) < 3:
        return Table("call_map", title, columns, [])
    model = text_model()
    points = vectors([d.text for d in dossiers], model)
    plane = PCA(n_components=2, random_state=0).fit_transform(points)
    rows = [
        (
            d.reference,
            d.title,
            names.get(d.themes[0], d.themes[0]) if d.themes else "—",
            round(float(x), 3),
            round(float(y), 3),
        )
        for d, (x, y) in zip(dossiers, plane, strict=True)
    ]
    return Table("call_map", title, columns, rows)
