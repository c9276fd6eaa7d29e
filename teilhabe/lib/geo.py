"""Plain-Python GeoJSON → SVG path projection for small overview maps (no JavaScript needed)."""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator
from typing import Any

Ring = list[list[float]]


def _rings(geometry: dict[str, Any]) -> Iterator[Ring]:
    if geometry["type"] == "Polygon":
        yield from geometry["coordinates"]
    elif geometry["type"] == "MultiPolygon":
        for polygon in geometry["coordinates"]:
            yield from polygon


def bounds(geometries: Iterable[dict[str, Any]]) -> tuple[float, float, float, float]:
    xs: list[float] = []
    ys: list[float] = []
    for geometry in geometries:
        for ring in _rings(geometry):
            xs.extend(point[0] for point in ring)
            ys.extend(point[1] for point in ring)
    return min(xs), min(ys), max(xs), max(ys)


class Projection:
    """Equirectangular projection scaled by cos(mean latitude); fine at district scale."""

    def __init__(self, box: tuple[float, float, float, float], width: float = 800, padding: float = 8) -> None:
        min_x, min_y, max_x, max_y = box
        self.kx = math.cos(math.radians((min_y + max_y) / 2))
        span_x = max((max_x - min_x) * self.kx, 1e-9)
        span_y = max(max_y - min_y, 1e-9)
        self.scale = (width - 2 * padding) / span_x
        self.min_x, self.max_y, self.padding = min_x, max_y, padding
        self.width = width
        self.height = span_y * self.scale + 2 * padding

    def point(self, lon: float, lat: float) -> tuple[float, float]:
        return (
            (lon - self.min_x) * self.kx * self.scale + self.padding,
            (self.max_y - lat) * self.scale + self.padding,
        )

    def path(self, geometry: dict[str, Any]) -> str:
        parts = []
        for ring in _rings(geometry):
            coords = [self.point(lon, lat) for lon, lat, *_ in ring]
            parts.append("M" + "L".join(f"{x:.1f},{y:.1f}" for x, y in coords) + "Z")
        return "".join(parts)


def label_point(geometry: dict[str, Any]) -> tuple[float, float]:
    """(lon, lat) where a label of ``geometry`` goes: the area centroid of its largest outer ring.

    Raises ``ValueError`` for a geometry without rings. Good enough for Gemeinden (mostly convex);
    a strongly concave shape may get its label just outside, next to its boundary.
    """
    outer: list[Ring] = []
    if geometry["type"] == "Polygon":
        outer = geometry["coordinates"][:1]
    elif geometry["type"] == "MultiPolygon":
        outer = [polygon[0] for polygon in geometry["coordinates"] if polygon]
    if not outer:
        raise ValueError("geometry without rings")

    def area_and_centroid(ring: Ring) -> tuple[float, float, float]:
        area = cx = cy = 0.0
        for (x0, y0, *_a), (x1, y1, *_b) in zip(ring, ring[1:] + ring[:1], strict=True):
            cross = x0 * y1 - x1 * y0
            area += cross
            cx += (x0 + x1) * cross
            cy += (y0 + y1) * cross
        if abs(area) < 1e-12:
            return 0.0, sum(p[0] for p in ring) / len(ring), sum(p[1] for p in ring) / len(ring)
        return abs(area) / 2, cx / (3 * area), cy / (3 * area)

    _area, lon, lat = max((area_and_centroid(ring) for ring in outer), key=lambda item: item[0])
    return lon, lat
