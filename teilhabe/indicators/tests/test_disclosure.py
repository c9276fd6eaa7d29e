from __future__ import annotations

import random
from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from teilhabe.indicators.compute import compute
from teilhabe.indicators.models import Indicator, IndicatorValue, Suppression
from teilhabe.indicators.tests.conftest import put
from teilhabe.lib.disclosure import SUPPRESSED_MARK
from teilhabe.regions.models import Gemeinde, Kreis

pytestmark = pytest.mark.django_db
KREIS = "12073"


def gemeinden() -> list[str]:
    return list(Gemeinde.objects.filter(kreis_id=KREIS, is_gemeinde=True).order_by("ags").values_list("ags", flat=True))


def test_no_published_value_rests_on_1_to_k_minus_1_persons(catalogue: None, personas: Any) -> None:
    """Property over random small counts: every published cell has all input counts 0 or ≥ k."""
    k = settings.DISCLOSURE_MIN_COUNT
    rng = random.Random(4)
    org = personas.landkreis
    for ags in gemeinden():
        population = rng.choice([0, 1, 2, 3, 5, 40, 200])
        employed = rng.randint(0, population)
        put("ba_beschaeftigte_auslaender", ags, 2024, employed, org)
        put("ew_auslaender_15_65", ags, 2024, population, org)
        put("ba_geringfuegig_auslaender", ags, 2024, rng.choice([0, 1, 2, 7]), org)
    compute(kreis=Kreis.objects.get(ags=KREIS), indicators=Indicator.objects.filter(code__in=["ARB-01", "ARB-02"]))
    rows = list(IndicatorValue.objects.filter(indicator__code__in=["ARB-01", "ARB-02"]))
    assert rows
    for row in rows:
        if row.suppression:
            assert row.published_value is None and row.published_numerator is None
            continue
        for count in row.components.values():
            assert round(count) == 0 or round(count) >= k, (row.region, row.components)
        assert row.denominator is None or not (0 < row.denominator - (row.numerator or 0) < k)
    # Secondary suppression: never exactly one suppressed Gemeinde next to a published Kreis total.
    for code in ("ARB-01", "ARB-02"):
        suppressed = [r for r in rows if r.indicator.code == code and r.level == "gemeinde" and r.suppression]
        kreis = next(r for r in rows if r.indicator.code == code and r.level == "kreis")
        assert len(suppressed) != 1 or kreis.suppression


def test_single_small_gemeinde_triggers_secondary_suppression(catalogue: None, personas: Any) -> None:
    org = personas.landkreis
    ags = gemeinden()
    for index, code in enumerate(ags):
        put("ba_beschaeftigte_auslaender", code, 2024, 2 if index == 0 else 50 + index, org)
        put("ew_auslaender_15_65", code, 2024, 100 + index, org)
    compute(kreis=Kreis.objects.get(ags=KREIS), indicators=Indicator.objects.filter(code="ARB-01"))
    rows = {r.region: r for r in IndicatorValue.objects.filter(indicator__code="ARB-01")}
    assert rows[ags[0]].suppression == Suppression.PRIMARY
    secondary = [r for r in rows.values() if r.suppression == Suppression.SECONDARY]
    assert len(secondary) == 1
    assert secondary[0].numerator == 51  # the smallest further cell


def test_rounding_method_never_shows_small_exact_counts(catalogue: None, personas: Any) -> None:
    org = personas.landkreis
    a = gemeinden()[0]
    put("gu_auszuege_wohnung", a, 2024, 2, org)
    put("gu_bewohner_stichtag", a, 2024, 13, org)
    compute(kreis=Kreis.objects.get(ags=KREIS), indicators=Indicator.objects.filter(code="WOH-01"))
    row = IndicatorValue.objects.get(indicator__code="WOH-01", region=a)
    assert row.suppression == ""
    assert (row.published_numerator, row.published_denominator) == (5, 15)
    assert row.published_value == pytest.approx(5 / 15 * 100)


def test_suppressed_value_shown_with_explanation(catalogue: None, personas: Any, client: Client) -> None:
    org = personas.landkreis
    ags = gemeinden()
    for index, code in enumerate(ags):
        put("ba_beschaeftigte_auslaender", code, 2024, 1 if index == 0 else 40, org)
        put("ew_auslaender_15_65", code, 2024, 100, org)
    Indicator.objects.filter(code="ARB-01").update(is_published=True)
    compute(kreis=Kreis.objects.get(ags=KREIS), indicators=Indicator.objects.filter(code="ARB-01"))
    html = client.get("/monitoring/indikator/ARB-01/").content.decode()
    assert SUPPRESSED_MARK in html
    assert f"Weniger als {settings.DISCLOSURE_MIN_COUNT} Personen" in html
    assert "Gesperrt, weil sich sonst ein geschützter Wert" in html
    api = client.get("/api/v1/indicators/ARB-01/values/?level=gemeinde").json()
    suppressed = [r for r in api["results"] if r["suppressed"]]
    assert suppressed and all(r["value"] is None and r["numerator"] is None and r["explanation"] for r in suppressed)
