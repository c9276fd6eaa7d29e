"""Publish a committed register import: decide disclosure jointly for its Stichtag and store the tables.

Runs after the commit, inline or as a follow-up job on the task worker (``tasks.publish_task``), chosen by
``settings.TEILHABE_POPULATION_PUBLISH`` ("task" or "inline"). Until it has run the import's tables are not
shown (``RegisterImport.published_at`` is empty): data become visible only once protected. Pages then read
the stored tables (``stored_tables``) and never run a disclosure computation.
"""

from __future__ import annotations

import logging
import time
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from teilhabe.lib.disclosure import Cell
from teilhabe.population import joint
from teilhabe.population.differencing import decide_verified
from teilhabe.population.models import PublishedTable, RegisterImport
from teilhabe.population.signals import register_tables_published
from teilhabe.population.tables import TABLE_ORDER, assemble
from teilhabe.population.tables import PublishedTable as Table

log = logging.getLogger(__name__)


def schedule(register_import: RegisterImport, mode: str | None = None) -> None:
    """After the commit: publish inline or queue the job (falls back to inline if queueing fails)."""
    mode = mode or settings.TEILHABE_POPULATION_PUBLISH
    if mode == "task":
        try:
            from teilhabe.population.tasks import publish_task

            publish_task.enqueue(str(register_import.pk))
            return
        except Exception:  # no task backend available: protect now rather than never
            log.exception("population publication could not be queued; publishing inline")
    publish(register_import)


def _input_attributes() -> dict[str, dict[str, frozenset[str]]]:
    if not apps.is_installed("teilhabe.indicators"):
        return {}
    from teilhabe.indicators.register_source import input_attributes

    return input_attributes()


def publish(register_import: RegisterImport) -> RegisterImport:
    """Decide and store. Idempotent; a replaced or discarded import is left alone."""
    started = time.perf_counter()
    register_import.refresh_from_db()
    if register_import.status != RegisterImport.Status.COMMITTED:
        return register_import
    areas: dict[tuple[str, str], dict[str, dict[tuple[str, str], int]]] = defaultdict(lambda: defaultdict(dict))
    # Sorted here (code point order, not the database's collation): the decision depends on the order of the
    # areas and categories, and the same counts must give the same decision everywhere (``joint.order``).
    counts = sorted(
        register_import.counts.values_list("level", "area", "dimension", "category", "male", "female", "other")
    )
    for level, area, dimension, category, male, female, other in counts:
        target = areas[(level, area)][dimension]
        for sex, value in (("m", male), ("w", female), ("x", other)):
            target[(category, sex)] = value
    k = int(settings.DISCLOSURE_MIN_COUNT)
    skipped: list[int] = []
    decision = decide_verified(
        areas,
        k,
        kreis=register_import.kreis_ags,
        extra_keys=_input_attributes(),
        max_unknowns=settings.TEILHABE_POPULATION_CHECK_MAX,
        skipped=skipped,
    )
    levels = {area: level for level, area in areas}
    rows = [
        PublishedTable(
            register_import=register_import,
            level=level,
            area=area,
            dimension=dimension,
            position=TABLE_ORDER.index(dimension),
            categories=categories,
            cells=[[[None if c.suppressed else c.value, c.reason] for c in row] for row in grid],
        )
        for (level, area, dimension), (categories, grid) in decision.tables.items()
    ]
    inputs = sorted([name, levels.get(area, ""), area] for name, area in joint.suppressed_extra(decision))
    with transaction.atomic():
        locked = RegisterImport.objects.select_for_update().get(pk=register_import.pk)
        if locked.status != RegisterImport.Status.COMMITTED:
            return locked
        PublishedTable.objects.filter(register_import=locked).delete()
        PublishedTable.objects.bulk_create(rows, batch_size=1000)
        locked.published_at = timezone.now()
        locked.disclosure = {
            "k": k,
            "rounds": decision.rounds,
            "seconds": round(time.perf_counter() - started, 2),
            "tables": len(rows),
            "suppressed": len(decision.suppressed),
            "suppressed_inputs": inputs,
            "unchecked_components": skipped,
        }
        locked.save(update_fields=["published_at", "disclosure"])
        transaction.on_commit(lambda: register_tables_published.send(sender=RegisterImport, register_import=locked))
        from teilhabe.population.table_pages import schedule as schedule_pages

        schedule_pages(locked)
    return locked


def stored_tables(register_import: RegisterImport, level: str, area: str) -> list[Table]:
    """The published tables of one area in page order, from the stored decision (no disclosure computation);
    empty while the import is not yet published."""
    stored = PublishedTable.objects.filter(register_import=register_import, level=level, area=area)
    return [to_table(row.dimension, row.categories, row.cells) for row in stored.order_by("position")]


def to_table(dimension: str, categories: list[str], cells: Iterable[Iterable[Any]]) -> Table:
    grid = [[Cell(int(value or 0), reason) for value, reason in row] for row in cells]
    return assemble(dimension, categories, grid)
