"""Visible Gemeinde labels on the choropleth maps (issue 13: "maps with Kreis outline and accessible
Gemeinde labels"; decision 0054)."""

from __future__ import annotations

import csv
import gzip
import json
from functools import cache
from typing import Any

import lxml.etree
import pytest
from django.conf import settings
from django.utils import translation

from teilhabe.indicators import charts

# Charts are kept in the fragment store (decision 0130), which lives in the database.
pytestmark = pytest.mark.django_db

DATA = settings.BASE_DIR / "teilhabe" / "regions" / "data"


@cache
def uckermark() -> list[tuple[str, str, dict[str, Any], float | None]]:
    names = {
        row["ags"]: row["gemeinde_name"]
        for row in csv.DictReader((DATA / "gemeindeverzeichnis" / "gemeinden.csv").open(encoding="utf-8"))
    }
    path = DATA / "grenzen_vg5000" / "gemeinden_vg5000_gebietsstand_2024-12-31.geojson.gz"
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        features = json.load(handle)["features"]
    return [
        (f["properties"]["ags"], names[f["properties"]["ags"]], f["geometry"], float(i % 5))
        for i, f in enumerate(features)
        if str(f["properties"]["ags"]).startswith("12073")
    ]


def _texts(svg: str) -> list[str]:
    root = lxml.etree.fromstring(svg.replace(' class="chart-svg"', "", 1).encode())
    return [t.text or "" for t in root.iter("{http://www.w3.org/2000/svg}text")]


def test_crowded_map_numbers_every_gemeinde_and_keys_the_numbers_by_name() -> None:
    features = uckermark()
    mode, labels = charts.map_labels(features)
    assert mode == "numbers" and len(labels) == len(features) == 30
    assert [item["number"] for item in labels] == list(range(1, 31))
    assert labels[0]["name"].startswith("Angermünde")  # German alphabetical order
    texts = _texts(charts.choropleth_svg(features, title="Karte", unit="%"))
    for item in labels:
        assert str(item["number"]) in texts  # on the map
        assert f"{item['number']} {item['name']}" in texts  # in the key


def test_names_where_they_fit_and_proper_names_unchanged_in_rtl() -> None:
    features = uckermark()
    far_apart = [f for f in features if f[1].startswith(("Templin", "Tantow", "Schwedt"))]
    mode, _labels = charts.map_labels(far_apart)
    assert mode == "names"
    with translation.override("ar"):
        texts = _texts(charts.choropleth_svg(far_apart, title="خريطة", unit="%"))
    assert {f[1] for f in far_apart} <= set(texts)  # German proper names, as they are
