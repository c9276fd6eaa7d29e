"""Compute indicator values per Gemeinde, Planungsraum and Kreis, then apply disclosure control.

Rules that matter:
- A Kreis value is computed from the *summed* numerators and denominators of its Gemeinden (never from an
  average of Gemeinde rates). A Kreis-level observation is used only if the Gemeinde inputs are incomplete
  or the indicator forbids summation (``kreis_from_gemeinden: false``).
- Incremental: ``recompute_for_change`` touches only the indicators that use a changed key, only the
  affected regions (the Gemeinde and its Kreis) and only the affected years (plus lagged denominators).
  Disclosure control is re-evaluated for the whole Kreis table of that indicator × year, because secondary
  suppression depends on neighbours, but a row is written only if its content actually changed.
"""

from __future__ import annotations

import math
import time
from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from teilhabe.indicators.catalogue import Category, IndicatorDef, Term
from teilhabe.indicators.models import Indicator, IndicatorValue, Level, Suppression
from teilhabe.indicators.sources import Observation, collect, jointly_suppressed
from teilhabe.lib.disclosure import dominance_suppressed, protect_value, round_to_base
from teilhabe.regions.models import Gemeinde, Kreis

Store = dict[tuple[str, str, str, int], Observation]
RegionKey = tuple[str, str]  # (level, region)


@dataclass
class Raw:
    category: str
    level: str
    region: str
    year: int
    numerator: float | None
    denominator: float | None
    value: float | None
    components: dict[str, float] = field(default_factory=dict)
    sources: list[str] = field(default_factory=list)
    is_synthetic: bool = False
    contributions: tuple[float, ...] = ()


@dataclass
class Published:
    numerator: float | None
    denominator: float | None
    value: float | None
    suppression: str


@dataclass
class ComputeReport:
    indicators: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0
    seconds: float = 0.0

    @property
    def written(self) -> int:
        return self.created + self.updated + self.deleted


class _Inputs:
    """Resolves a source key for one area and year, summing Gemeinden for the Kreis where allowed."""

    def __init__(self, store: Store, kreis_ags: str, gemeinden: list[str]) -> None:
        self.store = store
        self.kreis_ags = kreis_ags
        self.gemeinden = gemeinden

    def get(self, key: str, level: str, region: str, year: int, *, from_parts: bool = True) -> Observation | None:
        if level != Level.KREIS:
            return self.store.get((key, level, region, year))
        if from_parts and self.gemeinden:
            parts = [self.store.get((key, Level.GEMEINDE, ags, year)) for ags in self.gemeinden]
            if all(p is not None for p in parts):
                providers = sorted({p.provider for p in parts if p})
                return Observation(
                    key,
                    level,
                    region,
                    year,
                    math.fsum(p.value for p in parts if p),
                    "+".join(providers),
                    any(p.is_synthetic for p in parts if p),
                )
        return self.store.get((key, Level.KREIS, region, year))

    def terms(
        self, terms: Iterable[Term], level: str, region: str, year: int, raw: Raw, *, from_parts: bool = True
    ) -> float | None:
        total = 0.0
        for term in terms:
            obs = self.get(term.key, level, region, year, from_parts=from_parts)
            if obs is None:
                return None
            total += term.sign * obs.value
            raw.components[f"{term.key}@{year}"] = obs.value
            if obs.interval is not None:  # survey-based: the share's 95 % confidence interval (percent)
                raw.components[f"{term.key}@{year}:ci95_low"], raw.components[f"{term.key}@{year}:ci95_high"] = (
                    obs.interval
                )
            source = f"{obs.provider}:{term.key}"
            if source not in raw.sources:
                raw.sources.append(source)
            raw.is_synthetic = raw.is_synthetic or obs.is_synthetic
        return total


def _years_in(store: Store, keys: set[str]) -> set[int]:
    return {year for (key, _level, _region, year) in store if key in keys}


