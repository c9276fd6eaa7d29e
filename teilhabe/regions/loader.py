"""Load the bundled official data for all of Germany: Länder, Kreise, Gemeinden, boundaries, reference values.

Idempotent: rows are upserted by key, reference values of a source are replaced in one transaction.
"""

from __future__ import annotations

import csv
import functools
import gzip
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import connection, transaction

from teilhabe.regions.models import Gemeinde, Kreis, Land, ReferenceIndicator, ReferenceValue

DATA_DIR = Path(__file__).resolve().parent / "data"
GEBIETSSTAND = date(2024, 12, 31)
POPULATION_DATE = date(2023, 12, 31)
ZENSUS_YEAR = 2022

CREDIT_GV = "Statistisches Bundesamt (Destatis), Gemeindeverzeichnis GV-ISys, Gebietsstand 31.12.2024; dl-de/by-2-0"
CREDIT_ZENSUS = "Statistische Ämter des Bundes und der Länder, Zensus 2022; dl-de/by-2-0 (Anteile via GERDA)"
CREDIT_INKAR = "Datenbasis: INKAR, BBSR Bonn; dl-de/by-2-0"

ZENSUS_INDICATORS = {
    "population": ("Bevölkerung (Zensus 2022)", "Personen"),
    "share_foreign": ("Anteil ausländischer Staatsangehöriger (Zensus 2022)", "%"),
    "share_migration_bg": ("Anteil der Bevölkerung mit Migrationshintergrund (Zensus 2022)", "%"),
}


@dataclass
class LoadReport:
    laender: int = 0
    kreise: int = 0
    gemeinden: int = 0
    gemeinden_with_boundary: int = 0
    kreise_with_boundary: int = 0
    reference_values: int = 0
    population_total: int = 0
    notes: list[str] = field(default_factory=list)


