"""Read access to the population aggregates, for pages here and for server-side indicator computation.

All functions return **raw, unprotected** counts from ``PopulationCount`` (never microdata). Whoever
publishes a number derived from them must pass it through ``teilhabe.lib.disclosure`` first. Only
committed imports are read; there is at most one per owner, Kreis and Stichtag.

Dimensions and categories: see ``teilhabe.population.tables.DIMENSIONS`` and docs/population/README.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import QuerySet

from teilhabe.population.models import PopulationCount, RegisterImport


@dataclass(frozen=True)
class CountRow:
    stichtag: date
    level: str  # kreis | gemeinde | planungsraum
    area: str  # Kreisschlüssel, AGS or "AGS:Planungsraum"
    dimension: str
    category: str
    male: int
    female: int
    other: int  # divers and ohne Angabe

    @property
    def total(self) -> int:
        return self.male + self.female + self.other


def committed_imports(imports: QuerySet[RegisterImport] | None = None) -> QuerySet[RegisterImport]:
    """Committed imports, newest Stichtag first; pass ``RegisterImport.objects.visible_to(user)`` to scope."""
    base = imports if imports is not None else RegisterImport.objects.all()
    return base.filter(status=RegisterImport.Status.COMMITTED).order_by("-stichtag")


def stichtage(imports: QuerySet[RegisterImport] | None = None) -> list[date]:
    return list(committed_imports(imports).values_list("stichtag", flat=True).distinct())


def _rows(queryset: QuerySet[PopulationCount]) -> list[CountRow]:
    fields = ("stichtag", "level", "area", "dimension", "category", "male", "female", "other")
    return [CountRow(*values) for values in queryset.values_list(*fields)]


def counts(
    stichtag: date,
    level: str,
    dimension: str,
    *,
    area: str | None = None,
    imports: QuerySet[RegisterImport] | None = None,
) -> list[CountRow]:
    """Raw counts of one Stichtag, level and dimension (optionally one area), ordered by area and category."""
    queryset = PopulationCount.objects.filter(
        register_import__in=committed_imports(imports).filter(stichtag=stichtag),
        level=level,
        dimension=dimension,
    )
    if area is not None:
        queryset = queryset.filter(area=area)
    return _rows(queryset.order_by("area", "category"))


def series(level: str, area: str, dimension: str, *, imports: QuerySet[RegisterImport] | None = None) -> list[CountRow]:
    """The same area and dimension across all committed Stichtage (time series), oldest first."""
    queryset = PopulationCount.objects.filter(
        register_import__in=committed_imports(imports), level=level, area=area, dimension=dimension
    )
    return _rows(queryset.order_by("stichtag", "category"))


def areas(stichtag: date, level: str, *, imports: QuerySet[RegisterImport] | None = None) -> list[str]:
    return sorted(
        set(
            PopulationCount.objects.filter(
                register_import__in=committed_imports(imports).filter(stichtag=stichtag),
                level=level,
                dimension="bevoelkerung",
            ).values_list("area", flat=True)
        )
    )


def by_category_and_sex(rows: list[CountRow]) -> dict[tuple[str, str], int]:
    """(category, sex) → persons, the input of ``tables.build_table``."""
    result: dict[tuple[str, str], int] = {}
    for row in rows:
        for sex, value in (("m", row.male), ("w", row.female), ("x", row.other)):
            result[(row.category, sex)] = result.get((row.category, sex), 0) + value
    return result
