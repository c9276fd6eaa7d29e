"""Writes of the monitoring: catalogue sync, agency aggregates (form, import), custom indicators, publishing.

Every write and its audit event share one transaction; the incremental recomputation runs in the same
transaction, so a failed recomputation leaves no half-updated source values behind.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from teilhabe.audit.services import Action, record
from teilhabe.indicators import prerender
from teilhabe.indicators.catalogue import IndicatorDef, load_catalogue
from teilhabe.indicators.compute import ComputeReport, compute, recompute_for_change
from teilhabe.indicators.importer import ParsedRow, ParseResult, Problem
from teilhabe.indicators.models import AgencyValue, AgencyValueRevision, Indicator, IndicatorValue, IndicatorVersion
from teilhabe.regions.models import Kreis

ACTION_IMPORT = "indicators.agency_import"
ACTION_RECOMPUTE = "indicators.recompute"
ACTION_PUBLISH = "indicators.publish"
ACTION_SYNC = "indicators.catalogue_sync"


def configured_kreis() -> Kreis | None:
    return Kreis.objects.filter(ags=settings.TEILHABE_KREIS).first()


def _definition_fields(d: IndicatorDef) -> dict[str, Any]:
    return {
        "name_de": d.name_de,
        "name_en": d.name_en,
        "theme": d.theme,
        "kind": d.kind,
        "unit": d.unit,
        "multiplier": d.multiplier,
        "definition": d.definition,
        "sources": list(d.sources),
        "disaggregations": d.disaggregations,
        "migration_definition": d.migration_definition,
        "anchor": d.anchor,
        "caveats": d.caveats,
        "categories": [
            {
                "code": c.code,
                "name_de": c.name_de,
                "name_en": c.name_en,
                "numerator": [str(t) for t in c.numerator],
                "denominator": [str(t) for t in c.denominator],
            }
            for c in d.categories
        ],
        "denominator_lag": d.denominator_lag,
        "disclosure_method": d.disclosure_method,
        "min_count": d.min_count,
        "rounding_base": d.rounding_base,
        "kreis_from_gemeinden": d.kreis_from_gemeinden,
        "categories_additive": d.categories_additive,
        "value_key": d.value_key,
        "count_key": d.count_key,
        "references": [list(r) for r in d.references],
    }


def catalogue_sync(*, acting_user: Any = None) -> tuple[int, int]:
    """Create or update the catalogue indicators from catalogue.yaml. Publication flags are kept."""
    catalogue = load_catalogue()
    created = updated = 0
    with transaction.atomic():
        for code, definition in catalogue.indicators.items():
            _obj, was_created = Indicator.objects.update_or_create(
                code=code, defaults={**_definition_fields(definition), "is_custom": False}
            )
            created += was_created
            updated += not was_created
        record(
            ACTION_SYNC,
            actor=acting_user,
            object_type="indicators.indicator",
            extra={"created": created, "updated": updated},
            username="system" if acting_user is None else "",
        )
    return created, updated


def custom_indicator_create(
    *,
    acting_user: Any,
    organisation: Any,
    code: str,
    name_de: str,
    name_en: str,
    theme: str,
    numerator: list[str],
    denominator: list[str],
    multiplier: float,
    definition: str,
    caveats: str = "",
    disclosure_method: str = "suppress",
    min_count: int | None = None,
) -> Indicator:
    """A district-defined indicator over the available source keys, without code changes."""
    with transaction.atomic():
        indicator = Indicator.objects.create(
            code=code,
            name_de=name_de,
            name_en=name_en or name_de,
            theme=theme,
            kind="rate" if denominator else "count",
            unit=unit_for(multiplier, bool(denominator)),
            multiplier=multiplier,
            definition=definition,
            sources=["AGENCY"],
            disaggregations={"S": "nein", "A": "nein", "N": "nein", "G": "ja"},
            migration_definition="staatsangehoerigkeit",
            anchor="",
            caveats=caveats,
            categories=[
                {
                    "code": "",
                    "name_de": name_de,
                    "name_en": name_en or name_de,
                    "numerator": numerator,
                    "denominator": denominator,
                }
            ],
            disclosure_method=disclosure_method,
            min_count=min_count,
            is_custom=True,
            owner=organisation,
        )
        record(
            Action.CREATE,
            actor=acting_user,
            organisation=organisation,
            obj=indicator,
            changed_fields=["code", "numerator", "denominator"],
        )
        kreis = configured_kreis()
        if kreis is not None:
            compute(kreis=kreis, indicators=[indicator])
    return indicator


def unit_for(multiplier: float, has_denominator: bool) -> str:
    """The unit follows from the factor, so "je 100" can never be shown beside a factor of 1 000."""
    if not has_denominator:
        return "Anzahl"
    return {100.0: "%", 1000.0: "je 1.000", 100000.0: "je 100.000"}.get(float(multiplier), "Verhältnis")


EDITABLE_FIELDS = (
    "name_de",
    "name_en",
    "theme",
    "multiplier",
    "definition",
    "caveats",
    "disclosure_method",
    "min_count",
)


def _snapshot(indicator: Indicator) -> dict[str, Any]:
    return {
        **{name: getattr(indicator, name) for name in EDITABLE_FIELDS},
        "unit": indicator.unit,
        "categories": indicator.categories,
        "kind": indicator.kind,
    }


def custom_indicator_update(
    *,
    acting_user: Any,
    indicator: Indicator,
    numerator: list[str],
    denominator: list[str],
    **fields: Any,
) -> Indicator:
    """A new version of an own indicator: the old definition is kept as ``IndicatorVersion``, values are
    recomputed. Raises ``PermissionDenied`` for catalogue indicators."""
    if not indicator.is_custom:
        raise PermissionDenied("Katalogindikatoren werden im Katalog gepflegt.")
    with transaction.atomic():
        IndicatorVersion.objects.create(
            indicator=indicator, version=indicator.version, definition=_snapshot(indicator), replaced_by=acting_user
        )
        changed = [name for name in EDITABLE_FIELDS if name in fields and getattr(indicator, name) != fields[name]]
        for name in EDITABLE_FIELDS:
            if name in fields:
                setattr(indicator, name, fields[name])
        category = dict(indicator.categories[0]) if indicator.categories else {"code": ""}
        if category.get("numerator") != numerator or category.get("denominator") != denominator:
            changed += ["numerator", "denominator"]
        category.update(
            name_de=indicator.name_de, name_en=indicator.name_en, numerator=numerator, denominator=denominator
        )
        indicator.categories = [category]
        indicator.kind = "rate" if denominator else "count"
        indicator.unit = unit_for(indicator.multiplier, bool(denominator))
        indicator.version += 1
        indicator.save()
        record(
            Action.UPDATE,
            actor=acting_user,
            organisation=indicator.owner,
            obj=indicator,
            changed_fields=changed,
            extra={"version": indicator.version},
        )
        kreis = configured_kreis()
        if kreis is not None:
            compute(kreis=kreis, indicators=[indicator])
    return indicator


def custom_indicator_delete(*, acting_user: Any, indicator: Indicator) -> None:
    """Delete an own indicator that was never published (published ones can only be withdrawn)."""
    if not indicator.is_custom or indicator.ever_published or indicator.is_published:
        raise PermissionDenied("Nur nie veröffentlichte eigene Indikatoren können gelöscht werden.")
    with transaction.atomic():
        record(
            Action.DELETE,
            actor=acting_user,
            organisation=indicator.owner,
            obj=indicator,
            extra={"version": indicator.version},
        )
        IndicatorValue.objects.filter(indicator=indicator).delete()
        indicator.delete()


def indicator_set_published(*, acting_user: Any, indicator: Indicator, published: bool) -> Indicator:
    with transaction.atomic():
        indicator.is_published = published
        indicator.ever_published = indicator.ever_published or published
        indicator.save(update_fields=["is_published", "ever_published", "updated_at"])
        prerender.schedule()
        record(
            ACTION_PUBLISH,
            actor=acting_user,
            organisation=indicator.owner,
            obj=indicator,
            changed_fields=["is_published"],
            extra={"published": published},
        )
    return indicator


def recompute_all(*, acting_user: Any) -> ComputeReport:
    kreis = configured_kreis()
    if kreis is None:
        return ComputeReport()
    with transaction.atomic():
        report = compute(kreis=kreis)
        record(
            ACTION_RECOMPUTE,
            actor=acting_user,
            object_type="indicators.indicatorvalue",
            extra={"created": report.created, "updated": report.updated, "deleted": report.deleted},
            username="system" if acting_user is None else "",
        )
    return report


def _upsert(
    *,
    acting_user: Any,
    organisation: Any,
    source_key: str,
    level: str,
    ags: str,
    year: int,
    value: float,
    source_document: str,
    file_name: str,
    is_synthetic: bool,
    now: Any,
) -> tuple[AgencyValue, bool, bool]:
    """(object, created, changed)."""
    obj = AgencyValue.objects.select_for_update().filter(source_key=source_key, level=level, ags=ags, year=year).first()
    if obj is None:
        obj = AgencyValue.objects.create(
            source_key=source_key,
            level=level,
            ags=ags,
            year=year,
            value=value,
            source_document=source_document,
            file_name=file_name,
            is_synthetic=is_synthetic,
            owner=organisation,
            entered_by=acting_user,
            entered_at=now,
        )
        _revision(obj, None, acting_user=acting_user, now=now)
        return obj, True, True
    if obj.owner_id != organisation.pk:
        # One organisation maintains each cell; others must not overwrite its figures.
        raise PermissionDenied("Wert gehört einer anderen Organisation.")
    changed = obj.value != value or obj.source_document != source_document
    if changed:
        old_value, old_document = obj.value, obj.source_document
        obj.value, obj.source_document, obj.file_name = value, source_document, file_name
        obj.owner, obj.entered_by, obj.entered_at, obj.is_synthetic = (
            organisation,
            acting_user,
            now,
            is_synthetic,
        )
        obj.save()
        _revision(obj, old_value, old_document=old_document, acting_user=acting_user, now=now)
    return obj, False, changed


def _revision(
    obj: AgencyValue,
    old_value: float | None,
    *,
    acting_user: Any,
    now: Any,
    old_document: str = "",
    deleted: bool = False,
) -> AgencyValueRevision:
    """Keep the history of a cell: one row per creation, replacement (old → new) and deletion."""
    return AgencyValueRevision.objects.create(
        source_key=obj.source_key,
        level=obj.level,
        ags=obj.ags,
        year=obj.year,
        old_value=old_value,
        new_value=None if deleted else obj.value,
        old_source_document=old_document,
        source_document="" if deleted else obj.source_document,
        file_name=obj.file_name,
        owner=obj.owner,
        changed_by=acting_user if getattr(acting_user, "is_authenticated", False) else None,
        changed_at=now,
    )


def agency_value_history(*, source_key: str, level: str, ags: str, year: int) -> list[AgencyValueRevision]:
    return list(AgencyValueRevision.objects.filter(source_key=source_key, level=level, ags=ags, year=year))


def agency_value_save(
    *,
    acting_user: Any,
    organisation: Any,
    source_key: str,
    level: str,
    ags: str,
    year: int,
    value: float,
    source_document: str,
    file_name: str = "",
    is_synthetic: bool = False,
) -> AgencyValue:
    """Enter or correct one aggregate; recomputes only the affected indicator values.

    The returned object carries ``previous_value`` (``None`` if the cell was new) so the caller can show
    old → new; the history is kept in ``AgencyValueRevision``."""
    now = timezone.now()
    with transaction.atomic():
        before = AgencyValue.objects.filter(source_key=source_key, level=level, ags=ags, year=year).first()
        obj, created, changed = _upsert(
            acting_user=acting_user,
            organisation=organisation,
            source_key=source_key,
            level=level,
            ags=ags,
            year=year,
            value=value,
            source_document=source_document,
            file_name=file_name,
            is_synthetic=is_synthetic,
            now=now,
        )
        record(
            Action.CREATE if created else Action.UPDATE,
            actor=acting_user,
            organisation=organisation,
            obj=obj,
            changed_fields=["value", "source_document"] if changed else [],
        )
        kreis = configured_kreis()
        if changed and kreis is not None:
            recompute_for_change(kreis=kreis, changes=[(source_key, level, ags, year)])
    obj.previous_value = before.value if before is not None else None  # type: ignore[attr-defined]
    return obj


def agency_value_delete(*, acting_user: Any, value: AgencyValue) -> None:
    with transaction.atomic():
        change = (value.source_key, value.level, value.ags, value.year)
        record(Action.DELETE, actor=acting_user, organisation=value.owner, obj=value)
        _revision(
            value,
            value.value,
            old_document=value.source_document,
            acting_user=acting_user,
            now=timezone.now(),
            deleted=True,
        )
        value.delete()
        kreis = configured_kreis()
        if kreis is not None:
            recompute_for_change(kreis=kreis, changes=[change])


def agency_value_conflicts(*, organisation: Any, rows: list[ParsedRow]) -> list[Problem]:
    """Lines whose cell is already maintained by another organisation (they would be rejected)."""
    wanted = {(r.source_key, r.level, r.ags, r.year): r.row for r in rows}
    keys = {r.source_key for r in rows}
    years = {r.year for r in rows}
    problems = []
    owned = (
        AgencyValue.objects.filter(source_key__in=keys, year__in=years)
        .exclude(owner=organisation)
        .values_list("source_key", "level", "ags", "year", "owner__name")
    )
    for key, level, ags, year, owner_name in owned:
        line = wanted.get((key, level, ags, year))
        if line is not None:
            problems.append(
                Problem(
                    line,
                    "quellschluessel",
                    "owned_elsewhere",
                    f"Dieser Wert wird von „{owner_name}“ gepflegt und kann nur dort geändert werden.",
                )
            )
    return sorted(problems, key=lambda p: p.row)


@dataclass
class ImportOutcome:
    dry_run: bool
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    recomputed: int = 0
    rows: list[ParsedRow] = field(default_factory=list)


class _DryRunRollback(Exception):
    pass


def agency_values_import(
    *,
    acting_user: Any,
    organisation: Any,
    parsed: ParseResult,
    file_name: str,
    dry_run: bool,
    is_synthetic: bool = False,
) -> ImportOutcome:
    """All or nothing: only a file without any problem is written; a dry run writes nothing at all."""
    if not parsed.ok or agency_value_conflicts(organisation=organisation, rows=parsed.rows):
        raise ValueError("Import mit Fehlern kann nicht übernommen werden.")
    outcome = ImportOutcome(dry_run=dry_run, rows=parsed.rows)
    now = timezone.now()
    try:
        with transaction.atomic():
            changes = []
            for row in parsed.rows:
                _obj, created, changed = _upsert(
                    acting_user=acting_user,
                    organisation=organisation,
                    source_key=row.source_key,
                    level=row.level,
                    ags=row.ags,
                    year=row.year,
                    value=row.value,
                    source_document=row.source_document or file_name,
                    file_name=file_name,
                    is_synthetic=is_synthetic,
                    now=now,
                )
                outcome.created += created
                outcome.updated += changed and not created
                outcome.unchanged += not changed
                if changed:
                    changes.append((row.source_key, row.level, row.ags, row.year))
            if dry_run:
                raise _DryRunRollback
            kreis = configured_kreis()
            if kreis is not None and changes:
                outcome.recomputed = recompute_for_change(kreis=kreis, changes=changes).written
            record(
                ACTION_IMPORT,
                actor=acting_user,
                organisation=organisation,
                object_type="indicators.agencyvalue",
                object_repr=file_name[:200],
                extra={
                    "rows": len(parsed.rows),
                    "created": outcome.created,
                    "updated": outcome.updated,
                    "unchanged": outcome.unchanged,
                },
            )
    except _DryRunRollback:
        pass
    return outcome
