"""Charts drawn on the server with Matplotlib, in the DSFR's colours: the same figure gives the page's SVG and the
PNG or SVG download, and needs no script in the browser. Each chart has its data table beside it on the page."""

from __future__ import annotations

import io
from datetime import date, timedelta

from matplotlib.collections import PolyCollection
from matplotlib.colors import LinearSegmentedColormap, Normalize
from matplotlib.dates import DateFormatter, date2num
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from .worldmap import country_shapes

BLUE_FRANCE = "#000091"
GREY = "#929292"
RED_MARIANNE = "#c9191e"
# DSFR illustrative colours, for series that are not ranked against one another.
PALETTE = ["#000091", "#c9191e", "#009081", "#ff9940", "#a558a0", "#417dc4", "#68a532", "#c3992a"]
MAP_COLOURS = LinearSegmentedColormap.from_list("dsfr-blue", ["#e3e3fd", "#6a6af4", "#000091"])
FORMATS = {"svg": "image/svg+xml", "png": "image/png"}


def _figure(width: float = 7.0, height: float = 3.6) -> Figure:
    figure = Figure(figsize=(width, height), layout="constrained")
    figure.set_facecolor("white")
    return figure


def _tidy(axes) -> None:
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    axes.tick_params(colors="#3a3a3a", labelsize=9)


def bar_chart(rows: list[tuple[str, int]], *, xlabel: str) -> Figure:
    """Horizontal bars, largest first (labels stay readable whatever their length)."""
    rows = rows[::-1]
    figure = _figure(height=max(1.6, 0.38 * len(rows) + 0.8))
    axes = figure.add_subplot()
    labels = [label if len(label) <= 48 else label[:47] + "…" for label, _ in rows]
    bars = axes.barh(labels, [value for _, value in rows], color=BLUE_FRANCE, height=0.6)
    axes.bar_label(bars, padding=3, fontsize=9)
    axes.set_xlabel(xlabel, fontsize=9)
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    _tidy(axes)
    return figure


def scatter_chart(points: list[tuple[float, float, str]], *, legend_title: str) -> Figure:
    """Points coloured by group (at most 8 colours; the rest share grey), with a legend; no axes to read: only
    the distances mean something."""
    figure = _figure(height=4.6)
    axes = figure.add_subplot()
    groups = list(dict.fromkeys(group for _x, _y, group in points))
    for index, group in enumerate(groups):
        xs = [x for x, _y, g in points if g == group]
        ys = [y for _x, y, g in points if g == group]
        colour = PALETTE[index] if index < len(PALETTE) else GREY
        axes.scatter(xs, ys, s=28, color=colour, label=f"{group} ({len(xs)})", alpha=0.85, edgecolors="white")
    axes.set_xticks([])
    axes.set_yticks([])
    for side in ("top", "right", "bottom", "left"):
        axes.spines[side].set_visible(False)
    axes.legend(title=legend_title, fontsize=8, title_fontsize=9, loc="center left", bbox_to_anchor=(1.0, 0.5))
    return figure


def timeline_chart(
    series: list[tuple[str, list[tuple[date, int]]]],
    *,
    deadline: date | None,
    deadline_label: str,
    ylabel: str,
    day_format: str = "%d/%m",
) -> Figure:
    """Cumulative curves; the deadline as a red vertical line."""
    figure = _figure()
    axes = figure.add_subplot()
    for index, (label, points) in enumerate(series):
        if points:
            axes.step(
                date2num([d for d, _ in points]), [v for _, v in points], where="post", label=label,
                color=PALETTE[index] if index < 2 else GREY, linestyle="--" if index >= 2 else "-", linewidth=2,
                marker="o" if len(points) < 4 else None,
            )  # fmt: skip
    days = [d for _, points in series for d, _ in points]
    if days:
        axes.set_xlim(date2num(min(days)), date2num(max([*days, deadline] if deadline else days) + timedelta(days=1)))
    if deadline is not None:
        axes.axvline(date2num(deadline), color=RED_MARIANNE, linewidth=1.2)
        axes.annotate(deadline_label, (date2num(deadline), 1), xycoords=("data", "axes fraction"), fontsize=8,
                      color=RED_MARIANNE, ha="right", va="top", rotation=90)  # fmt: skip
    axes.set_ylabel(ylabel, fontsize=9)
    axes.legend(fontsize=8, frameon=False, loc="upper left")
    axes.xaxis_date()
    axes.xaxis.set_major_formatter(DateFormatter(day_format))
    figure.autofmt_xdate()
    _tidy(axes)
    return figure


def spread_chart(rows: list[tuple[str, list[float]]], *, xlabel: str) -> Figure:
    """Each member's scores as dots, with their mean: a harsh or lenient member shows at a glance."""
    figure = _figure(height=max(1.8, 0.45 * len(rows) + 0.9))
    axes = figure.add_subplot()
    for position, (_label, scores) in enumerate(rows):
        if scores:
            axes.scatter(scores, [position] * len(scores), color=BLUE_FRANCE, alpha=0.35, s=28)
            axes.scatter([sum(scores) / len(scores)], [position], color=RED_MARIANNE, marker="|", s=400)
    axes.set_yticks(range(len(rows)), [label for label, _ in rows])
    axes.set_xlim(-0.2, 4.2)
    axes.set_xlabel(xlabel, fontsize=9)
    _tidy(axes)
    return figure


def world_map(counts: dict[str, int], *, label: str) -> Figure:
    """A choropleth of countries (equirectangular projection, Natural Earth 1:110m)."""
    shapes = country_shapes()
    figure = _figure(width=8.0, height=4.0)
    axes = figure.add_subplot()
    norm = Normalize(vmin=0, vmax=max(counts.values(), default=1) or 1)
    polygons, colours = [], []
    for code, rings in shapes.items():
        for ring in rings:
            polygons.append(ring)
            colours.append(MAP_COLOURS(norm(counts[code])) if counts.get(code) else "#eeeeee")
    axes.add_collection(PolyCollection(polygons, facecolors=colours, edgecolors="white", linewidths=0.3))
    axes.set_xlim(-170, 190)
    axes.set_ylim(-58, 84)
    axes.set_aspect("equal")
    axes.axis("off")
    if counts:
        colourbar = figure.colorbar(
            _mappable(norm), ax=axes, orientation="horizontal", fraction=0.04, pad=0.02, shrink=0.4
        )
        colourbar.set_label(label, fontsize=8)
        colourbar.ax.tick_params(labelsize=8)
    return figure


def _mappable(norm: Normalize):
    from matplotlib.cm import ScalarMappable

    return ScalarMappable(norm=norm, cmap=MAP_COLOURS)


def render(figure: Figure, fmt: str) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(
        buffer, format=fmt, dpi=150 if fmt == "png" else 100, metadata={"Date": None} if fmt == "svg" else None
    )
    return buffer.getvalue()
