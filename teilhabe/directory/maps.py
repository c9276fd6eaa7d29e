"""Server-side SVG map of results: Gemeinde outlines plus one linked dot per offer (no tiles, no script)."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from django.urls import reverse
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from teilhabe.lib.geo import Projection, bounds
from teilhabe.regions.models import Gemeinde

DRAWN_DOTS = 50_000  # remembered offer dots (each drawn once per address, title and place)


@lru_cache(maxsize=8)
def _base_map(ags: tuple[str, ...]) -> tuple[Projection, str, dict[tuple[Any, ...], str]] | None:
    """Projection and outline paths of the given Gemeinden, and an empty cache of offer dots drawn on them.
    Boundaries only change with a new region load, and projecting thousands of boundary points on every
    search request would dominate its cost."""
    shapes = [
        g for g in Gemeinde.objects.filter(ags__in=ags).order_by("ags").only("ags", "name", "geometry") if g.geometry
    ]
    if not shapes:
        return None
    projection = Projection(bounds(g.geometry for g in shapes))  # type: ignore[misc]
    outlines = "\n".join(
        f'<path class="directory-map__gemeinde" d="{projection.path(g.geometry or {})}">'
        f"<title>{escape(g.name)}</title></path>"
        for g in shapes
    )
    return projection, outlines, {}


def results_map_svg(
    gemeinden: Sequence[str],
    points: Sequence[tuple[int, str, float, float]],
    *,
    title: str,
    origin: tuple[float, float] | None = None,
) -> SafeString:
    """``gemeinden``: AGS of the outlines to draw; ``points`` are (offer id, title, latitude, longitude); the
    result list next to it carries the same."""
    base = _base_map(tuple(sorted(gemeinden)))
    if base is None:
        return mark_safe("")
    projection, outlines, drawn = base
    # One reverse() for all dots: the detail URL differs only in the id (and the language prefix).
    url = reverse("directory:offer", args=[0]).replace("/0/", "/{}/")
    if len(drawn) > DRAWN_DOTS:
        drawn.clear()
    dots = []
    for point in points:
        key = (url, *point)
        dot = drawn.get(key)
        if dot is None:
            pk, name, lat, lon = point
            x, y = projection.point(lon, lat)
            dot = drawn[key] = (
                f'<a href="{url.format(int(pk))}"><circle class="directory-map__offer" cx="{x:.1f}" '
                f'cy="{y:.1f}" r="6"><title>{escape(name)}</title></circle></a>'
            )
        dots.append(dot)
    here = ""
    if origin is not None:
        x, y = projection.point(origin[1], origin[0])
        here = f'<circle class="directory-map__origin" cx="{x:.1f}" cy="{y:.1f}" r="8"></circle>'
    return format_html(
        # role=group, not img: the map holds links (one per offer); an img may not contain interactive content.
        '<svg class="directory-map" viewBox="0 0 {} {}" role="group" aria-labelledby="directory-map-title" '
        'xmlns="http://www.w3.org/2000/svg"><title id="directory-map-title">{}</title>{}{}{}</svg>',
        int(projection.width),
        int(projection.height),
        title,
        mark_safe(outlines),
        mark_safe("\n".join(dots)),
        mark_safe(here),
    )