def compute_raw(
    ind: IndicatorDef, inputs: _Inputs, years: Collection[int], regions: Collection[RegionKey]
) -> list[Raw]:
    """Raw (unprotected) values of one indicator for the given years and regions."""
    results: list[Raw] = []
    for year in sorted(years):
        for level, region in regions:
            if ind.kind == "dissimilarity":
                if level == Level.KREIS:
                    raw = _dissimilarity(ind, inputs, region, year)
                    if raw is not None:
                        results.append(raw)
                continue
            if ind.kind == "magnitude":
                raw = _magnitude(ind, inputs, level, region, year)
                if raw is not None:
                    results.append(raw)
                continue
            from_parts = ind.kreis_from_gemeinden
            for cat in ind.categories:
                raw = Raw(cat.code, level, region, year, None, None, None)
                numerator = inputs.terms(cat.numerator, level, region, year, raw, from_parts=from_parts)
                if numerator is None:
                    continue
                denominator = None
                if ind.kind == "rate":
                    denominator = inputs.terms(
                        cat.denominator, level, region, year - ind.denominator_lag, raw, from_parts=from_parts
                    )
                    if denominator is None:
                        continue
                raw.numerator, raw.denominator = numerator, denominator
                raw.value = _value(ind, numerator, denominator)
                results.append(raw)
    return results


def _value(ind: IndicatorDef, numerator: float | None, denominator: float | None) -> float | None:
    if numerator is None:
        return None
    if ind.kind == "count":
        return numerator
    if not denominator:
        return None
    return numerator / denominator * ind.multiplier


def _magnitude(ind: IndicatorDef, inputs: _Inputs, level: str, region: str, year: int) -> Raw | None:
    # Medians and means cannot be built from parts: only the level the source delivers.
    value = inputs.store.get((ind.value_key, level, region, year))
    count = inputs.store.get((ind.count_key, level, region, year))
    if value is None or count is None:
        return None
    return Raw(
        "",
        level,
        region,
        year,
        count.value,
        None,
        value.value,
        {f"{ind.count_key}@{year}": count.value, f"{ind.value_key}@{year}": value.value},
        [f"{value.provider}:{ind.value_key}", f"{count.provider}:{ind.count_key}"],
        value.is_synthetic or count.is_synthetic,
        value.contributions,
    )


def _dissimilarity(ind: IndicatorDef, inputs: _Inputs, kreis: str, year: int) -> Raw | None:
    cat = ind.categories[0]
    raw = Raw("", Level.KREIS, kreis, year, None, None, None)
    pairs = []
    for ags in inputs.gemeinden:
        a = inputs.terms(cat.numerator, Level.GEMEINDE, ags, year, Raw("", "", "", year, None, None, None))
        b = inputs.terms(cat.denominator, Level.GEMEINDE, ags, year, raw)
        if a is None or b is None:
            return None
        pairs.append((a, b))
    total_a, total_b = math.fsum(a for a, _ in pairs), math.fsum(b for _, b in pairs)
    if total_a <= 0 or total_b <= 0:
        return None
    index = 0.5 * math.fsum(abs(a / total_a - b / total_b) for a, b in pairs) * ind.multiplier
    raw.components = {"A": total_a, "B": total_b, "gemeinden": float(len(pairs))}
    raw.numerator, raw.denominator, raw.value = total_a, total_b, index
    return raw


# --- disclosure control ------------------------------------------------------------------------------


def _count(value: float) -> int:
    return round(abs(value))


def _primary_reason(ind: IndicatorDef, cat: Category | None, raw: Raw) -> str:
    # The installation's k is a floor: an indicator may ask for more protection, never for less.
    k = max(ind.min_count or 0, _default_k())
    if ind.kind == "magnitude":
        if raw.numerator is not None and protect_value(_count(raw.numerator), k).suppressed:
            return Suppression.PRIMARY
        if raw.contributions and dominance_suppressed(raw.contributions):
            return Suppression.DOMINANCE
        return ""
    if ind.kind == "dissimilarity":
        small = any(protect_value(_count(v), k).suppressed for v in (raw.numerator or 0, raw.denominator or 0))
        return Suppression.PRIMARY if small else ""
    assert cat is not None
    year_num, year_den = raw.year, raw.year - ind.denominator_lag
    for term in cat.numerator:
        if protect_value(_count(raw.components.get(f"{term.key}@{year_num}", 0)), k).suppressed:
            return Suppression.PRIMARY
    for term in cat.denominator:
        if protect_value(_count(raw.components.get(f"{term.key}@{year_den}", 0)), k).suppressed:
            return Suppression.PRIMARY
    if ind.kind == "rate" and raw.numerator is not None and raw.denominator is not None and not ind.denominator_lag:
        # A rate of "all but one" reveals the one: protect the complement as well.
        rest = raw.denominator - raw.numerator
        if rest > 0 and protect_value(_count(rest), k).suppressed:
            return Suppression.COMPLEMENT
    return ""


