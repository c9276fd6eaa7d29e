from __future__ import annotations

from typing import Any

import pytest

from teilhabe.indicators.compute import compute, recompute_for_change
from teilhabe.indicators.models import Indicator, IndicatorValue
from teilhabe.indicators.tests.conftest import put
from teilhabe.regions.models import Gemeinde, Kreis, ReferenceValue

pytestmark = pytest.mark.django_db

KREIS = "12073"


def two_gemeinden() -> tuple[str, str]:
    a, b = Gemeinde.objects.filter(kreis_id=KREIS, is_gemeinde=True).order_by("ags").values_list("ags", flat=True)[:2]
    return a, b


def value(code: str, region: str, year: int, category: str = "") -> IndicatorValue:
    return IndicatorValue.objects.get(indicator__code=code, region=region, year=year, category=category)


def test_dem01_kreis_from_zensus_gemeinden_equals_official_value(catalogue: None) -> None:
    kreis = Kreis.objects.get(ags=KREIS)
    compute(kreis=kreis, indicators=Indicator.objects.filter(code="DEM-01"))
    official = ReferenceValue.objects.get(source="zensus2022", indicator="share_foreign", level="kreis", ags=KREIS)
    computed = value("DEM-01", KREIS, 2022)
    assert computed.value is not None and round(computed.value, 2) == official.value == 4.72
    assert "zensus:ew_auslaender" in computed.sources
    # An average of the Gemeinde shares would not reproduce the official value.
    shares = ReferenceValue.objects.filter(
        source="zensus2022", indicator="share_foreign", level="gemeinde", ags__startswith=KREIS
    ).values_list("value", flat=True)
    assert round(sum(shares) / len(shares), 2) != official.value


def test_kreis_rate_from_summed_numerators_not_average_of_rates(catalogue: None, personas: Any) -> None:
    """The Kreis rate is Σ numerators / Σ denominators; the mean of the Gemeinde rates would differ."""
    kreis = Kreis.objects.get(ags=KREIS)
    gemeinden = list(Gemeinde.objects.filter(kreis_id=KREIS, is_gemeinde=True).values_list("ags", flat=True))
    org = personas.landkreis
    # Gemeinde 1: 10 of 100 (10 %); all others: 90 of 1000 (9 %). Averaging rates ≠ summing.
    for index, ags in enumerate(gemeinden):
        employed, population = (10, 100) if index == 0 else (90, 1000)
        put("ba_beschaeftigte_auslaender", ags, 2024, employed, org)
        put("ew_auslaender_15_65", ags, 2024, population, org)
    compute(kreis=kreis, indicators=Indicator.objects.filter(code="ARB-01"))
    n = len(gemeinden)
    expected = (10 + 90 * (n - 1)) / (100 + 1000 * (n - 1)) * 100
    averaged = (10 + 9 * (n - 1)) / n
    kreis_value = value("ARB-01", KREIS, 2024)
    assert kreis_value.numerator == 10 + 90 * (n - 1)
    assert kreis_value.denominator == 100 + 1000 * (n - 1)
    assert kreis_value.value == pytest.approx(expected)
    assert abs((kreis_value.value or 0) - averaged) > 0.01
    assert value("ARB-01", gemeinden[0], 2024).value == pytest.approx(10.0)


def test_categories_lag_and_net_terms(catalogue: None, personas: Any) -> None:
    kreis = Kreis.objects.get(ags=KREIS)
    a, _b = two_gemeinden()
    org = personas.landkreis
    put("einb_einbuergerungen", a, 2024, 12, org)
    put("abh_aufenthalt_8j", a, 2023, 400, org)  # REC-04: denominator from the previous year
    put("abh_aufenthalt_8j", a, 2024, 999, org)
    put("wand_zuzug_ausland_auslaender", a, 2024, 50, org)
    put("wand_fortzug_ausland_auslaender", a, 2024, 20, org)
    put("ew_gesamt_mittel", a, 2024, 10_000, org)
    put("bamf_ik_eintritte", a, 2024, 30, org)
    put("bamf_ik_berechtigte", a, 2024, 40, org)
    compute(kreis=kreis, indicators=Indicator.objects.filter(code__in=["REC-04", "DEM-09", "SPR-01"]))
    assert value("REC-04", a, 2024).value == pytest.approx(3.0)
    assert value("DEM-09", a, 2024).value == pytest.approx(3.0)  # (50 − 20) / 10 000 × 1 000
    assert value("SPR-01", a, 2024, "teilnahme").value == pytest.approx(75.0)
    assert not IndicatorValue.objects.filter(indicator__code="SPR-01", category="b1").exists()


def test_dissimilarity_index(catalogue: None, personas: Any) -> None:
    kreis = Kreis.objects.get(ags=KREIS)
    gemeinden = list(Gemeinde.objects.filter(kreis_id=KREIS, is_gemeinde=True).values_list("ags", flat=True))
    org = personas.landkreis
    for index, ags in enumerate(gemeinden):
        foreign = 100 if index == 0 else 0
        put("ew_auslaender", ags, 2024, foreign, org)
        put("ew_gesamt", ags, 2024, 1000, org)
    compute(kreis=kreis, indicators=Indicator.objects.filter(code="WOH-02"))
    n = len(gemeinden)
    # a: everything in Gemeinde 1; b: 900 there, 1000 elsewhere.
    total_b = 900 + 1000 * (n - 1)
    expected = 0.5 * (abs(1 - 900 / total_b) + (n - 1) * (1000 / total_b)) * 100
    assert value("WOH-02", KREIS, 2024).value == pytest.approx(expected)
    assert not IndicatorValue.objects.filter(indicator__code="WOH-02", level="gemeinde").exists()


def test_incremental_recompute_touches_only_affected_values(catalogue: None, personas: Any) -> None:
    kreis = Kreis.objects.get(ags=KREIS)
    gemeinden = list(Gemeinde.objects.filter(kreis_id=KREIS, is_gemeinde=True).values_list("ags", flat=True))
    org = personas.landkreis
    for year in (2023, 2024):
        for ags in gemeinden:
            put("ba_beschaeftigte_auslaender", ags, year, 50, org)
            put("ba_geringfuegig_auslaender", ags, year, 10, org)
            put("ew_auslaender_15_65", ags, year, 100, org)
    compute(kreis=kreis)
    before = {(v.indicator_id, v.category, v.region, v.year): v.computed_at for v in IndicatorValue.objects.all()}
    assert len(before) > 0
    changed = put("ba_beschaeftigte_auslaender", gemeinden[3], 2024, 60, org)
    report = recompute_for_change(kreis=kreis, changes=[(changed.source_key, "gemeinde", changed.ags, 2024)])
    after = {(v.indicator_id, v.category, v.region, v.year): v.computed_at for v in IndicatorValue.objects.all()}
    touched = {key for key in after if after[key] != before.get(key)}
    codes = dict(Indicator.objects.values_list("pk", "code"))
    assert {(codes[i], r, y) for i, _c, r, y in touched} == {
        ("ARB-01", gemeinden[3], 2024),
        ("ARB-01", KREIS, 2024),
        ("ARB-02", gemeinden[3], 2024),
        ("ARB-02", KREIS, 2024),
    }
    assert report.updated == 4
    assert value("ARB-01", gemeinden[3], 2024).value == pytest.approx(60.0)
