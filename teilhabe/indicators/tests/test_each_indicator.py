"""Every catalogue indicator computed on a small hand-made dataset with its expected value.

Dataset rule (one year per indicator, so inputs never collide): numerator keys = 30, subtracted keys = 10,
other denominator keys = 120 (in the lagged year where the indicator says so); magnitudes: value 100 from
50 cases. The expected values below are worked out by hand from the catalogue definitions.
"""

from __future__ import annotations

from typing import Any

import pytest

from teilhabe.indicators.compute import compute
from teilhabe.indicators.models import Indicator, IndicatorValue
from teilhabe.indicators.tests.conftest import put
from teilhabe.regions.models import Gemeinde, Kreis

pytestmark = pytest.mark.django_db

EXPECTED: dict[str, float] = {
    "DEM-01": 25,
    "DEM-02": 25,
    "DEM-03": 25,
    "DEM-04": 25,
    "DEM-05": 25,
    "DEM-06": 25,
    "DEM-07": 25,
    "DEM-08": 25,
    "DEM-09": (30 - 10) / 120 * 1000,
    "DEM-10": (30 - 10) / 120 * 1000,
    "REC-01": 25,
    "REC-02": 25,
    "REC-03": 25,
    "REC-04": 25,
    "REC-05": 25,
    "REC-06": 250,
    "KITA-01": 25,
    "KITA-02": 25,
    "KITA-03": 25,
    "KITA-04": 25,
    "BIL-01": 25,
    "BIL-02": 25,
    "BIL-03": 25,
    "BIL-04": 25,
    "BIL-05": 250,
    "SPR-01": 25,
    "ARB-01": 25,
    "ARB-02": 30 / (120 + 30) * 100,
    "ARB-03": 25,
    "ARB-04": 25,
    "SOZ-01": (30 + 30 + 30) / 120 * 1000,
    "SOZ-02": 250,
    "WOH-01": 25,
    "WOH-02": 0.0,  # the same share everywhere: no segregation
    "TEI-01": 25,
    "IKO-01": 25,
    "BEF-01": 25,
    "BEF-02": 25,
    "IV-01": 100,
    "IV-02": 25,
}


def test_every_catalogue_indicator_on_a_hand_made_dataset(catalogue: None, personas: Any) -> None:
    kreis = Kreis.objects.get(ags="12073")
    gemeinden = list(Gemeinde.objects.filter(kreis=kreis, is_gemeinde=True).values_list("ags", flat=True))
    indicators = list(Indicator.objects.order_by("code"))
    assert sorted(EXPECTED) == sorted(i.code for i in indicators)
    years: dict[str, int] = {}
    for index, ind in enumerate(indicators):
        year = 1990 + 2 * index  # two years apart: room for a lagged denominator
        years[ind.code] = year
        d = ind.as_definition()
        values: dict[tuple[str, int], float] = {}
        if d.kind == "magnitude":
            values[(d.value_key, year)] = 100
            values[(d.count_key, year)] = 50
        for cat in d.categories:
            for term in cat.numerator:
                values.setdefault((term.key, year), 30 if term.sign > 0 else 10)
            for term in cat.denominator:
                values.setdefault((term.key, year - d.denominator_lag), 30 if term.sign < 0 else 120)
        targets = gemeinden if d.kind == "dissimilarity" else [gemeinden[0]]
        level = "kreis" if d.kind == "magnitude" else None
        for (key, y), value in values.items():
            for ags in [kreis.ags] if level else targets:
                put(key, ags, y, value, personas.landkreis, level=level)
    compute(kreis=kreis)
    for ind in indicators:
        d = ind.as_definition()
        region = kreis.ags if d.kind in ("magnitude", "dissimilarity") else gemeinden[0]
        row = IndicatorValue.objects.get(
            indicator=ind,
            region=region,
            year=years[ind.code],
            category=d.categories[0].code if d.kind != "magnitude" else "",
        )
        assert row.value == pytest.approx(EXPECTED[ind.code]), ind.code
