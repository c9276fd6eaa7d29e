"""Demo commentary is generated from the values (issue 13, example 2: "wächst leicht" beside −0,2)."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings

from teilhabe.indicators.models import IndicatorValue, Level
from teilhabe.reports.demo import demo_texts, kreis_trend

pytestmark = pytest.mark.django_db


def _set(code: str, year: int, value: float) -> None:
    IndicatorValue.objects.filter(
        indicator__code=code, category="", level=Level.KREIS, region=settings.TEILHABE_KREIS, year=year
    ).update(published_value=value, suppression="")


def test_trend_sentence_follows_the_values(monitoring: Any) -> None:
    _set("DEM-01", 2023, 5.3)
    _set("DEM-01", 2024, 5.1)
    sentence = kreis_trend("DEM-01", settings.TEILHABE_KREIS, 2024)
    assert sentence == "Ausländeranteil: von 5,3 % (2023) auf 5,1 % (2024) gesunken (-0,2)."
    _set("DEM-01", 2024, 5.3)
    assert "unverändert" in kreis_trend("DEM-01", settings.TEILHABE_KREIS, 2024)
    summary, commentary = demo_texts(settings.TEILHABE_KREIS, 2024)
    assert "wächst" not in summary and "Ausländeranteil" in summary
    assert "Ausländeranteil" in commentary["A"]
