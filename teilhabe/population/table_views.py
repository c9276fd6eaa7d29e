"""Staff pages of the published statistics: the protected tables (stored page bodies, decision 0175), their
CSV/XLSX export and the Zensus comparison. ``population.view`` sees disclosure-protected tables only;
Gemeinde staff (``population.gemeinde``) only their own areas. Every view and export is audited.
"""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from teilhabe.accounts.access import staff_required
from teilhabe.audit.services import Action, record
from teilhabe.core import fragments
from teilhabe.lib.disclosure import SUPPRESSED_MARK
from teilhabe.lib.exports import Sheet, csv_response, xlsx_response
from teilhabe.population import table_reads
from teilhabe.population.access import PopulationScope, scope_for
from teilhabe.population.models import (
    GEMEINDE_PERMISSION,
    VIEW_PERMISSION,
    RegisterImport,
)
from teilhabe.population.models import PublishedTable as StoredTable
from teilhabe.population.publication import stored_tables, to_table
from teilhabe.population.table_pages import tables_html
from teilhabe.population.tables import PublishedTable
from teilhabe.regions.models import Gemeinde, Planungsraum, ReferenceValue


def _area_label(level: str, area: str, gemeinden: dict[str, str], planungsraeume: dict[str, str] | None = None) -> str:
    """``planungsraeume``: names by "ags:code" (one query for a whole list, see ``_planungsraum_names``)."""
    if level == "kreis":
        return _("Kreis insgesamt")
    if level == "gemeinde":
        return gemeinden.get(area, area)
    ags, _sep, code = area.partition(":")
    if planungsraeume is None:
        planungsraeume = _planungsraum_names([area])
    name = planungsraeume.get(area) or _("Planungsraum %(code)s") % {"code": code}
    return f"{gemeinden.get(ags, ags)} – {name}"


def _planungsraum_names(areas: list[str]) -> dict[str, str]:
    ags = {a.partition(":")[0] for a in areas}
    rows = Planungsraum.objects.filter(gemeinde_id__in=ags).values_list("gemeinde_id", "code", "name")
    return {f"{g}:{c}": n for g, c, n in rows}


def _area_names(kreis_ags: str, planungsraeume: list[str]) -> tuple[dict[str, str], dict[str, str]]:
    """Names of the Kreis's Gemeinden (by AGS) and of the given Planungsräume (by "AGS:code"), in one query."""
    return table_reads.area_names(kreis_ags, planungsraeume)


class Selection:
    """The Stichtag, level and area a table page shows, and a German message if the request had to be corrected."""

    def __init__(self, register_import: RegisterImport, level: str, area: str, error: str = "") -> None:
        self.register_import, self.level, self.area, self.error = register_import, level, area, error


def _committed_list(request: HttpRequest) -> list[RegisterImport]:
    """The committed imports the user may read, newest Stichtag first, with their owner; one query per request
    (the selection, the Stichtag list, the series and the audit event all read this list)."""
    cached: list[RegisterImport] | None = getattr(request, "_population_committed", None)
    if cached is None:
        cached = table_reads.committed_imports(request.user, _scope(request))
        request._population_committed = cached  # type: ignore[attr-defined]
    return cached


def _scope(request: HttpRequest) -> PopulationScope:
    """``scope_for(request.user)``, once per request (the view, the selection and the list ask for it)."""
    cached: PopulationScope | None = getattr(request, "_population_scope", None)
    if cached is None:
        cached = scope_for(request.user)
        request._population_scope = cached  # type: ignore[attr-defined]
    return cached


# (level, area, dimension) triples with counts, per committed import. Counts of a committed import are never
# changed (a new extract for the same Stichtag is a new import with its own key), so a worker reads them once.
_AREAS: dict[tuple[str, str], frozenset[tuple[str, str, str]]] = {}
_AREAS_MAX = 16
_areas_lock = threading.Lock()


