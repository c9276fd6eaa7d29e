"""Server-side SVG map of results: Gemeinde outlines plus one linked dot per offer (no tiles, no script)."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from django.urls import reverse
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from teilhabe.lib.geo import Projection, bounds
from teilhabe.regions.models import Gemeinde


@lru_cache(maxsize=8)
def _base_map(ags: tuple[str, ...]) -> tuple[Projection, str] | None:
    """Projection and outline paths of the given Gemeinden. Boundaries only change with a new region load,
    and projecting thousands of boundary points on every search request would dominate its cost."""
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
    return projection, outlines


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
    projection, outlines = base
    # One reverse() for all dots: the detail URL differs only in the id.
    url = reverse("directory:offer", args=[0]).replace("/0/", "/{}/")
    dots = []
    for pk, name, lat, lon in points:
        x, y = projection.point(lon, lat)
        dots.append(
            f'<a href="{url.format(int(pk))}"><circle class="directory-map__offer" cx="{x:.1f}" '
            f'cy="{y:.1f}" r="6"><title>{escape(name)}</title></circle></a>'
        )
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