def _uses_suppressed(raw: Raw, forced: Collection[tuple[str, str, str, int]]) -> bool:
    for component in raw.components:
        name, _sep, year = component.partition("@")
        if year.isdigit() and (name, raw.level, raw.region, int(year)) in forced:
            return True
    return False


def _default_k() -> int:
    from django.conf import settings

    return int(settings.DISCLOSURE_MIN_COUNT)


def _secondary_line(cells: list[tuple[Any, float]], reasons: dict[Any, str], parent: Any | None) -> bool:
    """One additive line (children + optional total). Never leave exactly one suppressed cell in it."""
    members = [c for c, _v in cells] + ([parent] if parent is not None else [])
    suppressed = [m for m in members if reasons.get(m)]
    if len(suppressed) != 1:
        return False
    candidates = [(v <= 0, v, c) for c, v in cells if not reasons.get(c)]
    candidates.sort(key=lambda item: (item[0], item[1]))
    if candidates:
        reasons[candidates[0][2]] = Suppression.SECONDARY
        return True
    if parent is not None and not reasons.get(parent):
        reasons[parent] = Suppression.SECONDARY
        return True
    return False


def protect_rows(
    ind: IndicatorDef,
    rows: dict[tuple[str, str, str], Raw],
    kreis_ags: str,
    forced: Collection[tuple[str, str, str, int]] = (),
) -> dict[tuple[str, str, str], Published]:
    """Disclosure control for one indicator × year: rows keyed by (category, level, region).

    ``forced``: (source key, level, region, year) inputs suppressed by their source's joint decision (the
    same count is suppressed in a published register table); a value using one is suppressed as well."""
    categories = {c.code: c for c in ind.categories}
    reasons: dict[Any, str] = {key: _primary_reason(ind, categories.get(key[0]), raw) for key, raw in rows.items()}
    if forced:
        for key, raw in rows.items():
            if not reasons[key] and _uses_suppressed(raw, forced):
                reasons[key] = Suppression.SECONDARY
    if ind.disclosure_method == "round":
        # Rounding to the base replaces suppression: no exact count of 1..k-1 persons is ever shown.
        reasons = {key: reason for key, reason in reasons.items() if reason == Suppression.DOMINANCE}
    additive = ind.kind in ("rate", "count") and all(t.sign > 0 for c in ind.categories for t in c.numerator)
    if ind.disclosure_method == "suppress" and additive:
        changed = True
        while changed:
            changed = False
            for cat in ind.categories:
                # Gemeinden → Kreis (only if the Kreis numerator really is their sum).
                children = [
                    (key, raw.numerator or 0.0)
                    for key, raw in rows.items()
                    if key[0] == cat.code and key[1] == Level.GEMEINDE
                ]
                parent_key = (cat.code, Level.KREIS, kreis_ags)
                parent = rows.get(parent_key)
                total = math.fsum(v for _k, v in children)
                if parent is None or abs((parent.numerator or 0) - total) > 1e-6:
                    parent_key = None  # type: ignore[assignment]
                changed |= _secondary_line(children, reasons, parent_key)
                # Planungsräume → their Gemeinde.
                by_gemeinde: dict[str, list[tuple[Any, float]]] = defaultdict(list)
                for key, raw in rows.items():
                    if key[0] == cat.code and key[1] == Level.PLANUNGSRAUM:
                        by_gemeinde[key[2].split("/")[0]].append((key, raw.numerator or 0.0))
                for ags, cells in by_gemeinde.items():
                    gkey = (cat.code, Level.GEMEINDE, ags)
                    changed |= _secondary_line(cells, reasons, gkey if gkey in rows else None)
            if ind.categories_additive and len(ind.categories) > 1:
                regions = {(key[1], key[2]) for key in rows}
                for level, region in regions:
                    cells = [
                        ((c.code, level, region), rows[(c.code, level, region)].numerator or 0.0)
                        for c in ind.categories
                        if (c.code, level, region) in rows
                    ]
                    changed |= _secondary_line(cells, reasons, None)

    result: dict[tuple[str, str, str], Published] = {}
    for key, raw in rows.items():
        reason = reasons.get(key, "")
        if reason:
            result[key] = Published(None, None, None, reason)
        elif ind.disclosure_method == "round" and ind.kind in ("rate", "count") and raw.numerator is not None:
            num = math.copysign(round_to_base(_count(raw.numerator), ind.rounding_base), raw.numerator)
            den = round_to_base(_count(raw.denominator), ind.rounding_base) if raw.denominator is not None else None
            result[key] = Published(num, den, _value(ind, num, den), "")
        else:
            result[key] = Published(raw.numerator, raw.denominator, raw.value, "")
    return result