def _import_areas(register_import: RegisterImport) -> frozenset[tuple[str, str, str]]:
    cache_key = (
        str(register_import.pk),
        register_import.committed_at.isoformat() if register_import.committed_at else "",
    )
    found = _AREAS.get(cache_key)
    if found is None:
        found = frozenset(register_import.counts.values_list("level", "area", "dimension").distinct())
        with _areas_lock:
            if len(_AREAS) >= _AREAS_MAX:
                _AREAS.clear()
            _AREAS[cache_key] = found
    return found


def _areas(imports: list[RegisterImport], stichtag: date, level: str) -> list[str]:
    """``selectors.areas`` over already-read imports: areas of the level with population counts."""
    found: set[str] = set()
    for register_import in imports:
        if register_import.stichtag == stichtag:
            found |= {
                a for lv, a, dimension in _import_areas(register_import) if lv == level and dimension == "bevoelkerung"
            }
    return sorted(found)


def _selection(request: HttpRequest) -> Selection:
    """Read ``stichtag``, ``ebene``, ``gebiet`` from the query string.

    Combinations that do not fit (Ebene Planungsraum with a Gemeinde, an unknown Stichtag) are form errors: the
    page shows the default selection and says what to change. Areas outside the user's scope are 404.
    """
    scope = _scope(request)
    imports = _committed_list(request)
    error = ""
    wanted = request.GET.get("stichtag")
    if wanted:
        try:
            day: date | None = date.fromisoformat(wanted)
        except ValueError:
            day = None
        chosen = [i for i in imports if i.stichtag == day]
        if chosen:
            imports = chosen
        else:
            error = _("Für den Stichtag „%(tag)s“ gibt es keine übernommenen Daten; gezeigt wird der neueste.") % {
                "tag": wanted
            }
    register_import = imports[0] if imports else None
    if register_import is None:
        raise Http404
    if scope.full:
        default_level, default_area = "kreis", register_import.kreis_ags
    else:
        default_level, default_area = "gemeinde", sorted(scope.gemeinden)[0]
    level = request.GET.get("ebene", default_level)
    area = request.GET.get("gebiet", "")
    if level not in ("kreis", "gemeinde", "planungsraum") or (level == "kreis" and not scope.full):
        return Selection(register_import, default_level, default_area, _("Bitte eine gültige Ebene wählen."))
    if level == "kreis":
        if area and area != register_import.kreis_ags:
            # Same answer for every reader: an area that does not fit the level is a form error, never ignored.
            return Selection(
                register_import,
                default_level,
                default_area,
                _(
                    "Ebene „Kreis“ und das gewählte Gebiet passen nicht zusammen. "
                    "Bitte die Ebene „Gemeinde“ oder „Planungsraum“ wählen."
                ),
            )
        return Selection(register_import, level, register_import.kreis_ags, error)
    if not area:
        if level == "gemeinde" and not scope.full:
            area = default_area
        else:
            message = (
                _("Für die Ebene „Gemeinde“ bitte im Feld „Gebiet“ eine Gemeinde wählen.")
                if level == "gemeinde"
                else _("Für die Ebene „Planungsraum“ bitte im Feld „Gebiet“ einen Planungsraum wählen.")
            )
            return Selection(register_import, default_level, default_area, message)
    if level == "planungsraum" and ":" not in area:
        return Selection(
            register_import,
            default_level,
            default_area,
            _(
                "Ebene „Planungsraum“ und das gewählte Gebiet (eine Gemeinde) passen nicht zusammen. "
                "Bitte einen Planungsraum wählen oder die Ebene „Gemeinde“."
            ),
        )
    if level == "gemeinde" and ":" in area:
        return Selection(
            register_import,
            default_level,
            default_area,
            _(
                "Ebene „Gemeinde“ und das gewählte Gebiet (ein Planungsraum) passen nicht zusammen. "
                "Bitte eine Gemeinde wählen oder die Ebene „Planungsraum“."
            ),
        )
    if not scope.allows(level, area):
        raise Http404
    if not any(lv == level and a == area for lv, a, _d in _import_areas(register_import)):
        return Selection(
            register_import,
            default_level,
            default_area,
            _("Für dieses Gebiet gibt es am gewählten Stichtag keine Zahlen."),
        )
    return Selection(register_import, level, area, error)


