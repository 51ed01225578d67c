"""The dashboard's figures and how each is drawn: one registry, so the page, the CSV, the chart files and the API
always show the same numbers."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass

from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from matplotlib.figure import Figure

from convergence.calls.models import Call

from . import charts, selectors
from .selectors import Table

COVERAGE = ("themes", "domains", "formats", "criteria", "trl", "carrier_types")


def call_tables(
    call: Call, keys: frozenset[str] | None = None, *, at_risk: list[selectors.DraftAtRisk] | None = None
) -> dict[str, Table]:
    """The dashboard's tables, or only those asked for (a chart file needs one: it computes no other)."""

    def wanted(*names: str) -> bool:
        return keys is None or bool(keys & set(names))

    contents: list[dict] | None = None

    def submitted() -> list[dict]:
        nonlocal contents
        if contents is None:
            contents = selectors.submitted_contents(call)
        return contents

    tables: list[Table] = []
    if wanted("timeline"):
        tables.append(selectors.applications_over_time(call))
    if wanted(*COVERAGE):
        tables.extend(selectors.distributions(submitted()))
    if wanted("countries"):
        tables.append(selectors.countries(submitted()))
    if wanted("pairs"):
        tables.append(selectors.international_pairs(submitted()))
    if wanted("missing"):
        tables.append(selectors.missing_most_often(selectors.drafts_at_risk(call) if at_risk is None else at_risk))
    if wanted("committee"):
        tables.append(selectors.committee_progress(call))
    if wanted("reviews_per_dossier"):
        tables.append(selectors.reviews_per_dossier(call))
    if wanted("disagreements"):
        tables.append(selectors.disagreements(call))
    if keys is not None and "call_map" in keys:  # asked for by name only: the dashboard does not show it
        from .triage import call_map

        tables.append(call_map(call))
    return {table.key: table for table in tables if keys is None or table.key in keys}


@dataclass(frozen=True)
class ChartSpec:
    table: str
    draw: Callable[[Call, Table], Figure]
    description: object  # the chart's text alternative says what it shows; the table beside it gives the numbers


def _bars(call: Call, table: Table) -> Figure:
    return charts.bar_chart([(str(row[0]), int(row[1])) for row in table.rows], xlabel=table.columns[-1])


def _timeline(call: Call, table: Table) -> Figure:
    series = [
        (table.columns[column], [(row[0], row[column]) for row in table.rows if row[column] != ""])
        for column in range(1, len(table.columns))
    ]
    return charts.timeline_chart(
        series,
        day_format="%d/%m" if (get_language() or "fr").startswith("fr") else "%d %b",
        deadline=timezone.localdate(call.closes_at),
        deadline_label=_("deadline"),
        ylabel=_("Dossiers (cumulative)"),
    )


def _map(call: Call, table: Table) -> Figure:
    return charts.world_map({row[0]: row[4] for row in table.rows}, label=_("Carriers and partners"))


def _scatter(call: Call, table: Table) -> Figure:
    return charts.scatter_chart([(row[3], row[4], row[2]) for row in table.rows], legend_title=_("First theme"))


def _spreads(call: Call, table: Table) -> Figure:
    return charts.spread_chart(selectors.score_spreads(call), xlabel=_("Review score (0–4); red mark: mean"))


CHARTS: dict[str, ChartSpec] = {
    "timeline": ChartSpec(
        "timeline", _timeline, gettext_lazy("Cumulative drafts started and dossiers submitted per day.")
    ),
    "themes": ChartSpec("themes", _bars, gettext_lazy("Submitted dossiers per theme.")),
    "domains": ChartSpec("domains", _bars, gettext_lazy("Submitted dossiers per priority domain.")),
    "formats": ChartSpec("formats", _bars, gettext_lazy("Submitted dossiers per format.")),
    "criteria": ChartSpec("criteria", _bars, gettext_lazy("Criteria claimed with a justification.")),
    "trl": ChartSpec("trl", _bars, gettext_lazy("Submitted dossiers per technology readiness level.")),
    "carrier_types": ChartSpec("carrier_types", _bars, gettext_lazy("Carrier organisations by type.")),
    "countries": ChartSpec(
        "countries", _map, gettext_lazy("World map shaded by the number of carriers and partners per country.")
    ),
    "missing": ChartSpec("missing", _bars, gettext_lazy("Sections most often missing in the drafts at risk.")),
    "scores": ChartSpec("committee", _spreads, gettext_lazy("Each member's review scores, with their mean.")),
    "call_map": ChartSpec(
        "call_map",
        _scatter,
        gettext_lazy(
            "Map of the call: each point is a submitted dossier, placed so that dossiers whose texts are close in "
            "meaning are close; its colour is its first theme."
        ),
    ),
}


def chart_bytes(call: Call, key: str, fmt: str, table: Table) -> bytes:
    """The chart file, cached on its data: the same numbers in the same language draw the same picture."""
    digest = hashlib.sha256(repr((call.pk, key, fmt, get_language(), table)).encode()).hexdigest()[:24]
    cache_key = f"insights:chart:{digest}"
    image = cache.get(cache_key)
    if image is None:
        figure = CHARTS[key].draw(call, table)
        image = charts.render(figure, fmt)
        cache.set(cache_key, image, 600)
    return image
