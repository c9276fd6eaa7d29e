"""Import of offer lists (file upload, preview, commit, failed rows as CSV)."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from teilhabe.accounts.access import organisation_ids_with, staff_required
from teilhabe.accounts.models import Organisation
from teilhabe.directory import services
from teilhabe.directory.forms import OfferImportForm
from teilhabe.directory.models import OfferImport
from teilhabe.directory.staff_views.common import MODERATE, actor
from teilhabe.lib.exports import csv_response
from teilhabe.lib.import_preview import Preview


def _import_owners(user: Any) -> Any:
    """Imported offers belong to the importing user's own organisation(s), never to another one."""
    return Organisation.objects.filter(pk__in=organisation_ids_with(user, MODERATE), is_active=True).order_by("name")


def _get_import_for_user(request: HttpRequest, pk: int) -> OfferImport:
    run = OfferImport.objects.visible_to(request.user).select_related("owner").filter(pk=pk).first()
    if run is None:
        raise Http404
    return cast(OfferImport, run)


@staff_required(MODERATE)
def offer_import(request: HttpRequest) -> HttpResponse:
    form = OfferImportForm(request.POST or None, request.FILES or None, owners=_import_owners(request.user))
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        run = services.offer_import_check(
            acting_user=actor(request),
            owner=form.cleaned_data["owner"],
            data=upload.read(),
            file_name=upload.name or "",
            publish=form.cleaned_data["publish"],
        )
        return redirect("directory_staff:offer_import_run", run.pk)
    runs = OfferImport.objects.visible_to(request.user).select_related("owner")[:20]
    return render(request, "directory/staff/offer_import.html", {"form": form, "runs": runs})


@staff_required(MODERATE)
def offer_import_run(request: HttpRequest, pk: int) -> HttpResponse:
    run = _get_import_for_user(request, pk)
    if request.method == "POST":
        try:
            offers = services.offer_import_commit(acting_user=actor(request), run=run)
        except services.ImportRejected as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("%(n)d Angebote übernommen.") % {"n": len(offers)})
        return redirect("directory_staff:offer_import_run", run.pk)
    failed_rows = len({p["row"] for p in run.problems if p["row"]})
    return render(
        request,
        "directory/staff/offer_import_run.html",
        {
            "run": run,
            "failed_rows": failed_rows,
            "row_count": len(run.rows),
            "preview": Preview.from_dict(run.preview) if run.status != "committed" else None,
        },
    )


@staff_required(MODERATE)
def offer_import_failed_csv(request: HttpRequest, pk: int) -> HttpResponse:
    """The rows with problems, in the file's columns plus a 'fehler' column, to fix and upload again."""
    from teilhabe.directory.importer import COLUMNS

    run = _get_import_for_user(request, pk)
    errors: dict[int, list[str]] = {}
    for p in run.problems:
        text = f"{p['column']}: {p['message']} [{p['code']}]" if p["column"] else f"{p['message']} [{p['code']}]"
        errors.setdefault(p["row"], []).append(text)
    table: list[list[Any]] = []
    for raw in run.rows:
        row_errors = errors.get(int(raw["_row"]))
        if row_errors:
            table.append([raw["_row"], *[raw.get(c, "") for c in COLUMNS], " | ".join(row_errors)])
    table += [[None, *[None for _c in COLUMNS], text] for text in errors.get(0, [])]
    # Uploaded cells are echoed: the writer neutralises formulas in them.
    response = csv_response(f"import-{run.pk}-fehler", ["zeile", *COLUMNS, "fehler"], table)
    return response