def _tables(register_import: RegisterImport, level: str, area: str) -> list[PublishedTable]:
    """The stored, jointly protected tables (``publication``); no disclosure computation on request."""
    return stored_tables(register_import, level, area)


def _series(imports: list[RegisterImport], level: str, area: str) -> list[dict[str, Any]]:
    """Population, foreigners and persons with migration background per Stichtag, read from the stored
    decisions (grand total and "Ausländer/innen" row of the migration table, total of the origin table).
    ``imports``: the committed imports the user may read (``_committed_list``)."""
    stored = StoredTable.objects.filter(
        register_import__in=[i.pk for i in imports if i.published_at is not None],
        level=level,
        area=area,
        dimension__in=["migrationshintergrund", "herkunftsregion"],
    ).values_list("register_import__stichtag", "dimension", "categories", "cells")
    result: dict[date, dict[str, Any]] = {}
    for stichtag, dimension, categories, cells in stored:
        entry = result.setdefault(stichtag, {"stichtag": stichtag})
        table = to_table(dimension, categories, cells)
        if dimension == "herkunftsregion":
            entry["mh_cell"] = table.total[-1]
        else:
            entry["total_cell"] = table.total[-1]
            entry["auslaender_cell"] = table.rows[list(categories).index("auslaender")][1][-1]
    series = []
    for stichtag in sorted(result):
        entry = result[stichtag]
        if not {"mh_cell", "total_cell", "auslaender_cell"} <= set(entry):
            continue
        for key in ("total", "auslaender", "mh"):
            entry[key] = entry[f"{key}_cell"].value
        total = entry["total"] if not entry["total_cell"].suppressed else 0
        shown = total and not entry["auslaender_cell"].suppressed and not entry["mh_cell"].suppressed
        entry["share_auslaender"] = entry["auslaender"] / total * 100 if shown else None
        entry["share_mh"] = entry["mh"] / total * 100 if shown else None
        series.append(entry)
    return series


def _bars(table: PublishedTable) -> list[dict[str, Any]]:
    """Bar geometry for a plain SVG chart (suppressed cells get no bar). Numbers are preformatted strings,
    so the German locale never writes a decimal comma into SVG attributes."""
    values = [cells[-1].published for _label, cells in table.rows]
    largest = max([v for v in values if v] or [1])
    bars = []
    for i, ((label, _cells), value) in enumerate(zip(table.rows, values, strict=True)):
        width = (value or 0) / largest * 300
        bars.append(
            {"label": label, "value": value, "width": f"{width:.1f}", "text_x": f"{width + 245:.1f}", "y": i * 26}
        )
    return bars