def _rows(path: Path) -> Iterator[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        yield from csv.DictReader(handle)


def _int(value: str) -> int | None:
    return int(float(value)) if value not in ("", None) else None


def _float(value: str) -> float | None:
    return float(value) if value not in ("", None, "NA") else None


@functools.lru_cache(maxsize=4)
def _geometries(path: Path, key: str) -> dict[str, Any]:
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        collection = json.load(handle)
    return {feature["properties"][key]: feature["geometry"] for feature in collection["features"]}


def load_regions(data_dir: Path = DATA_DIR, *, only_kreis: str | None = None) -> LoadReport:
    """Load everything; with ``only_kreis`` just the Länder, that Kreis and its Gemeinden (for tests)."""
    report = LoadReport()

    def wanted(kreis_ags: str) -> bool:
        return only_kreis is None or kreis_ags == only_kreis

    gv = data_dir / "gemeindeverzeichnis"
    borders = data_dir / "grenzen_vg5000"
    kreis_shapes = _geometries(borders / "kreise_vg5000_gebietsstand_2024-12-31.geojson.gz", "kreis_ags")
    gemeinde_shapes = _geometries(borders / "gemeinden_vg5000_gebietsstand_2024-12-31.geojson.gz", "ags")

    with transaction.atomic():
        laender = [Land(code=row["land_code"], name=row["land_name"]) for row in _rows(gv / "laender.csv")]
        Land.objects.bulk_create(laender, update_conflicts=True, unique_fields=["code"], update_fields=["name"])
        report.laender = len(laender)

        kreise = []
        for row in _rows(gv / "kreise.csv"):
            if not wanted(row["kreis_ags"]):
                continue
            kreise.append(
                Kreis(
                    ags=row["kreis_ags"],
                    name=row["kreis_name"],
                    kreis_typ=row["kreis_typ"],
                    land_id=row["land_code"],
                    regierungsbezirk=row["rb_name"],
                    area_km2=Decimal(row["flaeche_km2"]),
                    population=_int(row["bevoelkerung"]),
                    population_male=_int(row["maennlich"]),
                    population_female=_int(row["weiblich"]),
                    population_date=POPULATION_DATE,
                    gebietsstand=GEBIETSSTAND,
                    geometry=kreis_shapes.get(row["kreis_ags"]),
                )
            )
        Kreis.objects.bulk_create(
            kreise,
            update_conflicts=True,
            unique_fields=["ags"],
            update_fields=[
                "name",
                "kreis_typ",
                "land",
                "regierungsbezirk",
                "area_km2",
                "population",
                "population_male",
                "population_female",
                "population_date",
                "gebietsstand",
                "geometry",
            ],
        )
        report.kreise = len(kreise)
        report.kreise_with_boundary = sum(1 for k in kreise if k.geometry)

        gemeinden = []
        for row in _rows(gv / "gemeinden.csv"):
            if not wanted(row["kreis_ags"]):
                continue
            gemeinden.append(
                Gemeinde(
                    ags=row["ags"],
                    ars=row["ars"],
                    name=row["gemeinde_name"],
                    typ_code=row["gemeinde_typ_code"],
                    typ=row["gemeinde_typ"],
                    kreis_id=row["kreis_ags"] or None,
                    land_id=row["land_code"],
                    gemeindeverband_ars=row["gemeindeverband_ars"],
                    gemeindeverband_name=row["gemeindeverband_name"],
                    gemeindeverband_typ=row["gemeindeverband_typ"],
                    area_km2=Decimal(row["flaeche_km2"] or "0"),
                    population=_int(row["bevoelkerung"]),
                    population_male=_int(row["maennlich"]),
                    population_female=_int(row["weiblich"]),
                    population_date=POPULATION_DATE,
                    gebietsstand=GEBIETSSTAND,
                    plz=row["plz_verwaltungssitz"],
                    longitude=_float(row["laengengrad"]),
                    latitude=_float(row["breitengrad"]),
                    verstaedterung=row["verstaedterung"],
                    is_gemeinde=row["ist_gemeinde"] == "True",
                    geometry=gemeinde_shapes.get(row["ags"]),
                )
            )
        Gemeinde.objects.bulk_create(
            gemeinden,
            batch_size=2000,
            update_conflicts=True,
            unique_fields=["ags"],
            update_fields=[
                "ars",
                "name",
                "typ_code",
                "typ",
                "kreis",
                "land",
                "gemeindeverband_ars",
                "gemeindeverband_name",
                "gemeindeverband_typ",
                "area_km2",
                "population",
                "population_male",
                "population_female",
                "population_date",
                "gebietsstand",
                "plz",
                "longitude",
                "latitude",
                "verstaedterung",
                "is_gemeinde",
                "geometry",
            ],
        )
        report.gemeinden = sum(1 for g in gemeinden if g.is_gemeinde)
        report.gemeinden_with_boundary = sum(1 for g in gemeinden if g.geometry)
        report.population_total = sum(g.population or 0 for g in gemeinden)

        report.reference_values = _load_reference_values(data_dir, only_kreis)
    return report


# (source, indicator, level, ags, year, value); inserted with executemany because model instances for
# ~270,000 rows cost more than the whole rest of the load.
ValueRow = tuple[str, str, str, str, int, float]


def _load_reference_values(data_dir: Path, only_kreis: str | None) -> int:
    values: list[ValueRow] = []
    indicators: list[ReferenceIndicator] = []

    # Zensus 2022 per Gemeinde, per Kreis (population-weighted, as published with the data) and Germany.
    weighted = {"share_foreign": [0.0, 0.0], "share_migration_bg": [0.0, 0.0]}
    population_total = 0.0
    for row in _rows(data_dir / "zensus2022" / "gemeinden_zensus2022.csv"):
        population = _float(row["bevoelkerung_zensus2022"])
        if population is not None:
            population_total += population
            values.append(("zensus2022", "population", "gemeinde", row["ags"], ZENSUS_YEAR, population))
        for indicator in ("share_foreign", "share_migration_bg"):
            share = _float(row[indicator])
            if share is None:
                continue
            values.append(("zensus2022", indicator, "gemeinde", row["ags"], ZENSUS_YEAR, share))
            if population:
                weighted[indicator][0] += share * population
                weighted[indicator][1] += population
    for row in _rows(data_dir / "zensus2022" / "kreise_zensus2022_aggregiert.csv"):
        for indicator, column in (
            ("population", "bevoelkerung_zensus2022"),
            ("share_foreign", "share_foreign_popweighted"),
            ("share_migration_bg", "share_migration_bg_popweighted"),
        ):
            value = _float(row[column])
            if value is not None:
                values.append(("zensus2022", indicator, "kreis", row["kreis_ags"], ZENSUS_YEAR, value))
    values.append(("zensus2022", "population", "bund", "0", ZENSUS_YEAR, population_total))
    for indicator, (total, weight) in weighted.items():
        values.append(("zensus2022", indicator, "bund", "0", ZENSUS_YEAR, round(total / weight, 1)))
    for indicator, (label, unit) in ZENSUS_INDICATORS.items():
        indicators.append(
            ReferenceIndicator(source="zensus2022", indicator=indicator, label=label, unit=unit, credit=CREDIT_ZENSUS)
        )

    # INKAR time series per Kreis (Kreis boundaries of 2021; values as published).
    inkar = data_dir / "kreisindikatoren"
    for row in _rows(inkar / "inkar_kreise_1995_2022.csv"):
        kreis_ags, year = row.pop("kreis_ags"), int(row.pop("year"))
        for column, raw in row.items():
            value = _float(raw)
            if value is not None:
                values.append(("inkar", column, "kreis", kreis_ags, year, value))
    for variable, row in {row["variable"]: row for row in _rows(inkar / "inkar_codebook.csv")}.items():
        if variable in ("county_code", "year"):
            continue
        indicators.append(
            ReferenceIndicator(
                source="inkar", indicator=variable, label=row["label"], unit=row["unit"], credit=CREDIT_INKAR
            )
        )

    if only_kreis is not None:
        values = [v for v in values if v[2] == "bund" or v[3].startswith(only_kreis)]
    ReferenceValue.objects.filter(source__in=["zensus2022", "inkar"]).delete()
    ReferenceIndicator.objects.filter(source__in=["zensus2022", "inkar"]).delete()
    table = connection.ops.quote_name(ReferenceValue._meta.db_table)
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {table} (source, indicator, level, ags, year, value) VALUES (%s, %s, %s, %s, %s, %s)",  # noqa: S608 - table name from the model
            values,
        )
    ReferenceIndicator.objects.bulk_create(indicators)
    return len(values)
