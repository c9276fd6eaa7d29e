"""Parse agency aggregates from any table ``teilhabe.lib.tabular.read`` accepts (CSV in UTF-8, Windows-1252
or UTF-16; XLSX/ODS). Numbers follow ``tabular.parse_number``: counts must be whole numbers (``1.234`` is
1234), ``nan``/Excel error values are errors.

Every problem is reported with row, column and a stable code in German; nothing is written here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.conf import settings

from teilhabe.indicators.catalogue import load_catalogue
from teilhabe.lib.import_preview import Field, Preview, preview
from teilhabe.lib.tabular import NumberError, parse_number, read, suggest
from teilhabe.lib.uploads import UploadRefused, check_upload
from teilhabe.regions.models import Gemeinde, Kreis

MAX_ROWS = 50_000
COLUMNS: dict[str, tuple[str, ...]] = {
    "quellschluessel": ("quellschluessel", "quellschlüssel", "source_key", "schluessel"),
    "ebene": ("ebene", "level"),
    "ags": ("ags", "gemeindeschluessel", "kreisschluessel", "regionalschluessel"),
    "jahr": ("jahr", "year", "stichtagsjahr"),
    "wert": ("wert", "value", "anzahl"),
    "quelldokument": ("quelldokument", "quelle", "source_document"),
}
REQUIRED = ("quellschluessel", "ags", "jahr", "wert")
_LABELS = {
    "quellschluessel": ("Quellschlüssel", "code"),
    "ebene": ("Ebene (Gemeinde oder Kreis)", "text"),
    "ags": ("Gemeinde- oder Kreisschlüssel", "code"),
    "jahr": ("Berichtsjahr", "count"),
    "wert": ("Wert (Anzahl)", "count"),
    "quelldokument": ("Quelldokument", "text"),
}
PREVIEW_FIELDS = tuple(
    Field(name, _LABELS[name][0], aliases, _LABELS[name][1], name in REQUIRED) for name, aliases in COLUMNS.items()
)


@dataclass(frozen=True)
class Problem:
    row: int  # 1-based line in the file incl. header; 0 = whole file
    column: str
    code: str
    message: str

    def __str__(self) -> str:
        where = f"Zeile {self.row}" if self.row else "Datei"
        if self.column:
            where += f", Spalte „{self.column}“"
        return f"{where}: {self.message} [{self.code}]"


@dataclass(frozen=True)
class ParsedRow:
    row: int
    source_key: str
    level: str
    ags: str
    year: int
    value: float
    source_document: str


@dataclass
class ParseResult:
    rows: list[ParsedRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    encoding: str = ""
    delimiter: str = ""
    preview: Preview | None = None  # how the columns were read (shown before committing)

    @property
    def ok(self) -> bool:
        return not self.problems and bool(self.rows)


def _code(raw: Any, width: int) -> str:
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    text = str(raw).strip()
    return text.zfill(width) if text.isdigit() and len(text) < width else text


def parse(data: bytes, file_name: str) -> ParseResult:
    result = ParseResult()
    try:
        check_upload(data, file_name, "indicators")
    except UploadRefused as refused:
        result.problems.append(Problem(0, "", "upload_refused", str(refused)))
        return result
    read_result = read(data, file_name)
    result.encoding, result.delimiter = read_result.encoding or read_result.file_format, read_result.delimiter
    result.preview = preview(read_result, PREVIEW_FIELDS)
    if read_result.problems:
        result.problems += [Problem(p.line, "", p.code, p.message) for p in read_result.problems]
        return result
    lines = [line for line, _cells in read_result.rows]
    table = [cells for _line, cells in read_result.rows]
    header = [str(c).strip().lower() for c in table[0]]
    index: dict[str, int] = {}
    for name, aliases in COLUMNS.items():
        for position, heading in enumerate(header):
            if heading in aliases:
                index[name] = position
                break
    for name in REQUIRED:
        if name not in index:
            result.problems.append(
                Problem(1, name, "column_missing", f"Pflichtspalte „{name}“ fehlt in der Kopfzeile.")
            )
    if result.problems:
        return result
    if len(table) == 1:
        result.problems.append(Problem(0, "", "E_NO_ROWS", "Die Datei enthält nur die Kopfzeile, keine Datenzeilen."))
        return result
    if len(table) - 1 > MAX_ROWS:
        result.problems.append(Problem(0, "", "too_many_rows", f"Höchstens {MAX_ROWS} Zeilen je Datei."))
        return result

    source_keys = load_catalogue().source_keys
    kreis = settings.TEILHABE_KREIS
    gemeinden = set(Gemeinde.objects.filter(kreis_id=kreis).values_list("ags", flat=True))
    kreise = set(Kreis.objects.values_list("ags", flat=True))
    seen: dict[tuple[str, str, str, int], int] = {}

    def cell(row: list[Any], name: str) -> Any:
        position = index.get(name)
        return row[position] if position is not None and position < len(row) else ""

    gemeinde_names = dict(Gemeinde.objects.filter(kreis_id=kreis).values_list("ags", "name"))
    kreis_names = dict(Kreis.objects.values_list("ags", "name"))
    agency_keys = {k: v.label for k, v in source_keys.items() if "agency" in v.providers}

    for line, row in zip(lines[1:], table[1:], strict=True):
        problems_before = len(result.problems)
        key = str(cell(row, "quellschluessel")).strip()
        if key not in source_keys:
            result.problems.append(
                Problem(
                    line,
                    "quellschluessel",
                    "source_key_unknown",
                    f"Quellschlüssel „{key}“ ist im Katalog nicht definiert." + suggest(key, agency_keys),
                )
            )
        elif "agency" not in source_keys[key].providers:
            result.problems.append(
                Problem(
                    line,
                    "quellschluessel",
                    "source_key_not_agency",
                    f"„{key}“ wird nicht von Behörden geliefert (nur Register/Befragung).",
                )
            )
        raw_level = str(cell(row, "ebene")).strip().lower()
        ags_raw = cell(row, "ags")
        ags = _code(ags_raw, 8 if len(str(ags_raw).split(".")[0]) > 5 else 5)
        level = raw_level or ("gemeinde" if len(ags) == 8 else "kreis")
        if level not in ("gemeinde", "kreis"):
            result.problems.append(Problem(line, "ebene", "level_invalid", "Ebene muss „gemeinde“ oder „kreis“ sein."))
        elif level == "gemeinde" and ags not in gemeinden:
            result.problems.append(
                Problem(
                    line,
                    "ags",
                    "ags_unknown",
                    f"„{ags}“ ist keine Gemeinde des Kreises {kreis}." + suggest(ags, gemeinde_names),
                )
            )
        elif level == "kreis" and ags not in kreise:
            result.problems.append(
                Problem(line, "ags", "ags_unknown", f"„{ags}“ ist kein bekannter Kreis." + suggest(ags, kreis_names))
            )
        elif key in source_keys and level not in source_keys[key].levels:
            result.problems.append(
                Problem(line, "ebene", "level_not_allowed", f"„{key}“ wird nicht auf Ebene {level} geliefert.")
            )
        try:
            year = int(parse_number(cell(row, "jahr"), integer=True))
            if not 1990 <= year <= 2100:
                raise ValueError
        except ValueError:
            year = 0
            result.problems.append(Problem(line, "jahr", "year_invalid", "Jahr muss vierstellig sein (z. B. 2024)."))
        is_count = key not in source_keys or source_keys[key].kind == "count"
        try:
            value = float(parse_number(cell(row, "wert"), integer=is_count))
            if value < 0:
                raise NumberError("Der Wert darf nicht negativ sein.")
        except NumberError as error:
            value = 0.0
            result.problems.append(Problem(line, "wert", "value_invalid", str(error)))
        document = str(cell(row, "quelldokument")).strip()[:300]
        if len(result.problems) > problems_before:
            continue
        identity = (key, level, ags, year)
        if identity in seen:
            result.problems.append(
                Problem(
                    line,
                    "quellschluessel",
                    "duplicate_row",
                    f"Doppelt: derselbe Wert steht schon in Zeile {seen[identity]}.",
                )
            )
            continue
        seen[identity] = line
        result.rows.append(ParsedRow(line, key, level, ags, year, value, document))
    return result