@dataclass(frozen=True)
class TablesPage:
    """What one tables page body shows: the visible imports, the selection, the reader's scope, the names of
    the Gemeinden (AGS → name) and Planungsräume (area → name), and the Planungsräume the scope lists."""

    imports: list[RegisterImport]
    selection: Selection
    scope: PopulationScope
    gemeinden: dict[str, str]
    names: dict[str, str]
    planungsraeume: list[str]

    def key(self) -> str:
        """Key of the stored body: everything it shows depends on these (never on the user as such).

        The visible imports with their ``published_at`` (the Stichtag list, the series, the pending note; a new
        import or a new disclosure decision changes it), the selection, the scope (which areas the form lists),
        the names of the areas (Gemeinden, Planungsräume can be renamed), language and demo mode.
        """
        selection, scope = self.selection, self.scope
        return fragments.key(
            "population-tables-page",
            get_language(),
            settings.DEMO,
            settings.DISCLOSURE_MIN_COUNT,
            selection.register_import.pk,
            selection.level,
            selection.area,
            selection.error,
            "full" if scope.full else sorted(scope.gemeinden.items()),
            [(i.pk, i.stichtag, i.published_at.isoformat() if i.published_at else "") for i in self.imports],
            hashlib.sha256(repr((sorted(self.gemeinden.items()), sorted(self.names.items()))).encode()).hexdigest(),
        )

    def render(self) -> str:
        imports, selection, scope = self.imports, self.selection, self.scope
        gemeinden, names = self.gemeinden, self.names
        register_import, level, area = selection.register_import, selection.level, selection.area
        # Chart and series need the stored cells; the tables themselves come rendered from the fragment store.
        chart_table = next(
            (
                to_table(row.dimension, row.categories, row.cells)
                for row in StoredTable.objects.filter(
                    register_import=register_import, level=level, area=area, dimension="staatsangehoerigkeitsgruppe"
                )
            ),
            None,
        )
        area_options = {
            "gemeinde": [
                (a, gemeinden.get(a, a))
                for a in _areas(imports, register_import.stichtag, "gemeinde")
                if scope.allows("gemeinde", a)
            ],
            "planungsraum": [(a, _area_label("planungsraum", a, gemeinden, names)) for a in self.planungsraeume],
        }
        context = {
            "imp": register_import,
            "level": level,
            "area": area,
            "area_label": _area_label(level, area, gemeinden, names),
            "tables_slot": mark_safe(tables_html(register_import, level, area)),
            "stichtage": sorted({i.stichtag for i in imports}, reverse=True),
            "area_options": area_options,
            "series": _series(imports, level, area),
            "mark": SUPPRESSED_MARK,
            "k": settings.DISCLOSURE_MIN_COUNT,
            "bars": _bars(chart_table) if chart_table else [],
            "chart_title": chart_table.title if chart_table else "",
            "chart_height": len(chart_table.rows) * 26 if chart_table else 0,
            "pending": register_import.published_at is None,
            "selection_error": selection.error,
            "scope": scope,
            "demo_mode": settings.DEMO,
        }
        return render_to_string("population/_tables_content.html", context)


@staff_required((VIEW_PERMISSION, GEMEINDE_PERMISSION))
def tables(request: HttpRequest) -> HttpResponse:
    """The page body (form, series, chart, tables) is stored HTML keyed by what it shows (``TablesPage.key``);
    only the staff shell (user menu, CSRF token, messages) is rendered per request. The scope check, the
    selection (404 outside the scope) and the audit event run on every request."""
    scope = _scope(request)
    if not scope.any:
        return redirect("population:home")
    selection = _selection(request)
    register_import, level, area = selection.register_import, selection.level, selection.area
    imports = _committed_list(request)
    planungsraeume = [
        a for a in _areas(imports, register_import.stichtag, "planungsraum") if scope.allows("planungsraum", a)
    ]
    named = [*planungsraeume, area] if level == "planungsraum" else planungsraeume
    gemeinden, names = _area_names(register_import.kreis_ags, named)
    record(
        Action.READ,
        actor=request.user,
        organisation=register_import.owner,
        obj=register_import,
        purpose="Bevölkerungstabellen",
        extra={"level": level, "area": area},
    )
    page = TablesPage(imports, selection, scope, gemeinden, names, planungsraeume)
    _title, content = fragments.get_or_build(page.key(), lambda: ("", page.render()))
    return render(
        request,
        "population/tables.html",
        {
            "content": mark_safe(content),
            "imp": register_import,
            "level": level,
            "area": area,
            "selection_error": selection.error,
        },
    )


