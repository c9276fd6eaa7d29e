"""Vega-Lite specs rendered to SVG on the server (vl-convert): readable without JavaScript, CSP-safe.

vl-convert writes presentation attributes only (no ``style=""``), so the markup can be embedded directly.
Rendered SVGs are stored by the hash of their spec (``fragments``, in the database, shared by all workers):
the prerender job after a recomputation draws them, so a page view costs one lookup, never a drawing.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Any

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from teilhabe.core import fragments
from teilhabe.indicators import i18n

# Okabe–Ito: distinguishable with the common forms of colour-vision deficiency.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
MISSING_COLOUR = "#d9d9d9"
FONT = "Fira Sans, Arial, sans-serif"
_INNER_ROLES = re.compile(r' (?:role|aria-roledescription|aria-label)="[^"]*"')


def _render(spec: dict[str, Any], label: str) -> SafeString:
    import vl_convert

    lang = i18n.current_language()
    number_locale = i18n.chart_locale(lang)
    payload = json.dumps([spec, number_locale, lang], sort_keys=True, ensure_ascii=False)
    cache_key = fragments.key("svg", payload, label)
    stored = fragments.read(cache_key)
    svg = stored[1] if stored is not None else None
    if svg is None:
        svg = vl_convert.vegalite_to_svg(spec, format_locale=number_locale, time_format_locale="de-DE")
        # One accessible name for the whole graphic; the data table below carries the details, so the
        # inner Vega roles (graphics-symbol without names) are dropped.
        svg = _INNER_ROLES.sub("", svg)
        # Vega positions text for left-to-right anchors; in an RTL page the inherited direction would flip
        # text-anchor and push titles off the canvas (one letter visible). The graphic stays LTR for
        # layout; Arabic and Persian words are still shaped right-to-left by the bidi algorithm.
        svg = svg.replace(
            "<svg ",
            f'<svg role="img" aria-label="{escape(label)}" lang="{lang}" direction="ltr" class="chart-svg" ',
            1,
        )
        fragments.store(cache_key, svg)
    return mark_safe(svg)


def _base(title: str, width: int = 560, height: int = 260) -> dict[str, Any]:
    """Common spec; in Arabic and Persian the chart is built right-to-left (title at the right, y-axis at
    the right with its labels outside the plot, legend entries in columns so long names do not overlap)."""
    rtl = i18n.is_rtl()
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "title": {"text": title, "anchor": "end" if rtl else "start", "fontSize": 14, "limit": width},
        "width": width,
        "height": height,
        "usermeta": {"lang": get_language() or "de", "rtl": rtl},
        "config": {
            "font": FONT,
            "view": {"stroke": None},
            "axis": {"labelFontSize": 12, "titleFontSize": 12, "labelPadding": 6, "titlePadding": 10},
            "axisY": {"orient": "right" if rtl else "left", "labelAlign": "left" if rtl else "right"},
            "legend": {
                "labelFontSize": 12,
                "titleFontSize": 12,
                "orient": "bottom",
                "direction": "vertical",
                "labelLimit": 400,
            },
        },
        "background": "white",
    }


def time_series_svg(points: Sequence[tuple[str, int, float]], *, title: str, unit: str) -> SafeString:
    """Lines per series (e.g. Gemeinde, Kreis, Deutschland) over years."""
    if not points:
        return mark_safe("")
    series = list(dict.fromkeys(label for label, _y, _v in points))
    spec = _base(title)
    spec.update(
        {
            "data": {"values": [{"Reihe": s, "Jahr": str(y), "Wert": v} for s, y, v in points]},
            "mark": {"type": "line", "point": {"filled": True, "size": 60}, "strokeWidth": 2.5},
            "encoding": {
                "x": {
                    "field": "Jahr",
                    "type": "ordinal",
                    "title": _("Jahr"),
                    "axis": {"labelAngle": 0},
                    "sort": "descending" if i18n.is_rtl() else "ascending",
                },
                "y": {"field": "Wert", "type": "quantitative", "title": unit, "axis": {"format": ",.1f"}},
                "color": {
                    "field": "Reihe",
                    "type": "nominal",
                    "title": None,
                    "scale": {"domain": series, "range": PALETTE[: len(series)]},
                },
                "shape": {"field": "Reihe", "type": "nominal", "title": None, "scale": {"domain": series}},
                "strokeDash": {
                    "field": "Reihe",
                    "type": "nominal",
                    "title": None,
                    "scale": {"domain": series},
                },
            },
        }
    )
    return _render(spec, title)


MAP_WIDTH, MAP_HEIGHT = 520, 420
LABEL_FONT_SIZE = 10


def map_labels(features: Sequence[tuple[str, str, dict[str, Any], float | None]]) -> tuple[str, list[dict[str, Any]]]:
    """Visible Gemeinde labels for a map: ``("names", …)`` when every name fits without touching another,
    else ``("numbers", …)`` with numbers 1…n in German alphabetical order (the map then carries a key).

    Each label is ``{"ags", "name", "number", "lon", "lat"}``. Names are proper nouns and stay as they
    are in every language. Overlap is estimated on an equirectangular projection fitted to the map size
    with an average glyph width of 0.55 em, which is close to Vega's fitted Mercator at district scale.
    """
    from teilhabe.lib.collation import german_sorted
    from teilhabe.lib.geo import Projection, bounds, label_point

    shapes = german_sorted([f for f in features if f[2]], key=lambda f: f[1])
    if not shapes:
        return "names", []
    box = bounds(f[2] for f in shapes)
    projection = Projection(box, width=MAP_WIDTH, padding=0)
    fit = min(1.0, MAP_HEIGHT / max(projection.height, 1e-9))
    labels, boxes = [], []
    for number, (ags, name, geometry, _value) in enumerate(shapes, start=1):
        lon, lat = label_point(geometry)
        x, y = projection.point(lon, lat)
        half_w, half_h = 0.55 * LABEL_FONT_SIZE * len(name) / 2 + 2, LABEL_FONT_SIZE / 2 + 1
        boxes.append((x * fit - half_w, y * fit - half_h, x * fit + half_w, y * fit + half_h))
        labels.append({"ags": ags, "name": name, "number": number, "lon": lon, "lat": lat})
    collide = any(
        a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3] for i, a in enumerate(boxes) for b in boxes[i + 1 :]
    )
    return ("numbers" if collide else "names"), labels


def choropleth_svg(
    features: Sequence[tuple[str, str, dict[str, Any], float | None]],
    *,
    title: str,
    unit: str,
    outline: dict[str, Any] | None = None,
) -> SafeString:
    """Gemeinden coloured by value (viridis, colour-blind safe); suppressed or missing in grey.

    Every Gemeinde carries a visible label (:func:`map_labels`): its name, or a number explained by a
    key beside the map ("3 Brüssow (Uckermark)"), at the reading start in Arabic and Persian.
    ``outline``: GeoJSON geometry of the Kreis, drawn as a dark boundary over the Gemeinden.
    """
    shapes = [f for f in features if f[2]]
    if not shapes:
        return mark_safe("")
    rtl = i18n.is_rtl()
    mode, labels = map_labels(shapes)
    collection = {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "geometry": geometry, "properties": {"name": name, "ags": ags, "Wert": value}}
            for ags, name, geometry, value in shapes
        ],
    }
    label_values = [
        {"lon": item["lon"], "lat": item["lat"], "text": item["name"] if mode == "names" else str(item["number"])}
        for item in labels
    ]
    text_layer = {
        "data": {"values": label_values},
        "encoding": {
            "longitude": {"field": "lon", "type": "quantitative"},
            "latitude": {"field": "lat", "type": "quantitative"},
            "text": {"field": "text", "type": "nominal"},
        },
    }
    font = {"type": "text", "fontSize": LABEL_FONT_SIZE, "fontWeight": "bold", "align": "center", "baseline": "middle"}
    layers: list[dict[str, Any]] = [
        {"mark": {"type": "geoshape", "fill": MISSING_COLOUR, "stroke": "white", "strokeWidth": 0.7}},
        {
            "transform": [{"filter": "isValid(datum.properties.Wert)"}],
            "mark": {"type": "geoshape", "stroke": "white", "strokeWidth": 0.7},
            "encoding": {
                "color": {
                    "field": "properties.Wert",
                    "type": "quantitative",
                    "title": unit,
                    "scale": {"scheme": "viridis", "reverse": True},
                    "legend": {"format": ",.1f", "orient": "left" if rtl else "right"},
                }
            },
        },
    ]
    if outline:
        layers.append(
            {
                "data": {"values": [{"type": "Feature", "geometry": outline, "properties": {}}]},
                "mark": {"type": "geoshape", "filled": False, "stroke": "#1a1a1a", "strokeWidth": 1.6},
            }
        )
    # A white halo under black text keeps every label readable on dark and light fills (contrast).
    layers.append({**text_layer, "mark": {**font, "stroke": "white", "strokeWidth": 3, "strokeJoin": "round"}})
    layers.append({**text_layer, "mark": {**font, "fill": "#1a1a1a"}})
    spec = _base(title, width=MAP_WIDTH, height=MAP_HEIGHT)
    map_view = {
        "width": MAP_WIDTH,
        "height": MAP_HEIGHT,
        "data": {"values": collection, "format": {"type": "json", "property": "features"}},
        "projection": {"type": "mercator"},
        "layer": layers,
    }
    if mode == "names":
        spec.update(map_view)
        return _render(spec, title)
    # Numbers: a key beside the map, in columns of at most 32 entries ("12 Schwedt/Oder").
    rows_per_column = 32
    key_values = [
        {"row": (item["number"] - 1) % rows_per_column, "column": (item["number"] - 1) // rows_per_column,
         "text": f"{item['number']} {item['name']}"}
        for item in labels
    ]  # fmt: skip
    columns = (len(labels) - 1) // rows_per_column + 1
    key_view = {
        "width": 170 * columns,
        "height": MAP_HEIGHT,
        "data": {"values": key_values},
        "mark": {"type": "text", "fontSize": 11, "align": "left", "baseline": "middle"},
        "encoding": {
            "y": {"field": "row", "type": "ordinal", "axis": None, "scale": {"domain": list(range(rows_per_column))}},
            "x": {"field": "column", "type": "quantitative", "axis": None, "scale": {"domain": [0, columns]}},
            "text": {"field": "text", "type": "nominal"},
        },
    }
    for key in ("width", "height"):
        spec.pop(key, None)
    spec["hconcat"] = [key_view, map_view] if rtl else [map_view, key_view]
    spec["resolve"] = {"scale": {"color": "independent"}}
    return _render(spec, title)


def comparison_svg(rows: Sequence[tuple[str, float, bool]], *, title: str, unit: str) -> SafeString:
    """Horizontal bars for a comparison; the own Kreis is highlighted (colour *and* bold label)."""
    if not rows:
        return mark_safe("")
    own_label, other_label = _("eigener Kreis"), _("Vergleich")
    spec = _base(title, width=460, height=max(60, 22 * len(rows)))
    spec.update(
        {
            "data": {
                "values": [
                    {"Gebiet": name, "Wert": value, "Eigen": own_label if own else other_label}
                    for name, value, own in rows
                ]
            },
            "mark": {"type": "bar"},
            "encoding": {
                "y": {"field": "Gebiet", "type": "nominal", "sort": "-x", "title": None},
                "x": {"field": "Wert", "type": "quantitative", "title": unit, "axis": {"format": ",.1f"}},
                "color": {
                    "field": "Eigen",
                    "type": "nominal",
                    "title": None,
                    "scale": {"domain": [own_label, other_label], "range": [PALETTE[5], PALETTE[0]]},
                },
            },
        }
    )
    return _render(spec, title)