# --- orchestration -----------------------------------------------------------------------------------


def _kreis_regions(kreis: Kreis) -> tuple[list[str], list[RegionKey]]:
    gemeinden = list(
        Gemeinde.objects.filter(kreis=kreis, is_gemeinde=True).order_by("ags").values_list("ags", flat=True)
    )
    regions: list[RegionKey] = [(str(Level.GEMEINDE), ags) for ags in gemeinden]
    return gemeinden, [*regions, (str(Level.KREIS), kreis.ags)]


def _fields(raw: Raw, pub: Published) -> dict[str, Any]:
    return {
        "numerator": raw.numerator,
        "denominator": raw.denominator,
        "value": raw.value,
        "components": raw.components,
        "sources": sorted(raw.sources),
        "is_synthetic": raw.is_synthetic,
        "published_numerator": pub.numerator,
        "published_denominator": pub.denominator,
        "published_value": pub.value,
        "suppression": pub.suppression,
    }


_UPDATE_FIELDS = (
    "numerator",
    "denominator",
    "value",
    "components",
    "sources",
    "is_synthetic",
    "published_numerator",
    "published_denominator",
    "published_value",
    "suppression",
)


def _row_as_raw(row: IndicatorValue) -> Raw:
    return Raw(
        row.category,
        row.level,
        row.region,
        row.year,
        row.numerator,
        row.denominator,
        row.value,
        dict(row.components),
        list(row.sources),
        row.is_synthetic,
    )


def compute(
    *,
    kreis: Kreis,
    indicators: Iterable[Indicator] | None = None,
    years: Collection[int] | None = None,
    regions: Collection[RegionKey] | None = None,
    report: ComputeReport | None = None,
) -> ComputeReport:
    """(Re)compute; ``regions``/``years`` restrict the work to affected cells (None = everything)."""
    started = time.perf_counter()
    report = report or ComputeReport()
    indicator_list = list(indicators if indicators is not None else Indicator.objects.all())
    gemeinden, all_regions = _kreis_regions(kreis)
    pr_regions: list[RegionKey] = []
    keys: set[str] = set()
    defs = {ind.pk: ind.as_definition() for ind in indicator_list}
    lags = {d.denominator_lag for d in defs.values()}
    for d in defs.values():
        keys |= d.keys
    fetch_years = None if years is None else {y - lag for y in years for lag in lags} | set(years)
    store = collect(
        keys=keys,
        years=fetch_years,
        regions=None if regions is None else set(gemeinden) | {kreis.ags} | {r for _l, r in regions},
    )
    store = {k: v for k, v in store.items() if v.region == kreis.ags or v.region[:8] in gemeinden}
    pr_regions = sorted({(Level.PLANUNGSRAUM, obs.region) for obs in store.values() if obs.level == Level.PLANUNGSRAUM})
    inputs = _Inputs(store, kreis.ags, gemeinden)
    target_regions = list(regions) if regions is not None else all_regions + pr_regions
    now = timezone.now()
    for ind in indicator_list:
        definition = defs[ind.pk]
        value_keys = (
            {definition.value_key}
            if definition.kind == "magnitude"
            else {t.key for c in definition.categories for t in c.numerator}
        )
        ind_years = _years_in(store, value_keys)
        if years is not None:
            ind_years &= set(years)
        raws = compute_raw(definition, inputs, ind_years, target_regions)
        _persist(
            ind,
            definition,
            raws,
            ind_years if years is not None else None,
            target_regions if regions is not None else None,
            kreis.ags,
            now,
            report,
        )
        report.indicators += 1
    report.seconds += time.perf_counter() - started
    return report


