"""Rendered HTML of the published population tables, stored per import, area and language.

The tables of an area are a pure function of the stored joint disclosure decision (``publication``), so
their HTML is rendered once, right after the decision is stored (``schedule`` → ``prerender_task``, German,
the staff pages' language; other languages on their first view), and read from the fragment store
(``teilhabe.core.fragments``) by the tables page. The key names the import and its ``published_at``, so a
new import (or a new decision for the same Stichtag) makes the old HTML unreachable; areas whose tables did
not change keep nothing stale because every key carries the import it was rendered from.

``tables_html(register_import, level, area) -> str``; ``prerender(register_import, language="de") -> int``
(number of areas rendered).
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import get_language

from teilhabe.core import fragments
from teilhabe.lib.disclosure import SUPPRESSED_MARK
from teilhabe.population.models import PublishedTable, RegisterImport
from teilhabe.population.publication import stored_tables

log = logging.getLogger(__name__)


def _key(register_import: RegisterImport, level: str, area: str) -> str:
    published = register_import.published_at.isoformat() if register_import.published_at else ""
    return fragments.key("population-tables", get_language(), register_import.pk, published, level, area)


def _render(register_import: RegisterImport, level: str, area: str) -> tuple[str, str]:
    context = {
        "tables": stored_tables(register_import, level, area),
        "mark": SUPPRESSED_MARK,
        "k": settings.DISCLOSURE_MIN_COUNT,
    }
    return "", render_to_string("population/_tables_block.html", context)


def tables_html(register_import: RegisterImport, level: str, area: str) -> str:
    """The area's tables as HTML; empty while the import is not yet published."""
    if register_import.published_at is None:
        return ""
    _title, html = fragments.get_or_build(
        _key(register_import, level, area), lambda: _render(register_import, level, area)
    )
    return html


def prerender(register_import: RegisterImport, language: str = "de") -> int:
    areas = PublishedTable.objects.filter(register_import=register_import).values_list("level", "area").distinct()
    count = 0
    with translation.override(language):
        for level, area in areas:
            key = _key(register_import, level, area)
            if not fragments.exists(key):
                title, html = _render(register_import, level, area)
                fragments.store(key, html, title)
                count += 1
    return count


def schedule(register_import: RegisterImport) -> None:
    """After the commit of a publication: render its tables (``settings.TEILHABE_PRERENDER``)."""
    mode = settings.TEILHABE_PRERENDER
    if mode == "off":
        return

    def run() -> None:
        if mode == "inline":
            prerender(register_import)
            return
        try:
            from teilhabe.population.tasks import prerender_task

            prerender_task.enqueue(str(register_import.pk))
        except Exception:
            log.exception("table prerender could not be queued; tables are rendered on first view")

    transaction.on_commit(run)