@staff_required((VIEW_PERMISSION, GEMEINDE_PERMISSION))
def export(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt not in ("csv", "xlsx"):
        raise Http404
    selection = _selection(request)
    if selection.error:
        raise Http404
    register_import, level, area = selection.register_import, selection.level, selection.area
    gemeinden = dict(Gemeinde.objects.filter(kreis_id=register_import.kreis_ags).values_list("ags", "name"))
    published = _tables(register_import, level, area)
    label = _area_label(level, area, gemeinden)
    note = _(
        "%(mark)s = gesperrt (weniger als %(k)s Personen oder zum Schutz gesperrter Zellen). "
        "Quelle: Melderegister, Stichtag %(tag)s; synthetische Daten, falls Demo."
    ) % {
        "mark": SUPPRESSED_MARK,
        "k": settings.DISCLOSURE_MIN_COUNT,
        "tag": register_import.stichtag.strftime("%d.%m.%Y"),
    }
    filename = f"bevoelkerung_{area.replace(':', '_')}_{register_import.stichtag}"
    with transaction.atomic():
        record(
            Action.EXPORT,
            actor=request.user,
            organisation=register_import.owner,
            obj=register_import,
            purpose="Export Bevölkerungstabellen",
            extra={"level": level, "area": area, "format": fmt},
        )
    if fmt == "csv":
        rows: list[list[Any]] = []
        for table in published:
            rows += [[], [table.title], *table.flat()]
        heading = f"{label}, Stichtag {register_import.stichtag:%d.%m.%Y}"
        return csv_response(filename, [heading], rows, note=note)
    sheets = [
        Sheet(
            f"{index:02d} {table.dimension}",
            [f"{table.title} – {label}, Stichtag {register_import.stichtag:%d.%m.%Y}"],
            [[table.definition], *table.flat()],
            note=note,
        )
        for index, table in enumerate(published, start=1)
    ]
    return xlsx_response(filename, sheets)


@staff_required(VIEW_PERMISSION)
def comparison(request: HttpRequest) -> HttpResponse:
    register_import = _selection(request).register_import
    k = settings.DISCLOSURE_MIN_COUNT
    tolerance = settings.TEILHABE_POPULATION_TOLERANCE_PP
    totals: dict[str, list[Any]] = {}
    stored = StoredTable.objects.filter(
        register_import=register_import, level="gemeinde", dimension="migrationshintergrund"
    ).values_list("area", "categories", "cells")
    for ags, categories, cells in stored:
        table = to_table("migrationshintergrund", categories, cells)
        totals[ags] = [table.total[-1].value, table.rows[list(categories).index("auslaender")][1][-1]]
    zensus = {
        (ags, indicator): value
        for ags, indicator, value in ReferenceValue.objects.filter(
            source="zensus2022",
            level="gemeinde",
            ags__in=list(totals),
            indicator__in=["share_foreign", "population"],
        ).values_list("ags", "indicator", "value")
    }
    names = dict(Gemeinde.objects.filter(ags__in=list(totals)).values_list("ags", "name"))
    result = []
    for ags, (population, cell) in sorted(totals.items(), key=lambda item: names.get(item[0], item[0])):
        share = cell.value / population * 100 if population and not cell.suppressed else None
        reference = zensus.get((ags, "share_foreign"))
        difference = share - reference if share is not None and reference is not None else None
        result.append(
            {
                "ags": ags,
                "name": names.get(ags, ags),
                "population": population,
                "foreigners": cell,
                "share": share,
                "zensus": reference,
                "zensus_population": zensus.get((ags, "population")),
                "difference": difference,
                "flagged": difference is not None and abs(difference) > tolerance,
            }
        )
    record(
        Action.READ,
        actor=request.user,
        organisation=register_import.owner,
        obj=register_import,
        purpose="Vergleich mit Zensus 2022",
    )
    return render(
        request,
        "population/comparison.html",
        {
            "imp": register_import,
            "rows": result,
            "tolerance": tolerance,
            "mark": SUPPRESSED_MARK,
            "k": k,
            "flagged": sum(1 for r in result if r["flagged"]),
            "stichtage": sorted({i.stichtag for i in _committed_list(request)}, reverse=True),
        },
    )
