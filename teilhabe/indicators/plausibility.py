"""Plausibility warnings for agency aggregates (before they are saved) and the old → new view of replacements.

Warnings never block an import; they are shown next to the dry run so a clerk can look twice:

- ``W_CHANGE_FACTOR``: the value differs from the previous year's value of the same cell by more than
  ``settings.TEILHABE_PLAUSIBILITY_FACTOR`` (default 2: half or double).
- ``W_GEMEINDEN_OVER_KREIS``: the Gemeinden of the Kreis add up to more than the Kreis value (count keys).
- ``W_RATE_OVER_100``: for a catalogue indicator in % whose numerator and denominator are agency keys, the
  numerator exceeds the denominator for that area and year.
- ``W_REPLACES``: the row replaces an existing value; the message says old → new.

Input: parsed rows (``importer.ParsedRow``), merged over the stored values (the file wins).
Output: ``importer.Problem`` objects with ``code`` starting with ``W_``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.conf import settings

from teilhabe.indicators.catalogue import Catalogue, Term, load_catalogue
from teilhabe.indicators.importer import ParsedRow, Problem
from teilhabe.indicators.models import AgencyValue
from teilhabe.lib.formats import format_int, format_number

Cell = tuple[str, str, str, int]  # source key, level, AGS, year


def _factor() -> float:
    return float(getattr(settings, "TEILHABE_PLAUSIBILITY_FACTOR", 2.0))


def _stored(keys: set[str], years: set[int]) -> dict[Cell, float]:
    rows = AgencyValue.objects.filter(source_key__in=keys, year__in=years).values_list(
        "source_key", "level", "ags", "year", "value"
    )
    return {(k, lv, a, y): v for k, lv, a, y, v in rows}


def fmt(value: float) -> str:
    """1234 → ``1.234``, 1234.5 → ``1.234,5`` (German, as many decimals as needed, at most three)."""
    if value == int(value):
        return format_int(value)
    digits = next((d for d in (1, 2) if round(value, d) == value), 3)
    return format_number(value, digits)


def warnings(rows: Iterable[ParsedRow]) -> list[Problem]:
    rows = list(rows)
    if not rows:
        return []
    catalogue = load_catalogue()
    rate_keys = {
        t.key
        for d in catalogue.indicators.values()
        if d.unit.strip() == "%" and d.multiplier == 100
        for c in d.categories
        for t in (*c.numerator, *c.denominator)
    }
    keys = {r.source_key for r in rows} | rate_keys
    years = {r.year for r in rows} | {r.year - 1 for r in rows}
    stored = _stored(keys, years)
    merged = dict(stored)
    line_of: dict[Cell, int] = {}
    for r in rows:
        merged[(r.source_key, r.level, r.ags, r.year)] = r.value
        line_of[(r.source_key, r.level, r.ags, r.year)] = r.row
    found: list[Problem] = []
    factor = _factor()
    for r in rows:
        cell = (r.source_key, r.level, r.ags, r.year)
        old = stored.get(cell)
        if old is not None and old != r.value:
            found.append(
                Problem(r.row, "wert", "W_REPLACES", f"Ersetzt den gespeicherten Wert: {fmt(old)} → {fmt(r.value)}.")
            )
        previous = merged.get((r.source_key, r.level, r.ags, r.year - 1))
        if previous and r.value and max(previous, r.value) / min(previous, r.value) > factor:
            found.append(
                Problem(
                    r.row,
                    "wert",
                    "W_CHANGE_FACTOR",
                    f"Starke Änderung gegenüber {r.year - 1}: {fmt(previous)} → {fmt(r.value)} "
                    f"(mehr als Faktor {fmt(factor)}). Bitte prüfen.",
                )
            )
    found += _gemeinden_over_kreis(rows, merged, line_of)
    found += _rates_over_100(rows, merged, line_of, catalogue)
    return sorted(found, key=lambda p: (p.row, p.code))


def _gemeinden_over_kreis(rows: list[ParsedRow], merged: dict[Cell, float], line_of: dict[Cell, int]) -> list[Problem]:
    catalogue = load_catalogue()
    kreis = settings.TEILHABE_KREIS
    sums: dict[tuple[str, int], float] = defaultdict(float)
    for (key, level, ags, year), value in merged.items():
        if level == "gemeinde" and ags.startswith(kreis):
            sums[(key, year)] += value
    found = []
    for key, year in {(r.source_key, r.year) for r in rows}:
        source = catalogue.source_keys.get(key)
        kreis_value = merged.get((key, "kreis", kreis, year))
        if source is None or source.kind != "count" or kreis_value is None:
            continue
        total = sums.get((key, year), 0.0)
        if total > kreis_value:
            line = line_of.get((key, "kreis", kreis, year)) or min(
                line_of[c] for c in line_of if c[0] == key and c[3] == year
            )
            found.append(
                Problem(
                    line,
                    "wert",
                    "W_GEMEINDEN_OVER_KREIS",
                    f"„{key}“ {year}: Die Gemeinden ergeben zusammen {fmt(total)}, mehr als der Kreiswert "
                    f"{fmt(kreis_value)}.",
                )
            )
    return found


def _rates_over_100(
    rows: list[ParsedRow], merged: dict[Cell, float], line_of: dict[Cell, int], catalogue: Catalogue
) -> list[Problem]:
    areas = {(r.level, r.ags, r.year) for r in rows}
    found = []
    for definition in catalogue.indicators.values():
        if definition.unit.strip() != "%" or definition.multiplier != 100:
            continue
        for category in definition.categories:
            if not category.numerator or not category.denominator:
                continue
            for level, ags, year in areas:

                def total(
                    terms: tuple[Term, ...], level: str = level, ags: str = ags, year: int = year
                ) -> float | None:
                    cells = [(t.key, level, ags, year) for t in terms]
                    if any(c not in merged for c in cells):
                        return None
                    return float(sum(t.sign * merged[c] for t, c in zip(terms, cells, strict=True)))

                numerator, denominator = total(category.numerator), total(category.denominator)
                if numerator is None or not denominator or numerator <= denominator:
                    continue
                cells = [(t.key, level, ags, year) for t in (*category.numerator, *category.denominator)]
                lines = [line_of[c] for c in cells if c in line_of]
                if not lines:
                    continue
                found.append(
                    Problem(
                        min(lines),
                        "wert",
                        "W_RATE_OVER_100",
                        f"{definition.code} {ags} {year}: Zähler {fmt(numerator)} ist größer als Nenner "
                        f"{fmt(denominator)} – der Anteil läge über 100 %.",
                    )
                )
    return found
