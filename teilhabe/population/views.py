"""Staff pages of the register import: upload → dry-run report (failed rows) → commit or discard.

Only ``population.import`` (Kommunalstatistik) sees check reports and failed rows (microdata); the tables pages
are in ``table_views``. Every view is audited.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from teilhabe.accounts.access import has_permission, staff_required
from teilhabe.audit.services import Action, record
from teilhabe.lib.exports import csv_response
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
from teilhabe.regions.models import Gemeinde


def _get_import_for_user(request: HttpRequest, pk: str) -> RegisterImport:
    try:
        key = uuid.UUID(pk)
    except ValueError as error:
        raise Http404 from error
    register_import = RegisterImport.objects.visible_to(request.user, IMPORT_PERMISSION).filter(pk=key).first()
    if register_import is None:
        raise Http404
    return register_import


@staff_required((VIEW_PERMISSION, GEMEINDE_PERMISSION))
def home(request: HttpRequest) -> HttpResponse:
    can_import = has_permission(request.user, IMPORT_PERMISSION)
    return render(request, "population/home.html", _home_context(request, UploadForm() if can_import else None))


def _home_context(request: HttpRequest, form: UploadForm | None) -> dict[str, object]:
    """The overview page's context; ``form`` the upload form (a bound one with its errors after a failed upload)."""
    scope = scope_for(request.user)
    can_import = has_permission(request.user, IMPORT_PERMISSION)
    checks = []
    if can_import:
        checks = list(
            RegisterImport.objects.visible_to(request.user, IMPORT_PERMISSION)
            .exclude(status=RegisterImport.Status.COMMITTED)
            .order_by("-created_at")[:10]
        )
    return {
        "committed": selectors.committed_imports(scope.imports(request.user)),
        "checks": checks,
        "can_import": can_import,
        "form": form,
        "scope": scope,
        "own_gemeinden": _own_gemeinden(scope),
        "can_release": has_permission(request.user, RELEASE_PERMISSION),
        # the comparison lists every Gemeinde of the Kreis: not for a Gemeinde that sees only its own
        "can_compare": has_permission(request.user, VIEW_PERMISSION),
    }


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
        return render(request, "population/home.html", _home_context(request, form), status=400)
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
