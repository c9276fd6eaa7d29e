"""The data snapshot of a report build: exactly the published indicator values the report shows.

A snapshot holds only disclosure-controlled numbers (published value + suppression reason), never raw
numerators. Rebuilding an edition reuses the snapshot of its last build, so the numbers of an edition
stay the same when new data arrive; only an explicit "refresh" on a draft takes a new one.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.utils import timezone

from teilhabe.indicators.catalogue import MIGRATION_DEFINITIONS, load_catalogue
from teilhabe.indicators.models import Indicator, IndicatorValue, Level
from teilhabe.lib.collation import german_sorted
from teilhabe.regions.loader import CREDIT_INKAR, CREDIT_ZENSUS
from teilhabe.regions.models import Gemeinde, Kreis

SNAPSHOT_VERSION = 1
CREDIT_GEOBASIS = "© GeoBasis-DE / BKG 2021 (Daten verändert), VG5000, dl-de/by-2-0"
CREDITS = [CREDIT_GEOBASIS, CREDIT_ZENSUS, CREDIT_INKAR]


class SnapshotError(ValueError):
    """The edition cannot be built (e.g. unknown Kreis); the message is German and shown to staff."""


def _first_category(indicator: Indicator) -> tuple[str, str]:
    cats = indicator.category_list()
    if not cats:
        return "", indicator.name_de
    return cats[0].code, cats[0].name_de if cats[0].code else indicator.name_de


def take_snapshot(edition: Any) -> dict[str, Any]:
    kreis = Kreis.objects.filter(ags=edition.definition.kreis_ags).defer("geometry").first()
    if kreis is None:
        raise SnapshotError(f"Kreis {edition.definition.kreis_ags} ist nicht geladen (manage.py load_regions).")
    gemeinden_qs = Gemeinde.objects.filter(kreis=kreis, is_gemeinde=True).defer("geometry").order_by("name")
    if edition.gemeinde_ags:
        gemeinden_qs = gemeinden_qs.filter(ags__in=edition.gemeinde_ags)
    gemeinden = [(g.ags, g.name) for g in german_sorted(gemeinden_qs, key=lambda g: g.name)]
    indicators = Indicator.objects.published().order_by("theme", "code")
    if edition.indicator_codes:
        indicators = indicators.filter(code__in=edition.indicator_codes)
    first = {ind.pk: _first_category(ind) for ind in indicators}
    regions = [ags for ags, _n in gemeinden] + [kreis.ags]
    rows = IndicatorValue.objects.filter(
        indicator_id__in=list(first), level__in=[Level.GEMEINDE, Level.KREIS], region__in=regions
    )
    if edition.years:
        rows = rows.filter(year__in=edition.years)
    values: dict[str, list[list[Any]]] = {}
    codes = {ind.pk: ind.code for ind in indicators}
    years: set[int] = set()
    for row in rows.order_by("indicator_id", "level", "region", "year").iterator():
        if row.category != first[row.indicator_id][0]:
            continue
        years.add(row.year)
        values.setdefault(codes[row.indicator_id], []).append(
            [
                row.level,
                row.region,
                row.year,
                None if row.suppression else row.published_value,
                row.suppression,
                row.is_synthetic,
            ]
        )
    catalogue_sources = load_catalogue().data_sources
    used_sources: set[str] = set()
    indicator_list: list[dict[str, Any]] = []
    for ind in indicators:
        if ind.code not in values:
            continue
        used_sources.update(ind.sources)
        indicator_list.append(
            {
                "code": ind.code,
                "name": ind.name_de,
                "category": first[ind.pk][0],
                "category_name": first[ind.pk][1],
                "theme": ind.theme,
                "unit": ind.unit,
                "definition": ind.definition,
                "migration_definition": ind.migration_definition,
                "sources": list(ind.sources),
                "caveats": ind.caveats,
                "anchor": ind.anchor,
                "k": ind.k,
                "disclosure_method": ind.disclosure_method,
                "rounding_base": ind.rounding_base,
            }
        )
    return {
        "version": SNAPSHOT_VERSION,
        "taken_at": timezone.now().isoformat(),
        "kreis": {"ags": kreis.ags, "name": kreis.name},
        "gemeinden": [list(g) for g in gemeinden],
        "years": sorted(years),
        "indicators": indicator_list,
        "values": values,
        "data_sources": {code: catalogue_sources.get(code, code) for code in sorted(used_sources)},
        "migration_definitions": {
            key: MIGRATION_DEFINITIONS.get(key, key)
            for key in sorted({i["migration_definition"] for i in indicator_list})
        },
        "credits": CREDITS,
    }


def snapshot_hash(snapshot: dict[str, Any]) -> str:
    """Hash of the numbers (not of the timestamp): equal hashes mean the report shows equal values."""
    payload = {k: v for k, v in snapshot.items() if k != "taken_at"}
    return hashlib.sha256(json.dumps(payload, sort_keys=True, ensure_ascii=False).encode()).hexdigest()
