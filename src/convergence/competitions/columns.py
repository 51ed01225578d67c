"""The columns of a program's leaderboard, as Codabench's `leaderboards[].columns` describe them: which scores the
board shows, under which title and with how many decimals, which stay hidden from participants (the host still
sees them), and which the platform computes from others (sum, average, minimum, maximum of named scores)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from django.utils.translation import gettext as _

from .errors import CompetitionError

COMPUTATIONS = {
    "sum": sum,
    "avg": lambda values: sum(values) / len(values),
    "min": min,
    "max": max,
}
DEFAULT_PRECISION = 2
MAX_COLUMNS = 30


@dataclass(frozen=True)
class Column:
    key: str
    title: str = ""
    precision: int = DEFAULT_PRECISION
    hidden: bool = False
    computation: str = ""
    of: tuple[str, ...] = field(default_factory=tuple)

    @property
    def label(self) -> str:
        return self.title or self.key

    def as_dict(self) -> dict:
        return {**asdict(self), "of": list(self.of)}


def parse_columns(raw) -> list[Column]:
    """The host's columns (a list of mappings, as stored and as the API takes them), checked: a refusal names the
    column and the problem in the host's language."""
    if not isinstance(raw, list):
        raise CompetitionError(_("The columns must be a list."), field_errors={"columns": [_("Not a list.")]})
    if len(raw) > MAX_COLUMNS:
        raise CompetitionError(_("A leaderboard has at most %(count)d columns.") % {"count": MAX_COLUMNS})
    columns: list[Column] = []
    for position, item in enumerate(raw, start=1):
        columns.append(_column(position, item, known=[column.key for column in columns]))
    return columns


def _column(position: int, item, *, known: list[str]) -> Column:
    def refuse(problem: str) -> CompetitionError:
        message = _("Column %(position)d: %(problem)s") % {"position": position, "problem": problem}
        return CompetitionError(message, field_errors={"columns": [message]})

    if not isinstance(item, dict):
        raise refuse(_("it must be a mapping (key, title, precision, hidden, computation, of)."))
    unknown = sorted(set(item) - {"key", "title", "precision", "hidden", "computation", "of"})
    if unknown:
        raise refuse(_("unknown field %(names)s.") % {"names": ", ".join(map(str, unknown))})
    key = str(item.get("key") or "").strip()
    if not key or len(key) > 60:
        raise refuse(_("the key (the name the scoring program writes) is required, up to 60 characters."))
    if key in known:
        raise refuse(_("the key “%(key)s” is given twice.") % {"key": key})
    precision = item.get("precision", DEFAULT_PRECISION)
    if precision is None or precision == "":
        precision = DEFAULT_PRECISION
    if isinstance(precision, bool) or not isinstance(precision, int | str) or not str(precision).isdigit():
        raise refuse(_("the number of decimals is a whole number from 0 to 10."))
    if not 0 <= int(precision) <= 10:
        raise refuse(_("the number of decimals is a whole number from 0 to 10."))
    computation = str(item.get("computation") or "").strip().lower()
    if computation and computation not in COMPUTATIONS:
        raise refuse(_("the computation is one of %(choices)s.") % {"choices": ", ".join(COMPUTATIONS)})
    of = item.get("of") or []
    if isinstance(of, str):
        of = [name.strip() for name in of.split(",") if name.strip()]
    if not isinstance(of, list) or not all(isinstance(name, str) for name in of):
        raise refuse(_("“of” lists the keys of the columns it is computed from."))
    if computation and not of:
        raise refuse(_("a computed column names the columns it is computed from."))
    if of and not computation:
        raise refuse(_("columns to compute from are given without a computation."))
    missing = [name for name in of if name not in known]
    if missing:
        raise refuse(
            _("it is computed from %(names)s, which must be columns placed before it.") % {"names": ", ".join(missing)}
        )
    hidden = item.get("hidden", False)
    if not isinstance(hidden, bool):
        raise refuse(_("“hidden” is true or false."))
    return Column(
        key=key,
        title=str(item.get("title") or "").strip()[:120],
        precision=int(precision),
        hidden=hidden,
        computation=computation,
        of=tuple(of),
    )


def phase_columns(phase) -> list[Column]:
    """The phase's stored columns (checked when saved)."""
    return [
        Column(**{**item, "of": tuple(item.get("of") or ())})
        for item in (phase.leaderboard_columns or [])
        if isinstance(item, dict)
    ]


def with_computed(columns: list[Column], scores: dict[str, float]) -> dict[str, float]:
    """The program's scores with the computed columns added, in column order (a column may use one computed
    before it). A computation missing one of its scores is left out, as a score the program did not write."""
    result = dict(scores)
    for column in columns:
        if not column.computation:
            continue
        values = [result.get(name) for name in column.of]
        if values and all(isinstance(value, int | float) for value in values):
            result[column.key] = float(COMPUTATIONS[column.computation](values))  # type: ignore[operator]
        else:
            result.pop(column.key, None)
    return result


def ranked_score(phase, scores: dict[str, float]) -> float | None:
    """The score a program's board ranks on among these (Phase.ranked_key, else the first the program wrote)."""
    ranked = phase.ranked_key
    return scores.get(ranked) if ranked else next(iter(scores.values()), None)


@dataclass(frozen=True)
class Shown:
    """A column as a reader of the board sees it."""

    key: str
    label: str
    precision: int


def shown_columns(phase, keys_on_board: list[str], *, host: bool) -> tuple[Shown, list[Shown]]:
    """The ranked column and the other columns a reader sees, in order. Without columns set, every score the
    programs wrote is shown under its own name (5 decimals, as the built-in metrics); with columns, those listed
    (hidden ones for the host only)."""
    columns = phase_columns(phase) if phase.uses_program else []
    ranked_key = phase.score_column or (columns[0].key if columns else "")
    by_key = {column.key: column for column in columns}
    ranked = by_key.get(ranked_key)
    ranked_shown = Shown(
        ranked_key, ranked.label if ranked else str(phase.score_label), ranked.precision if ranked else 5
    )
    if not columns:
        return ranked_shown, [Shown(key, key, 5) for key in keys_on_board if key != ranked_key]
    others = [
        Shown(column.key, column.label, column.precision)
        for column in columns
        if column.key != ranked_key and (host or not column.hidden)
    ]
    return ranked_shown, others
