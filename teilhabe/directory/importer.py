"""Read offer lists (CSV with ``;``/``,`` in UTF-8/Windows-1252, or XLSX) and check every row with the
same ``OfferForm`` the edit page uses. Nothing is written here; see ``services.offer_import_*``.

Every problem carries row (1-based line incl. header), column, a stable code and a German message.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from teilhabe.accounts.models import Organisation
from teilhabe.directory.forms import OfferForm, kreis_gemeinden
from teilhabe.directory.models import SPOKEN_LANGUAGES, OfferType, Status, TargetGroup
from teilhabe.indicators.importer import Problem
from teilhabe.lib.import_preview import Field, Preview, preview
from teilhabe.lib.tabular import read, suggest
from teilhabe.lib.uploads import UploadRefused, check_upload

MAX_ROWS = 5_000
# Canonical column name → accepted headings (lower case).
COLUMNS: dict[str, tuple[str, ...]] = {
    "titel": ("titel", "title", "name", "angebot"),
    "beschreibung": ("beschreibung", "description", "text"),
    "art": ("art", "typ", "type", "angebotsart"),
    "gemeinde": ("gemeinde", "ags", "ort"),
    "adresse": ("adresse", "address", "anschrift"),
    "sprachen": ("sprachen", "languages", "sprache"),
    "zielgruppen": ("zielgruppen", "target_groups", "zielgruppe"),
    "kosten": ("kosten", "cost", "kostenlos", "free"),
    "kontakt": ("kontakt", "contact"),
    "internetseite": ("internetseite", "website", "webseite", "url"),
}
REQUIRED = ("titel", "beschreibung", "art")
_LABELS = {
    "titel": "Titel",
    "beschreibung": "Beschreibung",
    "art": "Art des Angebots",
    "gemeinde": "Gemeinde (Name oder AGS)",
    "adresse": "Adresse",
    "sprachen": "Sprachen",
    "zielgruppen": "Zielgruppen",
    "kosten": "Kosten",
    "kontakt": "Kontakt",
    "internetseite": "Internetseite",
}
PREVIEW_FIELDS = tuple(Field(n, _LABELS[n], aliases, required=n in REQUIRED) for n, aliases in COLUMNS.items())
# Form field → file column, so form errors point at the column the user filled in.
FIELD_COLUMN = {
    "title": "titel",
    "description": "beschreibung",
    "offer_type": "art",
    "gemeinde": "gemeinde",
    "languages": "sprachen",
    "target_groups": "zielgruppen",
    "is_free": "kosten",
    "cost_note": "kosten",
    "contact_email": "kontakt",
    "contact_phone": "kontakt",
    "website": "internetseite",
}
FREE_WORDS = {"kostenlos", "kostenfrei", "frei", "gratis", "0", "0,00", "0 €", "free", "ja"}
GERMAN_LANGUAGE_NAMES = {
    "deutsch": "de",
    "englisch": "en",
    "arabisch": "ar",
    "ukrainisch": "uk",
    "russisch": "ru",
    "türkisch": "tr",
    "persisch": "fa",
    "farsi": "fa",
    "dari": "fa",
    "paschtu": "ps",
    "kurdisch": "ku",
    "tigrinya": "ti",
    "somali": "so",
    "französisch": "fr",
    "polnisch": "pl",
    "rumänisch": "ro",
    "vietnamesisch": "vi",
    "albanisch": "sq",
}
ADDRESS = re.compile(r"^(?P<street>.+?),\s*(?P<postcode>\d{5})\s+(?P<city>.+)$")
SPLIT = re.compile(r"\s*[,/|;]\s*")


@dataclass
class CheckedRow:
    row: int
    data: dict[str, Any]  # service data for the offer (without owner)
    address: dict[str, str] | None


@dataclass
class CheckResult:
    raw_rows: list[dict[str, Any]] = field(default_factory=list)
    rows: list[CheckedRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    file_format: str = ""

    @property
    def ok(self) -> bool:
        return not self.problems and bool(self.rows)


def _lookup(label_map: dict[str, str], raw: str) -> str | None:
    return label_map.get(raw.strip().casefold())


def _label_map(choices: list[tuple[str, Any]], extra: dict[str, str] | None = None) -> dict[str, str]:
    mapping: dict[str, str] = {}
    for code, label in choices:
        mapping[str(code).casefold()] = code
        mapping[str(label).casefold()] = code
    for word, code in (extra or {}).items():
        mapping[word] = code
    return mapping


def _text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return "" if value is None else str(value).strip()


def _tokens(text: str, mapping: dict[str, str]) -> tuple[list[str], list[str]]:
    """Codes for a list cell ("Deutsch, Arabisch" or "de/ar") and the parts nobody recognised."""
    values: list[str] = []
    unknown: list[str] = []
    for part in SPLIT.split(text):
        if part:
            value = mapping.get(part.casefold())
            if value is None:
                unknown.append(part)
            else:
                values.append(value)
    return values, unknown


def read_preview(data: bytes, file_name: str) -> Preview | None:
    """How the columns of the upload are read (``import_preview.preview``); ``None`` if the upload guard refuses it."""
    try:
        check_upload(data, file_name, "offers")
    except UploadRefused:
        return None
    return preview(read(data, file_name), PREVIEW_FIELDS)


def read_rows(data: bytes, file_name: str) -> tuple[list[dict[str, Any]], list[Problem], str]:
    """Raw rows keyed by canonical column (plus ``_row``), file-level problems and a format label."""
    try:
        check_upload(data, file_name, "offers")
    except UploadRefused as refused:
        return [], [Problem(0, "", "upload_refused", str(refused))], ""
    table = read(data, file_name)
    file_format = table.label
    if table.problems:
        return [], [Problem(p.line, "", p.code, p.message) for p in table.problems], file_format
    numbered = table.rows
    header_line, header_row = numbered[0]
    header = [_text(c).lower() for c in header_row]
    index: dict[str, int] = {}
    for name, aliases in COLUMNS.items():
        for position, heading in enumerate(header):
            if heading in aliases:
                index[name] = position
                break
    problems = [
        Problem(header_line, name, "column_missing", f"Pflichtspalte „{name}“ fehlt in der Kopfzeile.")
        for name in REQUIRED
        if name not in index
    ]
    if problems:
        return [], problems, file_format
    if len(numbered) == 1:
        return [], [Problem(0, "", "E_NO_ROWS", "Die Datei enthält nur die Kopfzeile, keine Datenzeilen.")], file_format
    if len(numbered) - 1 > MAX_ROWS:
        return [], [Problem(0, "", "too_many_rows", f"Höchstens {MAX_ROWS} Zeilen je Datei.")], file_format
    rows = []
    for line, row in numbered[1:]:
        raw: dict[str, Any] = {"_row": line}
        for name, position in index.items():
            raw[name] = _text(row[position]) if position < len(row) else ""
        rows.append(raw)
    return rows, [], file_format


def check_rows(raw_rows: list[dict[str, Any]], *, owner: Organisation, publish: bool) -> CheckResult:
    """Validate each row with OfferForm; the result holds the ready-to-save data or the problems."""
    result = CheckResult(raw_rows=raw_rows)
    types = _label_map(list(OfferType.choices))
    groups = _label_map(list(TargetGroup.choices))
    languages = _label_map(SPOKEN_LANGUAGES, GERMAN_LANGUAGE_NAMES)
    gemeinden = list(kreis_gemeinden())
    by_ags = {g.ags: g for g in gemeinden}
    by_name = {g.name.casefold(): g for g in gemeinden}
    # "Prenzlau" for "Prenzlau, Stadt"; an ambiguous short name must be written out in full.
    short: dict[str, list[Any]] = {}
    for g in gemeinden:
        short.setdefault(g.name.split(",")[0].strip().casefold(), []).append(g)
    for name, matches in short.items():
        if len(matches) == 1:
            by_name.setdefault(name, matches[0])
    owners = Organisation.objects.filter(pk=owner.pk)
    seen: dict[tuple[str, str], int] = {}

    for raw in raw_rows:
        line = int(raw["_row"])
        problems: list[Problem] = []

        def problem(column: str, code: str, message: str, problems: list[Problem] = problems, line: int = line) -> None:
            problems.append(Problem(line, column, code, message))

        offer_type = _lookup(types, raw.get("art", ""))
        if offer_type is None and raw.get("art"):
            problem("art", "type_unknown", f"Art „{raw['art']}“ ist unbekannt (z. B. Sprachkurs, Beratung).")

        gemeinde = None
        gemeinde_raw = raw.get("gemeinde", "")
        if gemeinde_raw:
            ags = gemeinde_raw.zfill(8) if gemeinde_raw.isdigit() else ""
            gemeinde = by_ags.get(ags) or by_name.get(gemeinde_raw.casefold())
            if gemeinde is None:
                hint = suggest(gemeinde_raw, {g.ags: g.name for g in gemeinden})
                problem("gemeinde", "gemeinde_unknown", f"„{gemeinde_raw}“ ist keine Gemeinde des Kreises.{hint}")

        spoken, unknown = _tokens(raw.get("sprachen", ""), languages)
        for part in unknown:
            problem("sprachen", "language_unknown", f"Sprache „{part}“ ist unbekannt.")
        target_groups, unknown = _tokens(raw.get("zielgruppen", ""), groups)
        for part in unknown:
            problem("zielgruppen", "target_group_unknown", f"Zielgruppe „{part}“ ist unbekannt.")

        cost = raw.get("kosten", "")
        is_free = cost.casefold() in FREE_WORDS
        emails: list[str] = []
        phones: list[str] = []
        for part in SPLIT.split(raw.get("kontakt", "")):
            if part:
                (emails if "@" in part else phones).append(part)
        if len(emails) > 1:
            problem("kontakt", "contact_ambiguous", "Bitte höchstens eine E-Mail-Adresse angeben.")

        address = None
        if raw.get("adresse"):
            match = ADDRESS.match(raw["adresse"])
            if match is None:
                problem("adresse", "address_invalid", "Adresse bitte als „Straße Nr., PLZ Ort“ angeben.")
            else:
                address = {k: v.strip() for k, v in match.groupdict().items()}

        form_data = {
            "owner": str(owner.pk),
            "offer_type": offer_type or "",
            "title": raw.get("titel", ""),
            "description": raw.get("beschreibung", ""),
            "cost_note": "" if is_free else cost,
            "is_free": "on" if is_free else "",
            "languages": spoken,
            "target_groups": target_groups,
            "gemeinde": str(gemeinde.pk) if gemeinde else "",
            "contact_email": emails[0] if emails else "",
            "contact_phone": " / ".join(phones),
            "website": raw.get("internetseite", ""),
            "status": Status.PUBLISHED if publish else Status.DRAFT,
        }
        form = OfferForm(_QueryDict(form_data), owners=owners)
        if not form.is_valid():
            already = {p.column for p in problems}
            for name, errors in form.errors.as_data().items():
                column = FIELD_COLUMN.get(name, name)
                if column in already:
                    continue  # our own, more precise message for this column is already there
                for error in errors:
                    message = " ".join(str(m) for m in error.messages)
                    problem(column, error.code or "invalid", message)

        if not problems:
            identity = (form_data["title"].casefold(), form_data["gemeinde"])
            if identity in seen:
                problem("titel", "duplicate_row", f"Doppelt: dasselbe Angebot steht schon in Zeile {seen[identity]}.")
            else:
                seen[identity] = line
        if problems:
            result.problems.extend(problems)
            continue
        data = {k: v for k, v in form.cleaned_data.items() if k not in ("owner", "location")}
        result.rows.append(CheckedRow(line, data, address))
    return result


class _QueryDict(dict):
    """Form data where list values are multi-valued, as a browser would send them."""

    def getlist(self, key: str, default: Any = None) -> list[Any]:
        value = self.get(key, default if default is not None else [])
        return value if isinstance(value, list) else [value]
