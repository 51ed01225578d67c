"""Country shapes for the world map: Natural Earth 1:110m (public domain), vendored as TopoJSON (world-atlas)."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import pycountry

TOPOLOGY = Path(__file__).resolve().parent / "data" / "countries-110m.json"


def _decode_arcs(topology: dict) -> list[list[tuple[float, float]]]:
    """TopoJSON arcs are delta-encoded integers; the transform turns them back into longitude, latitude."""
    (scale_x, scale_y), (origin_x, origin_y) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * scale_x + origin_x, y * scale_y + origin_y))
        arcs.append(points)
    return arcs


def _ring(arcs: list[list[tuple[float, float]]], indexes: list[int]) -> list[tuple[float, float]]:
    points: list[tuple[float, float]] = []
    for index in indexes:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]  # a negative index is the arc reversed
        points.extend(arc[1:] if points else arc)
    return points


def _unwrapped(ring: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """A ring that crosses the 180th meridian (Russia, Fiji) is drawn east of it rather than across the map."""
    if max(x for x, _ in ring) - min(x for x, _ in ring) <= 180:
        return ring
    return [(x + 360 if x < 0 else x, y) for x, y in ring]


@cache
def country_shapes() -> dict[str, list[list[tuple[float, float]]]]:
    """ISO 3166 alpha-2 code → the outer rings of the country's polygons (longitude, latitude)."""
    topology = json.loads(TOPOLOGY.read_text(encoding="utf-8"))
    arcs = _decode_arcs(topology)
    shapes: dict[str, list[list[tuple[float, float]]]] = {}
    for geometry in topology["objects"]["countries"]["geometries"]:
        country = pycountry.countries.get(numeric=str(geometry.get("id", "")).zfill(3)) if "id" in geometry else None
        if country is None or country.alpha_2 == "AQ":  # Antarctica takes room and holds no partner
            continue
        polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        shapes[country.alpha_2] = [_unwrapped(_ring(arcs, polygon[0])) for polygon in polygons]
    return shapes
