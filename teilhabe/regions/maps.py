from __future__ import annotations

from collections.abc import Sequence

from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from teilhabe.lib.geo import Projection, bounds
from teilhabe.regions.models import Gemeinde


def gemeinde_map_svg(gemeinden: Sequence[Gemeinde], *, title: str, highlight: str = "") -> SafeString:
    """An SVG map with one link per Gemeinde; the same list is always also given as a table next to it."""
    shapes = [g for g in gemeinden if g.geometry]
    if not shapes:
        return mark_safe("")
    projection = Projection(bounds(g.geometry for g in shapes))  # type: ignore[misc]
    paths = format_html_join(
        "\n",
        '<a href="{}"><title>{}</title><path d="{}"{}/></a>',
        (
            (
                reverse("regions:gemeinde", args=[g.ags]),
                g.name,
                projection.path(g.geometry),  # type: ignore[arg-type]
                mark_safe(' class="is-highlighted"') if g.ags == highlight else "",
            )
            for g in shapes
        ),
    )
    return format_html(
        '<svg class="region-map" viewBox="0 0 {} {}" role="group" aria-labelledby="map-title" '
        'xmlns="http://www.w3.org/2000/svg"><title id="map-title">{}</title>{}</svg>',
        int(projection.width),
        int(projection.height),
        title,
        paths,
    )
