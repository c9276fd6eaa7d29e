"""Server-side SVG map of results: Gemeinde outlines plus one linked dot per offer (no tiles, no script)."""

from __future__ import annotations

from collections.abc import Sequence

from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from teilhabe.lib.geo import Projection, bounds
from teilhabe.regions.models import Gemeinde


def _xy(projection: Projection, lat: float, lon: float) -> tuple[str, str]:
    x, y = projection.point(lon, lat)
    return f"{x:.1f}", f"{y:.1f}"


def results_map_svg(
    gemeinden: Sequence[Gemeinde],
    points: Sequence[tuple[int, str, float, float]],
    *,
    title: str,
    origin: tuple[float, float] | None = None,
) -> SafeString:
    """``points`` are (offer id, title, latitude, longitude); the result list next to it carries the same."""
    shapes = [g for g in gemeinden if g.geometry]
    if not shapes:
        return mark_safe("")
    projection = Projection(bounds(g.geometry for g in shapes))  # type: ignore[misc]
    outlines = format_html_join(
        "\n",
        '<path class="directory-map__gemeinde" d="{}"><title>{}</title></path>',
        ((projection.path(g.geometry or {}), g.name) for g in shapes),
    )
    dots = format_html_join(
        "\n",
        '<a href="{}"><circle class="directory-map__offer" cx="{}" cy="{}" r="6"><title>{}</title>'
        "</circle></a>",
        (
            (reverse("directory:offer", args=[pk]), *_xy(projection, lat, lon), name)
            for pk, name, lat, lon in points
        ),
    )
    here = ""
    if origin is not None:
        x, y = _xy(projection, origin[0], origin[1])
        here = format_html('<circle class="directory-map__origin" cx="{}" cy="{}" r="8"></circle>', x, y)
    return format_html(
        '<svg class="directory-map" viewBox="0 0 {} {}" role="img" aria-labelledby="directory-map-title" '
        'xmlns="http://www.w3.org/2000/svg"><title id="directory-map-title">{}</title>{}{}{}</svg>',
        int(projection.width),
        int(projection.height),
        title,
        outlines,
        dots,
        here,
    )
