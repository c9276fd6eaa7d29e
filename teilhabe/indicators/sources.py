"""Source adapters: every input of an indicator formula comes through this one interface.

An adapter delivers ``Observation``s for source keys (the vocabulary in catalogue.yaml ``source_keys``).
Several adapters may deliver the same key for the same area and year; the adapter with the higher
``priority`` wins (register 30 > agency 20 > survey/case management 15 > Zensus 10), so the district's
own register figures replace official reference values as soon as they exist.

The population-register adapter (``register_source.RegisterSource``, over ``teilhabe.population``'s
committed imports) is registered in ``IndicatorsConfig.ready()``. Its shape, for further adapters::

    class RegisterSource:
        name = "register"; priority = 30
        def observations(self, *, keys, years, regions):
            # keys: set of catalogue source keys with provider "register" (ew_gesamt, ew_auslaender, …)
            # years: set of Stichtag years or None for all; regions: set of AGS (8-digit Gemeinde,
            # 5-digit Kreis) and "AGS/code" for Planungsräume, or None for all
            # yields Observation(key, level, region, year, value, provider="register") with *unprotected*
            # counts; disclosure control is applied here on publication.

registered with ``teilhabe.indicators.sources.register_source(adapter)``. After new source data arrive,
``teilhabe.indicators.compute.recompute_for_change(...)`` with the changed keys, regions and years
recomputes only the affected values.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass
from typing import Protocol

from teilhabe.indicators.models import AgencyValue, Level


@dataclass(frozen=True)
class Observation:
    key: str
    level: str  # "gemeinde", "planungsraum", "kreis"
    region: str
    year: int
    value: float
    provider: str
    is_synthetic: bool = False
    contributions: tuple[float, ...] = ()
    # Survey-based inputs: 95 % confidence interval of the resulting share, in percent (low, high).
    interval: tuple[float, float] | None = None


class SourceAdapter(Protocol):
    name: str
    priority: int

    def observations(
        self, *, keys: Collection[str], years: Collection[int] | None, regions: Collection[str] | None
    ) -> Iterable[Observation]: ...


class AgencySource:
    """Aggregates entered in the staff form or imported from CSV/XLSX (``AgencyValue``)."""

    name = "agency"
    priority = 20

    def observations(
        self, *, keys: Collection[str], years: Collection[int] | None, regions: Collection[str] | None
    ) -> Iterator[Observation]:
        rows = AgencyValue.objects.filter(source_key__in=list(keys))
        if years is not None:
            rows = rows.filter(year__in=list(years))
        if regions is not None:
            rows = rows.filter(ags__in=list(regions))
        for key, level, ags, year, value, synthetic, contributions in rows.values_list(
            "source_key", "level", "ags", "year", "value", "is_synthetic", "contributions"
        ).iterator():
            yield Observation(key, level, ags, year, value, self.name, synthetic, tuple(contributions or ()))


class ZensusSource:
    """Zensus 2022 population and foreign nationals per Gemeinde and Kreis (official reference values).

    The bundled data hold shares; the count of foreign nationals is share × population / 100, which is
    exactly how the Kreis value was weighted, so sums over Gemeinden reproduce the official Kreis share.
    """

    name = "zensus"
    priority = 10
    year = 2022

    def observations(
        self, *, keys: Collection[str], years: Collection[int] | None, regions: Collection[str] | None
    ) -> Iterator[Observation]:
        from teilhabe.regions.models import ReferenceValue

        wanted = {"ew_gesamt", "ew_auslaender"} & set(keys)
        if not wanted or (years is not None and self.year not in years):
            return
        rows = ReferenceValue.objects.filter(
            source="zensus2022",
            year=self.year,
            indicator__in=["population", "share_foreign"],
            level__in=[Level.GEMEINDE, Level.KREIS],
        )
        if regions is not None:
            rows = rows.filter(ags__in=list(regions))
        table: dict[tuple[str, str], dict[str, float]] = {}
        for level, ags, indicator, value in rows.values_list("level", "ags", "indicator", "value"):
            table.setdefault((level, ags), {})[indicator] = value
        for (level, ags), values in table.items():
            population = values.get("population")
            if population is None:
                continue
            if "ew_gesamt" in wanted:
                yield Observation("ew_gesamt", level, ags, self.year, population, self.name)
            share = values.get("share_foreign")
            if "ew_auslaender" in wanted and share is not None:
                yield Observation("ew_auslaender", level, ags, self.year, share * population / 100, self.name)


_ADAPTERS: list[SourceAdapter] = [AgencySource(), ZensusSource()]


def register_source(adapter: SourceAdapter) -> None:
    """Add an adapter (e.g. the population register); replaces an adapter of the same name."""
    _ADAPTERS[:] = [a for a in _ADAPTERS if a.name != adapter.name]
    _ADAPTERS.append(adapter)


def jointly_suppressed(years: Collection[int]) -> set[tuple[str, str, str, int]]:
    """(key, level, region, year) of inputs a source's own joint disclosure decision suppressed (the register
    statistics decide once per Stichtag over tables and indicator inputs, ``teilhabe.population.joint``)."""
    result: set[tuple[str, str, str, int]] = set()
    for adapter in _ADAPTERS:
        suppressed = getattr(adapter, "suppressed", None)
        if suppressed is not None:
            result |= suppressed(years)
    return result


def adapters() -> list[SourceAdapter]:
    return sorted(_ADAPTERS, key=lambda a: a.priority)


def collect(
    *, keys: Collection[str], years: Collection[int] | None, regions: Collection[str] | None
) -> dict[tuple[str, str, str, int], Observation]:
    """All observations by (key, level, region, year); higher-priority adapters overwrite lower ones."""
    store: dict[tuple[str, str, str, int], Observation] = {}
    for adapter in adapters():
        for obs in adapter.observations(keys=keys, years=years, regions=regions):
            store[(obs.key, obs.level, obs.region, obs.year)] = obs
    return store
