"""Staff pages: upload → dry-run report → commit; protected tables, exports, Zensus comparison.

Only ``population.import`` (Kommunalstatistik) sees check reports and failed rows (microdata);
``population.view`` sees disclosure-protected tables only. Every view and export is audited.
"""

from __future__ import annotations

import hashlib
import threading
import uuid
from datetime import date
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.db.models import Value
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from teilhabe.accounts.access import has_permission, staff_required
from teilhabe.audit.services import Action, record
from teilhabe.core import fragments
from teilhabe.lib.disclosure import SUPPRESSED_MARK
from teilhabe.lib.exports import Sheet, csv_response, xlsx_response
from teilhabe.population import selectors, services
from teilhabe.population.access import PopulationScope, scope_for
from teilhabe.population.forms import UploadForm
from teilhabe.population.importer import MESSAGES, extract_preview, read_extract, validate
from teilhabe.population.models import (
    GEMEINDE_PERMISSION,
    IMPORT_PERMISSION,
    RELEASE_PERMISSION,
    VIEW_PERMISSION,
    RegisterImport,
)
from teilhabe.population.models import PublishedTable as StoredTable
from teilhabe.population.publication import stored_tables, to_table
from teilhabe.population.table_pages import tables_html
from teilhabe.population.tables import PublishedTable
from teilhabe.regions.models import Gemeinde, Planungsraum, ReferenceValue


def _get_import_for_user(request: HttpRequest, pk: str) -> RegisterImport:
    try:
        key = uuid.UUID(pk)
    except ValueError as error:
        raise Http404 from error
    register_import = RegisterImport.objects.visible_to(request.user, IMPORT_PERMISSION).filter(pk=key).first()
    if register_import is None:
        raise Http404
    return register_import


def _visible_imports(request: HttpRequest) -> Any:
    return scope_for(request.user).imports(request.user)


