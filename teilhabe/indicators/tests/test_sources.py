"""The adapter interface: a register source plugs in without changes to the computation."""

from __future__ import annotations

from collections.abc import Collection, Iterator
from typing import Any

import pytest
from django.test import Client

from teilhabe.audit.models import AuditEvent
from teilhabe.core.testing import login_verified
from teilhabe.indicators import sources
from teilhabe.indicators.compute import compute
from teilhabe.indicators.models import Indicator, IndicatorValue, Suppression
from teilhabe.indicators.sources import Observation
from teilhabe.indicators.tests.conftest import put
from teilhabe.regions.models import Gemeinde, Kreis

pytestmark = pytest.mark.django_db
KREIS = "12073"


class FakeRegister:
    """Shaped like the population-register adapter of issue 3 (see sources.py)."""

    name = "register"
    priority = 30

    def __init__(self, rows: list[Observation]) -> None:
        self.rows = rows

    def observations(
        self, *, keys: Collection[str], years: Collection[int] | None, regions: Collection[str] | None
    ) -> Iterator[Observation]:
        for obs in self.rows:
            if obs.key in keys and (years is None or obs.year in years):
                yield obs


def test_register_adapter_wins_and_planungsraum_values_are_protected(
    catalogue: None, personas: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    ags = Gemeinde.objects.filter(kreis_id=KREIS, is_gemeinde=True).order_by("-population").first().ags  # type: ignore[union-attr]
    put("ew_auslaender", ags, 2024, 999, personas.landkreis)  # lower priority than the register
    rows = [
        Observation("ew_auslaender", "gemeinde", ags, 2024, 300, "register"),
        Observation("ew_gesamt", "gemeinde", ags, 2024, 6000, "register"),
        Observation("ew_auslaender", "planungsraum", f"{ags}/01", 2024, 2, "register"),
        Observation("ew_gesamt", "planungsraum", f"{ags}/01", 2024, 500, "register"),
        Observation("ew_auslaender", "planungsraum", f"{ags}/02", 2024, 298, "register"),
        Observation("ew_gesamt", "planungsraum", f"{ags}/02", 2024, 5500, "register"),
    ]
    monkeypatch.setattr(sources, "_ADAPTERS", list(sources._ADAPTERS))
    sources.register_source(FakeRegister(rows))
    compute(kreis=Kreis.objects.get(ags=KREIS), indicators=Indicator.objects.filter(code="DEM-01"))
    gemeinde = IndicatorValue.objects.get(indicator__code="DEM-01", level="gemeinde", region=ags, year=2024)
    assert gemeinde.value == pytest.approx(5.0)
    assert "register:ew_auslaender" in gemeinde.sources
    small = IndicatorValue.objects.get(indicator__code="DEM-01", region=f"{ags}/01")
    other = IndicatorValue.objects.get(indicator__code="DEM-01", region=f"{ags}/02")
    assert small.suppression == Suppression.PRIMARY and small.published_value is None
    # The other Planungsraum would reveal the small one by subtraction from the Gemeinde total.
    assert other.suppression == Suppression.SECONDARY
    Indicator.objects.filter(code="DEM-01").update(is_published=True)
    html = Client().get(f"/monitoring/gemeinde/{ags}/").content.decode()
    assert "Planungsräume" in html and "Gesperrt, weil sich sonst" in html


def test_public_page_shows_new_value_after_change(
    catalogue: None, personas: Any, statistik: Any, client: Client
) -> None:
    gemeinden = list(Gemeinde.objects.filter(kreis_id=KREIS, is_gemeinde=True).values_list("ags", flat=True))
    for code in gemeinden:
        put("ba_beschaeftigte_auslaender", code, 2024, 40, personas.landkreis)
        put("ew_auslaender_15_65", code, 2024, 100, personas.landkreis)
    kreis = Kreis.objects.get(ags=KREIS)
    compute(kreis=kreis)
    Indicator.objects.filter(code="ARB-01").update(is_published=True)
    assert "40,0" in client.get("/monitoring/indikator/ARB-01/").content.decode()
    login_verified(client, statistik)
    client.post(
        "/staff/monitoring/aggregate/neu/",
        {
            "organisation": personas.landkreis.pk,
            "source_key": "ba_beschaeftigte_auslaender",
            "ags": gemeinden[0],
            "year": 2024,
            "value": "87",
            "source_document": "BA 2024",
        },
    )
    client.logout()
    assert "87,0" in client.get("/monitoring/indikator/ARB-01/").content.decode()
    assert AuditEvent.objects.filter(object_type="indicators.agencyvalue", action="update").exists()


def test_population_register_counts_feed_the_indicators(catalogue: None, personas: Any) -> None:
    from datetime import date

    from teilhabe.population.models import PopulationCount, RegisterImport

    ags = Gemeinde.objects.filter(kreis_id=KREIS, is_gemeinde=True).order_by("ags").first().ags  # type: ignore[union-attr]
    put("ew_auslaender", ags, 2024, 999, personas.landkreis)  # the register has priority
    done = RegisterImport.objects.create(
        owner=personas.landkreis,
        kreis_ags=KREIS,
        stichtag=date(2024, 12, 31),
        status=RegisterImport.Status.COMMITTED,
        original_filename="auszug.csv",
    )
    checked = RegisterImport.objects.create(owner=personas.landkreis, kreis_ags=KREIS, stichtag=date(2024, 12, 31))

    def count(
        register_import: RegisterImport, area: str, dimension: str, category: str, n: int, level: str = "gemeinde"
    ) -> None:
        PopulationCount.objects.create(
            register_import=register_import,
            stichtag=date(2024, 12, 31),
            level=level,
            area=area,
            dimension=dimension,
            category=category,
            male=n,
            female=0,
        )

    count(done, ags, "bevoelkerung", "insgesamt", 2000)
    count(done, ags, "staatsangehoerigkeitsgruppe", "deutsch", 1900)
    count(done, ags, "staatsangehoerigkeitsgruppe", "eu27", 60)
    count(done, ags, "staatsangehoerigkeitsgruppe", "asyl8", 40)
    count(done, f"{ags}:07", "bevoelkerung", "insgesamt", 500, level="planungsraum")
    count(done, f"{ags}:07", "staatsangehoerigkeitsgruppe", "eu27", 25, level="planungsraum")
    count(checked, ags, "staatsangehoerigkeitsgruppe", "asyl8", 5000)  # not committed: ignored
    compute(kreis=Kreis.objects.get(ags=KREIS), indicators=Indicator.objects.filter(code__in=["DEM-01", "DEM-05"]))
    dem01 = IndicatorValue.objects.get(indicator__code="DEM-01", level="gemeinde", region=ags, year=2024)
    assert dem01.numerator == 100 and dem01.value == pytest.approx(5.0)
    assert dem01.sources == ["register:ew_auslaender", "register:ew_gesamt"]
    asyl = IndicatorValue.objects.get(indicator__code="DEM-05", category="asyl8", region=ags, year=2024)
    assert asyl.value == pytest.approx(40.0)
    planungsraum = IndicatorValue.objects.get(indicator__code="DEM-01", level="planungsraum", region=f"{ags}/07")
    assert planungsraum.value == pytest.approx(5.0)
