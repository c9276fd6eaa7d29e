"""Chromium: public dashboard, map and profile render; axe-core finds no WCAG 2.1 AA violations."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from teilhabe.indicators.compute import compute
from teilhabe.indicators.demo import load_synthetic_values
from teilhabe.indicators.models import Indicator, IndicatorValue
from teilhabe.regions.models import Gemeinde, Kreis

SCREENSHOTS = Path(__file__).resolve().parents[3] / "docs" / "indicators" / "screenshots"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@pytest.fixture
def monitoring(catalogue: None, personas: Any) -> str:
    kreis = Kreis.objects.get(ags="12073")
    load_synthetic_values(kreis, owner=personas.landkreis)
    compute(kreis=kreis)
    Indicator.objects.filter(pk__in=IndicatorValue.objects.values("indicator_id")).update(is_published=True)
    return Gemeinde.objects.filter(kreis=kreis, is_gemeinde=True).order_by("-population").first().ags  # type: ignore[union-attr]


def _axe(page: Any) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
    return [f"{v['id']}: {v['help']} {[n['html'][:200] for n in v['nodes']]}" for v in results.response["violations"]]


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_public_monitoring_pages_render_and_pass_axe(monitoring: str, live_server: Any, page: Any) -> None:
    save = os.environ.get("TEILHABE_SCREENSHOTS") == "1"
    if save:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for name, path in (
        ("uebersicht", "/monitoring/"),
        ("indikator", "/monitoring/indikator/ARB-01/"),
        ("profil", f"/monitoring/gemeinde/{monitoring}/"),
    ):
        response = page.goto(live_server.url + path)
        assert response is not None and response.status == 200
        assert page.locator(".monitoring-synthetic").count() == 1  # synthetic data always labelled
        if name == "indikator":
            assert page.locator("svg.chart-svg").count() >= 2  # time series + choropleth
            assert page.locator("table caption").first.is_visible()
        if save:
            page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
        assert _axe(page) == [], path
