"""Bulk import of an agency's existing case list (issue 11 item 5), CSV or XLSX via ``lib.tabular``.

Every row is validated and checked against the organisation's own cases and the earlier rows of the same
file. A dry run shows the result per row; the commit creates all rows in one transaction or none (any row
error blocks it). Possible duplicates are created as new cases *and* put into the review queue — nothing
is merged automatically.

Columns (header names, case-insensitive; German or the benchmark's English names):
Aktenzeichen/reference, Familienname/family_name, Vornamen/given_name, Familienname Umschrift,
Vornamen Umschrift, Geburtsdatum/birth_date (TT.MM.JJJJ, ISO, 00.00.JJJJ or JJJJ), Geschlecht/sex,
Staatsangehörigkeit/nationality (Destatis key), Kennung/agency_id, AZR-Nummer/azr (only with AZR
authorisation).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from teilhabe.accounts.access import AnyUser, has_permission, staff_required
from teilhabe.accounts.models import Organisation
from teilhabe.audit.services import record
from teilhabe.lib.import_preview import Field, Preview, preview
from teilhabe.lib.names import PLACEHOLDER_DAYS, parse_birth
from teilhabe.lib.tabular import read
from teilhabe.lib.uploads import UploadRefused, check_upload
from teilhabe.linkage.forms import ImportForm
from teilhabe.linkage.models import ExternalId
from teilhabe.linkage.services import Identity, _store_pair, reason_text, score, similar_cases

MAX_ROWS = 20_000
COLUMNS = {
    "reference": ("aktenzeichen", "reference", "az"),
    "family_name": ("familienname", "family_name", "nachname", "name"),
    "given_names": ("vornamen", "vorname", "given_name", "given_names"),
    "family_name_latin": ("familienname umschrift", "familienname (umschrift)", "family_name_latin"),
    "given_names_latin": ("vornamen umschrift", "vornamen (umschrift)", "given_names_latin"),
    "birth_date": ("geburtsdatum", "birth_date", "geboren"),
    "sex": ("geschlecht", "sex"),
    "nationality": ("staatsangehörigkeit", "staatsangehoerigkeit", "nationality"),
    "agency_id": ("kennung", "agency_id", "kundennummer"),
    "azr": ("azr-nummer", "azr", "azr_nummer"),
}
_LABELS = {
    "reference": ("Aktenzeichen", "code"),
    "family_name": ("Familienname", "text"),
    "given_names": ("Vornamen", "text"),
    "family_name_latin": ("Familienname (Umschrift)", "text"),
    "given_names_latin": ("Vornamen (Umschrift)", "text"),
    "birth_date": ("Geburtsdatum", "date"),
    "sex": ("Geschlecht", "text"),
    "nationality": ("Staatsangehörigkeit (Schlüssel)", "code"),
    "agency_id": ("Kennung", "code"),
    "azr": ("AZR-Nummer", "code"),
}
PREVIEW_FIELDS = tuple(
    Field(key, _LABELS[key][0], aliases, _LABELS[key][1], key == "family_name") for key, aliases in COLUMNS.items()
)
SEX = {"m": "m", "männlich": "m", "maennlich": "m", "w": "w", "f": "w", "weiblich": "w", "d": "d", "divers": "d"}


@dataclass
class Row:
    number: int
    data: dict[str, Any] = field(default_factory=dict)
    agency_id: str = ""
    errors: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)  # own references or "Zeile n", with reason
    duplicate_ids: list[tuple[int, float, list[str]]] = field(default_factory=list)


def _valid_date(year: int, month: int, day: int) -> bool:
    from datetime import date

    try:
        date(year, month, day)
    except ValueError:
        return False
    return True


def _header_map(header: list[Any]) -> dict[str, int]:
    names = [str(h or "").strip().lower() for h in header]
    found = {}
    for key, aliases in COLUMNS.items():
        for index, name in enumerate(names):
            if name in aliases:
                found[key] = index
                break
    return found


def parse_rows(table: list[list[Any]], *, with_azr: bool) -> tuple[list[Row], list[str]]:
    """Rows with cleaned data and German errors; file-level errors separately."""
    from teilhabe.registry.nationalities import state_names

    if not table:
        return [], [_("Die Datei ist leer (linkage.import_empty).")]
    columns = _header_map(table[0])
    if "family_name" not in columns:
        return [], [_("Spalte „Familienname“ fehlt in der ersten Zeile (linkage.import_no_name_column).")]
    if len(table) - 1 > MAX_ROWS:
        return [], [_("Höchstens %(n)d Zeilen je Datei (linkage.import_too_many).") % {"n": MAX_ROWS}]
    known_states = state_names()
    rows = []
    for number, cells in enumerate(table[1:], start=2):

        def cell(key: str, cells: list[Any] = cells) -> str:
            index = columns.get(key)
            return str(cells[index]).strip() if index is not None and index < len(cells) and cells[index] else ""

        if not any(str(c or "").strip() for c in cells):
            continue
        row = Row(number)
        row.data = {
            "reference": cell("reference")[:40],
            "family_name": cell("family_name")[:150],
            "given_names": cell("given_names")[:150],
            "family_name_latin": cell("family_name_latin")[:150],
            "given_names_latin": cell("given_names_latin")[:150],
        }
        if not row.data["family_name"]:
            row.errors.append(_("Familienname fehlt."))
        raw_birth = cell("birth_date").split(" ")[0]
        if raw_birth:
            birth = parse_birth(raw_birth)
            if birth.year and birth.month and birth.day and not _valid_date(birth.year, birth.month, birth.day):
                row.errors.append(_("Das Geburtsdatum „%(v)s“ gibt es nicht.") % {"v": raw_birth})
            elif birth.year is None:
                row.errors.append(
                    _("Geburtsdatum „%(v)s“ nicht lesbar (TT.MM.JJJJ, 00.00.JJJJ oder JJJJ).") % {"v": raw_birth}
                )
            else:
                row.data.update(
                    birth_year=birth.year,
                    birth_month=birth.month,
                    birth_day=birth.day if birth.month else None,
                    birth_date_is_placeholder=birth.month is None or (birth.month, birth.day) in PLACEHOLDER_DAYS,
                )
        sex = cell("sex").lower()
        if sex:
            if sex not in SEX:
                row.errors.append(_("Geschlecht „%(v)s“ unbekannt (m, w, d).") % {"v": sex})
            else:
                row.data["sex"] = SEX[sex]
        nationality = cell("nationality")
        if nationality:
            code = nationality.split(".")[0].zfill(3)
            if code not in known_states:
                row.errors.append(_("Staatsangehörigkeit „%(v)s“ ist kein Destatis-Schlüssel.") % {"v": nationality})
            else:
                row.data["nationalities"] = [code]
        azr = cell("azr").replace(" ", "")
        if azr:
            if not with_azr:
                row.errors.append(_("AZR-Nummer angegeben, aber Sie sind nicht zur AZR-Einsicht ermächtigt."))
            elif not (azr.isdigit() and len(azr) == 12):
                row.errors.append(_("AZR-Nummer muss 12 Ziffern haben."))
            else:
                row.data["azr_number"] = azr
        row.agency_id = cell("agency_id")[:80]
        rows.append(row)
    return rows, []


def check_duplicates(rows: list[Row], organisation: Organisation) -> None:
    """Per row: similar own cases (search keys) and similar earlier rows of the same file."""
    identities: list[tuple[Row, Identity]] = []
    for row in rows:
        if row.errors:
            continue
        identity = _identity(row.data)
        for case in similar_cases(organisation, identity)[:3]:
            row.duplicates.append(f"{case.display_reference} ({case.match_reason})")
            row.duplicate_ids.append((case.pk, case.match_probability, score(identity, Identity.of_case(case))[1]))
        for earlier, other in identities:
            value, reasons = score(identity, other)
            if value >= 0.5:
                row.duplicates.append(_("Zeile %(n)d (%(r)s)") % {"n": earlier.number, "r": reason_text(reasons)})
        identities.append((row, identity))


def _identity(data: dict[str, Any]) -> Identity:
    return Identity(
        data.get("family_name", ""),
        data.get("given_names", ""),
        data.get("family_name_latin", ""),
        data.get("given_names_latin", ""),
        data.get("birth_year"),
        data.get("birth_month"),
        data.get("birth_day"),
        bool(data.get("birth_date_is_placeholder")),
        data.get("sex", ""),
        tuple(data.get("nationalities", ())),
    )


@transaction.atomic
def commit(*, acting_user: AnyUser, organisation: Organisation, rows: list[Row], legal_basis: str) -> int:
    """Create every row or none. Possible duplicates of own cases go into the review queue."""
    from teilhabe.linkage.keys import reindex
    from teilhabe.registry import services as registry_services

    if any(row.errors for row in rows):
        raise ValidationError(_("Die Datei enthält fehlerhafte Zeilen; es wurde nichts übernommen."))
    created = 0
    for row in rows:
        case = registry_services.case_create(
            acting_user=acting_user, owner=organisation, data={**row.data, "legal_basis": legal_basis}
        )
        if row.agency_id:
            ExternalId.objects.create(case=case, scheme=_("Kennung (Import)"), value=row.agency_id)
            reindex(case)
        for other_id, probability, reasons in row.duplicate_ids:
            _store_pair(organisation, case.pk, other_id, probability, "score", reasons)
        created += 1
    # Rows that duplicate each other inside the file reach the review queue through the normal run.
    from teilhabe.linkage.services import run_duplicates

    run_duplicates(acting_user=acting_user, organisation=organisation, only_new=True)
    record(
        "linkage.import",
        actor=acting_user,
        organisation=organisation,
        extra={"rows": created, "possible_duplicates": sum(1 for r in rows if r.duplicates)},
    )
    return created


def _read_upload(data: bytes, name: str) -> tuple[list[list[Any]], list[str], Preview | None]:
    """Upload guard, shared reader and preview: ``(table incl. header, file errors, preview)``."""
    try:
        check_upload(data, name, "cases")
    except UploadRefused as refused:
        return [], [str(refused)], None
    read_result = read(data, name)
    if read_result.problems:
        errors = [_("Die Datei konnte nicht gelesen werden (CSV oder XLSX erwartet).")]
        return [], errors + [p.message for p in read_result.problems[:20]], None
    return [cells for _line, cells in read_result.rows], [], preview(read_result, PREVIEW_FIELDS)


@staff_required("case.write")
def import_view(request: HttpRequest) -> HttpResponse:
    from teilhabe.registry.access import can_read_azr, writable_groups

    organisations = [
        org
        for org in Organisation.objects.filter(memberships__user_id=request.user.pk or 0, memberships__is_active=True)
        if "identitaet" in writable_groups(request.user, org)
    ]
    if not organisations:
        raise Http404
    organisation = organisations[0]
    form = ImportForm(request.POST or None, request.FILES or None)
    rows: list[Row] = []
    file_errors: list[str] = []
    shown: Preview | None = None
    status = 200
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        table, file_errors, shown = _read_upload(upload.read(), upload.name or "")
        if not file_errors:
            rows, file_errors = parse_rows(table, with_azr=can_read_azr(request.user, organisation))
        if not file_errors:
            check_duplicates(rows, organisation)
            record(
                "linkage.import_check",
                actor=request.user,
                organisation=organisation,
                extra={"rows": len(rows), "errors": sum(1 for r in rows if r.errors)},
            )
        if form.cleaned_data["commit"] and not file_errors:
            try:
                if not has_permission(request.user, "case.write", organisation):
                    raise PermissionDenied
                created = commit(
                    acting_user=request.user,
                    organisation=organisation,
                    rows=rows,
                    legal_basis=form.cleaned_data["legal_basis"],
                )
            except ValidationError as error:
                file_errors = list(error.messages)
            else:
                messages.success(request, _("%(n)d Akten übernommen.") % {"n": created})
        if file_errors or any(r.errors for r in rows):
            status = 400
    return render(
        request,
        "linkage/import.html",
        {"form": form, "rows": rows, "file_errors": file_errors, "organisation": organisation, "preview": shown},
        status=status,
    )
