"""The bundled official data load completely and match the source totals."""

from __future__ import annotations

import csv
import time

import pytest
from django.db.models import Sum

from teilhabe.regions.loader import DATA_DIR, load_regions
from teilhabe.regions.models import Gemeinde, Kreis, Land, ReferenceValue

pytestmark = pytest.mark.django_db


def test_all_of_germany_loads_with_the_official_totals() -> None:
    started = time.perf_counter()
    report = load_regions()
    elapsed = time.perf_counter() - started
    assert Land.objects.count() == 16
    assert Kreis.objects.count() == 400
    assert Gemeinde.objects.filter(is_gemeinde=True).count() == 10_752
    assert Gemeinde.objects.filter(is_gemeinde=False).count() == 207
    # Germany on 31.12.2023 (Zensus 2011 basis), Gemeinden plus gemeindefreie Gebiete
    assert Gemeinde.objects.aggregate(total=Sum("population"))["total"] == 84_669_326
    assert report.population_total == 84_669_326
    # Per Land, the sum of its Gemeinden equals the published Land total.
    with (DATA_DIR / "gemeindeverzeichnis" / "laender.csv").open(encoding="utf-8") as handle:
        expected = {row["land_code"]: int(row["bevoelkerung"]) for row in csv.DictReader(handle)}
    actual = dict(Gemeinde.objects.exclude(kreis=None).values_list("land_id").annotate(total=Sum("population")))
    assert actual == expected
    assert Kreis.objects.exclude(geometry=None).count() == 400
    assert Gemeinde.objects.exclude(geometry=None).count() == 10_956
    assert ReferenceValue.objects.filter(source="inkar", indicator="share_foreign", level="kreis").count() == 400 * 28
    print(f"load_regions: {elapsed:.1f} s")


def test_loading_twice_is_idempotent() -> None:
    load_regions(only_kreis="12073")
    load_regions(only_kreis="12073")
    assert Gemeinde.objects.filter(kreis_id="12073").count() == 30
    assert ReferenceValue.objects.filter(source="zensus2022", level="kreis", ags="12073").count() == 3


def test_uckermark_reference_values(regions: None) -> None:
    kreis = Kreis.objects.get(ags="12073")
    assert kreis.population == 117_803
    value = ReferenceValue.objects.get(source="zensus2022", indicator="share_foreign", level="kreis", ags="12073")
    assert round(value.value, 1) == 4.7
    bund = ReferenceValue.objects.get(source="zensus2022", indicator="share_foreign", level="bund")
    assert bund.value == 13.2
    inkar = ReferenceValue.objects.get(source="inkar", indicator="share_foreign", ags="12073", year=2022)
    assert inkar.value == pytest.approx(5.56, abs=0.01)


def test_public_region_pages(client, regions: None) -> None:  # type: ignore[no-untyped-def]
    page = client.get("/gemeinden/").content.decode()
    assert "Schwedt/Oder" in page and "<svg" in page and "4,7\u202f%" in page
    detail = client.get("/gemeinden/12073532/")
    assert detail.status_code == 200 and "12073532" in detail.content.decode()
    # Gemeinden of other Kreise are not part of this installation's public site
    assert client.get("/gemeinden/01001000/").status_code == 404