@staff_required((VIEW_PERMISSION, GEMEINDE_PERMISSION))
def home(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    visible = scope.imports(request.user)
    can_import = has_permission(request.user, IMPORT_PERMISSION)
    checks = []
    if can_import:
        checks = list(
            RegisterImport.objects.visible_to(request.user, IMPORT_PERMISSION)
            .exclude(status=RegisterImport.Status.COMMITTED)
            .order_by("-created_at")[:10]
        )
    return render(
        request,
        "population/home.html",
        {
            "committed": selectors.committed_imports(visible),
            "checks": checks,
            "can_import": can_import,
            "form": UploadForm() if can_import else None,
            "scope": scope,
            "own_gemeinden": _own_gemeinden(scope),
            "can_release": has_permission(request.user, RELEASE_PERMISSION),
            # the comparison lists every Gemeinde of the Kreis: not for a Gemeinde that sees only its own
            "can_compare": has_permission(request.user, VIEW_PERMISSION),
        },
    )


def _own_gemeinden(scope: PopulationScope) -> list[tuple[str, str]]:
    if scope.full:
        return []
    names = dict(Gemeinde.objects.filter(ags__in=scope.gemeinden).values_list("ags", "name"))
    return sorted(((ags, names.get(ags, ags)) for ags in scope.gemeinden), key=lambda item: item[1])


@staff_required(IMPORT_PERMISSION)
@require_POST
def upload(request: HttpRequest) -> HttpResponse:
    form = UploadForm(request.POST, request.FILES)
    owner = form.owner_for(request.user)
    if not form.is_valid() or owner is None:
        if owner is None:
            form.add_error(None, _("Sie gehören keiner Organisation mit Importrecht an."))
        return render(
            request,
            "population/home.html",
            {
                "committed": selectors.committed_imports(_visible_imports(request)),
                "checks": [],
                "can_import": True,
                "form": form,
            },
            status=400,
        )
    upload_file = form.cleaned_data["datei"]
    register_import = services.register_import_check(
        acting_user=request.user,
        owner=owner,
        data=upload_file.read(),
        filename=upload_file.name,
        stichtag=form.cleaned_data["stichtag"],
    )
    return redirect("population:report", pk=register_import.pk)


@staff_required(IMPORT_PERMISSION)
def report(request: HttpRequest, pk: str) -> HttpResponse:
    register_import = _get_import_for_user(request, pk)
    problems = [
        {
            "row": row,
            "column": column,
            "code": code,
            "severity": MESSAGES[code][0],
            "message": " ".join(filter(None, [MESSAGES[code][1].format(column=column), *detail])),
        }
        for row, column, code, *detail in register_import.problems[:500]
    ]
    summary = sorted(
        (
            (code, MESSAGES[code][0], MESSAGES[code][1].format(column="…"), count)
            for code, count in register_import.problem_counts.items()
        ),
        key=lambda item: item[0],
    )
    existing = RegisterImport.objects.filter(
        owner=register_import.owner,
        stichtag=register_import.stichtag,
        kreis_ags=register_import.kreis_ags,
        status=RegisterImport.Status.COMMITTED,
    ).exclude(pk=register_import.pk)
    record(
        Action.READ,
        actor=request.user,
        organisation=register_import.owner,
        obj=register_import,
        purpose="Prüfbericht Melderegister-Import",
    )
    staged = services.staged_data(register_import)
    shown = None
    if staged is not None and register_import.status == RegisterImport.Status.CHECKED:
        shown = extract_preview(
            staged,
            register_import.original_filename,
            encoding=register_import.encoding,
            rows_total=register_import.rows_total,
        )
    return render(
        request,
        "population/report.html",
        {
            "imp": register_import,
            "problems": problems,
            "summary": summary,
            "replaces": existing.first(),
            "staged": staged is not None,
            "preview": shown,
        },
    )


@staff_required(IMPORT_PERMISSION)
def failed_rows(request: HttpRequest, pk: str) -> HttpResponse:
    """The rows with errors, as in the upload, plus a column ``fehler`` (microdata: import role only)."""
    register_import = _get_import_for_user(request, pk)
    data = services.staged_data(register_import)
    if data is None:
        raise Http404
    read = read_extract(data, register_import.original_filename)
    result = validate(
        read,
        register_import.stichtag,
        services.district_gemeinden(register_import.kreis_ags),
        limit=10**7,
        planungsraeume=services.district_planungsraeume(register_import.kreis_ags),
    )
    by_row: dict[int, list[str]] = {}
    for problem in result.problems:
        if problem.severity == "error":
            by_row.setdefault(problem.row, []).append(f"{problem.code} ({problem.column or '–'}): {problem.message}")
    header: list[str] = ["zeile", "fehler"]
    table: list[list[Any]] = []
    if read.table is not None:
        names = [n for n in read.table.column_names if n != "zeile"]
        header = ["zeile", *names, "fehler"]
        wanted = set(by_row)
        columns = {n: read.table.column(n).to_pylist() for n in [*names, "zeile"]}
        for index, line in enumerate(columns["zeile"]):
            if line in wanted:
                table.append([line, *[columns[n][index] for n in names], " | ".join(by_row[line])])
    with transaction.atomic():
        record(
            Action.EXPORT,
            actor=request.user,
            organisation=register_import.owner,
            obj=register_import,
            purpose="Fehlerhafte Zeilen eines Melderegister-Imports",
            extra={"rows": len(by_row)},
        )
    # Uploaded cells are echoed: the one export writer neutralises formulas in them.
    return csv_response(f"fehlerhafte_zeilen_{register_import.stichtag}", header, table)


@staff_required(IMPORT_PERMISSION)
@require_POST
def commit(request: HttpRequest, pk: str) -> HttpResponse:
    register_import = _get_import_for_user(request, pk)
    valid_rows_only = request.POST.get("nur_fehlerfreie") == "1"
    try:
        services.register_import_commit(
            acting_user=request.user, register_import=register_import, valid_rows_only=valid_rows_only
        )
    except services.ImportRejected as error:
        messages.error(request, str(error))
        return redirect("population:report", pk=register_import.pk)
    messages.success(
        request,
        _("Der Auszug zum Stichtag %(tag)s wurde übernommen.") % {"tag": register_import.stichtag.strftime("%d.%m.%Y")},
    )
    return redirect("population:home")


@staff_required(IMPORT_PERMISSION)
@require_POST
def discard(request: HttpRequest, pk: str) -> HttpResponse:
    register_import = _get_import_for_user(request, pk)
    try:
        services.register_import_discard(acting_user=request.user, register_import=register_import)
    except services.ImportRejected as error:
        messages.error(request, str(error))
        return redirect("population:report", pk=register_import.pk)
    messages.success(request, _("Der geprüfte Auszug wurde verworfen."))
    return redirect("population:home")


# -------------------------------------------------------------------------------------------- tables


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
    gemeinde_rows = (
        Gemeinde.objects.filter(kreis_id=kreis_ags)
        .order_by()
        .annotate(kind=Value("g"), code=Value(""))
        .values_list("kind", "ags", "code", "name")
    )
    ags = {a.partition(":")[0] for a in planungsraeume}
    planungsraum_rows = (
        Planungsraum.objects.filter(gemeinde_id__in=ags)
        .order_by()
        .annotate(kind=Value("p"))
        .values_list("kind", "gemeinde_id", "code", "name")
    )
    gemeinden: dict[str, str] = {}
    names: dict[str, str] = {}
    for kind, gemeinde, code, name in gemeinde_rows.union(planungsraum_rows, all=True) if ags else gemeinde_rows:
        if kind == "g":
            gemeinden[gemeinde] = name
        else:
            names[f"{gemeinde}:{code}"] = name
    return gemeinden, names


class Selection:
    """The Stichtag, level and area a table page shows, and a German message if the request had to be corrected."""

    def __init__(self, register_import: RegisterImport, level: str, area: str, error: str = "") -> None:
        self.register_import, self.level, self.area, self.error = register_import, level, area, error


# The fields of RegisterImport the table pages read (never the large JSON: check report, disclosure record);
# of the owner only what the audit event copies.
_LIST_FIELDS = ("id", "owner", "kreis_ags", "stichtag", "status", "committed_at", "published_at", "created_at")


def _committed_list(request: HttpRequest) -> list[RegisterImport]:
    """The committed imports the user may read, newest Stichtag first, with their owner; one query per request
    (the selection, the Stichtag list, the series and the audit event all read this list)."""
    cached: list[RegisterImport] | None = getattr(request, "_population_committed", None)
    if cached is None:
        cached = list(
            selectors.committed_imports(_visible_imports(request))
            .select_related("owner")
            .only(*_LIST_FIELDS, "owner__id", "owner__name")
        )
        request._population_committed = cached  # type: ignore[attr-defined]
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
    scope = scope_for(request.user)
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


def _content_key(
    imports: list[RegisterImport],
    selection: Selection,
    scope: PopulationScope,
    gemeinden: dict[str, str],
    names: dict[str, str],
) -> str:
    """Key of a stored tables page body: everything it shows depends on these (never on the user as such).

    The visible imports with their ``published_at`` (the Stichtag list, the series, the pending note; a new
    import or a new disclosure decision changes it), the selection, the scope (which areas the form lists),
    the names of the areas (Gemeinden, Planungsräume can be renamed), language and demo mode.
    """
    register_import = selection.register_import
    return fragments.key(
        "population-tables-page",
        get_language(),
        settings.DEMO,
        settings.DISCLOSURE_MIN_COUNT,
        register_import.pk,
        selection.level,
        selection.area,
        selection.error,
        "full" if scope.full else sorted(scope.gemeinden.items()),
        [(i.pk, i.stichtag, i.published_at.isoformat() if i.published_at else "") for i in imports],
        hashlib.sha256(repr((sorted(gemeinden.items()), sorted(names.items()))).encode()).hexdigest(),
    )


def _tables_content(
    imports: list[RegisterImport],
    selection: Selection,
    scope: PopulationScope,
    gemeinden: dict[str, str],
    names: dict[str, str],
    planungsraeume: list[str],
) -> str:
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
        "planungsraum": [(a, _area_label("planungsraum", a, gemeinden, names)) for a in planungsraeume],
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
    """The page body (form, series, chart, tables) is stored HTML keyed by what it shows (``_content_key``);
    only the staff shell (user menu, CSRF token, messages) is rendered per request. The scope check, the
    selection (404 outside the scope) and the audit event run on every request."""
    scope = scope_for(request.user)
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
    _title, content = fragments.get_or_build(
        _content_key(imports, selection, scope, gemeinden, names),
        lambda: ("", _tables_content(imports, selection, scope, gemeinden, names, planungsraeume)),
    )
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