def _persist(
    ind: Indicator,
    definition: IndicatorDef,
    raws: list[Raw],
    years: Collection[int] | None,
    regions: Collection[RegionKey] | None,
    kreis_ags: str,
    now: Any,
    report: ComputeReport,
) -> None:
    existing_qs = IndicatorValue.objects.filter(indicator=ind)
    if years is not None:
        existing_qs = existing_qs.filter(year__in=list(years))
    existing = {(r.year, r.category, r.level, r.region): r for r in existing_qs}
    affected = None if regions is None else {(level, region) for level, region in regions}
    new_raw = {(r.year, r.category, r.level, r.region): r for r in raws}
    group_years = {key[0] for key in new_raw} | {key[0] for key in existing}
    forced = jointly_suppressed({y - lag for y in group_years for lag in (0, definition.denominator_lag)})
    to_create: list[IndicatorValue] = []
    to_update: list[IndicatorValue] = []
    to_delete: list[int] = []
    for year in sorted(group_years):
        rows: dict[tuple[str, str, str], Raw] = {}
        for key, row in existing.items():
            if key[0] != year:
                continue
            if affected is None or (row.level, row.region) in affected:
                if key not in new_raw:
                    to_delete.append(row.pk)
                continue
            rows[key[1:]] = _row_as_raw(row)
        for key, raw in new_raw.items():
            if key[0] == year:
                rows[key[1:]] = raw
        published = protect_rows(definition, rows, kreis_ags, forced)
        for sub, raw in rows.items():
            fields = _fields(raw, published[sub])
            current = existing.get((year, *sub))
            if current is None:
                to_create.append(
                    IndicatorValue(
                        indicator=ind,
                        category=sub[0],
                        level=sub[1],
                        region=sub[2],
                        year=year,
                        computed_at=now,
                        **fields,
                    )
                )
                continue
            if any(getattr(current, name) != value for name, value in fields.items()):
                for name, value in fields.items():
                    setattr(current, name, value)
                current.computed_at = now
                to_update.append(current)
            else:
                report.unchanged += 1
    with transaction.atomic():
        if to_delete:
            IndicatorValue.objects.filter(pk__in=to_delete).delete()
        IndicatorValue.objects.bulk_create(to_create, batch_size=1000)
        IndicatorValue.objects.bulk_update(to_update, [*_UPDATE_FIELDS, "computed_at"], batch_size=500)
        if to_create or to_update or to_delete:
            # The data version of the public pages (their cache key) moves with every real change.
            Indicator.objects.filter(pk=ind.pk).update(updated_at=now)
            # …and the same write queues the rendering of the pages that show it (fragment store).
            from teilhabe.indicators.prerender import schedule

            schedule()
    report.created += len(to_create)
    report.updated += len(to_update)
    report.deleted += len(to_delete)


def affected_regions(level: str, region: str, kreis_ags: str) -> list[RegionKey]:
    """The regions whose values depend on an input at (level, region)."""
    if level == Level.GEMEINDE:
        return [(Level.GEMEINDE, region), (Level.KREIS, kreis_ags)]
    if level == Level.PLANUNGSRAUM:
        return [(Level.PLANUNGSRAUM, region)]
    return [(Level.KREIS, region)]


def recompute_for_change(*, kreis: Kreis, changes: Iterable[tuple[str, str, str, int]]) -> ComputeReport:
    """Recompute after source values changed; ``changes`` are (key, level, region, year)."""
    report = ComputeReport()
    by_key: dict[str, set[tuple[str, str, int]]] = defaultdict(set)
    for key, level, region, year in changes:
        by_key[key].add((level, region, year))
    if not by_key:
        return report
    indicators = [ind for ind in Indicator.objects.all() if ind.keys & set(by_key)]
    for ind in indicators:
        definition = ind.as_definition()
        denominator_keys = {t.key for c in definition.categories for t in c.denominator}
        years: set[int] = set()
        regions: set[RegionKey] = set()
        for key in definition.keys & set(by_key):
            for level, region, year in by_key[key]:
                years.add(year)
                if key in denominator_keys and definition.denominator_lag:
                    years.add(year + definition.denominator_lag)
                if definition.kind == "dissimilarity":
                    regions.add((Level.KREIS, kreis.ags))
                else:
                    regions.update(affected_regions(level, region, kreis.ags))
        compute(kreis=kreis, indicators=[ind], years=years, regions=regions, report=report)
    return report
