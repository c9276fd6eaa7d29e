"""Import preview: how each column of an uploaded table is read (field, type, number and date format,
encoding, delimiter), shown before anything is committed. Built on the shared reader ``lib.tabular``."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from teilhabe.lib.tabular import Table


@dataclass(frozen=True)
class Field:
    """A column an importer understands: ``kind`` is ``text``, ``code`` (keys such as AGS, never numbers),
    ``count`` (whole numbers: ``1.234`` is grouping), ``number`` or ``date``; ``aliases`` are the accepted
    headings in lower case (the key itself is always accepted)."""

    key: str
    label: str
    aliases: tuple[str, ...] = ()
    kind: str = "text"
    required: bool = False


@dataclass
class ColumnPreview:
    header: str  # as in the file
    target: str = ""  # German label of the field it is read as; "" = not used
    kind: str = ""  # detected type, German ("ganze Zahl", "Datum", "Text", "leer")
    number_format: str = ""  # e.g. "1.234,5 (deutsch)"
    date_format: str = ""  # e.g. "TT.MM.JJJJ"
    notes: list[str] = field(default_factory=list)  # ambiguities the clerk should check


@dataclass
class Preview:
    """How an upload was understood, shown before anything is committed (``includes/import_preview.html``).

    JSON-serialisable via ``as_dict``/``from_dict`` so an import run can keep it."""

    file: str = ""  # "CSV (UTF-8, „;“)" or "XLSX"
    encoding: str = ""
    delimiter: str = ""  # German name: "Semikolon", "Komma", "Tabulator"
    rows_total: int = 0  # data rows (without header)
    columns: list[ColumnPreview] = field(default_factory=list)
    rows: list[tuple[int, list[str]]] = field(default_factory=list)  # first data rows as text
    missing: list[str] = field(default_factory=list)  # labels of required fields not found
    notes: list[str] = field(default_factory=list)  # about the whole file

    @property
    def ambiguous(self) -> bool:
        return bool(self.missing or self.notes) or any(c.notes for c in self.columns)

    def as_dict(self) -> dict[str, Any]:
        from dataclasses import asdict

        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any] | None) -> Preview | None:
        if not data:
            return None
        values = dict(data)
        values["columns"] = [ColumnPreview(**c) for c in values.get("columns", [])]
        values["rows"] = [(line, list(cells)) for line, cells in values.get("rows", [])]
        return cls(**values)


DELIMITER_NAMES = {";": "Semikolon", ",": "Komma", "\t": "Tabulator"}
_DATE_FORMATS = (
    (re.compile(r"^\d{1,2}\.\d{1,2}\.\d{4}$"), "TT.MM.JJJJ"),
    (re.compile(r"^\d{4}-\d{2}-\d{2}$"), "JJJJ-MM-TT"),
    (re.compile(r"^\d{4}-\d{2}$"), "JJJJ-MM"),
    (re.compile(r"^\d{1,2}\.\d{1,2}\.\d{2}$"), "TT.MM.JJ"),
    (re.compile(r"^\d{1,2}/\d{1,2}/\d{2,4}$"), "TT/MM/JJJJ oder MM/TT/JJJJ"),
)
_NUMBER_STYLES = (
    (re.compile(r"^[-+\u2212]?\d+$"), "plain"),
    (re.compile(r"^[-+\u2212]?\d{1,3}(?:[ \u00a0\u202f']\d{3})+$"), "spaced"),
    (re.compile(r"^[-+\u2212]?[1-9]\d{0,2}\.\d{3}$"), "dot3"),  # 1.234: grouping or decimal point?
    (re.compile(r"^[-+\u2212]?[1-9]\d{0,2},\d{3}$"), "comma3"),  # 1,234: decimal comma or grouping?
    (re.compile(r"^[-+\u2212]?\d{1,3}(?:[. \u00a0\u202f']\d{3})*,\d+$|^[-+\u2212]?\d{1,3}(?:\.\d{3}){2,}$"), "de"),
    (re.compile(r"^[-+\u2212]?\d{1,3}(?:[, \u00a0\u202f']\d{3})*\.\d+$|^[-+\u2212]?\d{1,3}(?:,\d{3}){2,}$"), "en"),
    (re.compile(r"^[-+\u2212]?\d+,\d+$"), "de"),
    (re.compile(r"^[-+\u2212]?\d+\.\d+$"), "en"),
)


def _cell_text(value: Any) -> str:
    from datetime import date, datetime

    from teilhabe.lib.formats import format_date

    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date):
        return format_date(value)
    return str(value)


def _number_style(value: Any) -> str | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return "workbook"
    text = str(value).strip()
    return next((style for pattern, style in _NUMBER_STYLES if pattern.match(text)), None)


def _date_style(value: Any, *, year_only: bool = False) -> str | None:
    from datetime import date

    if isinstance(value, date):
        return "Datum aus der Arbeitsmappe"
    text = str(value).strip()
    if year_only and re.fullmatch(r"\d{4}", text):
        return "JJJJ (nur das Jahr)"
    return next((name for pattern, name in _DATE_FORMATS if pattern.match(text)), None)


def _describe(column: ColumnPreview, values: list[Any], spec: Field | None) -> None:
    """Fill in type, number and date format and notes from the column's non-empty values."""
    kind = spec.kind if spec else "auto"
    if not values:
        column.kind = "leer"
        return
    dates = {_date_style(v, year_only=kind == "date") for v in values}
    if (None not in dates and kind != "count") or (kind == "date" and dates - {None}):
        column.kind = "Datum"
        found = sorted(d for d in dates if d)
        column.date_format = " und ".join(found)
        if len(found) > 1:
            column.notes.append("Die Spalte mischt Datumsformate; jede Zelle wird nach ihrem Format gelesen.")
        if any("oder" in d for d in found):
            column.notes.append(
                "Schrägstrich-Daten sind mehrdeutig (Tag/Monat oder Monat/Tag?). Bitte als TT.MM.JJJJ schreiben."
            )
        if None in dates:
            column.notes.append("Nicht jede Zelle ist ein Datum; diese Zellen werden als Fehler gemeldet.")
        return
    styles = {_number_style(v) for v in values}
    if kind in ("text", "code") or None in styles:
        column.kind = "Schlüssel (Text)" if kind == "code" else "Text"
        return
    _describe_number(column, styles, values, count=kind == "count")


def _describe_number(column: ColumnPreview, styles: set[str | None], values: list[Any], *, count: bool) -> None:
    whole_styles = {"plain", "spaced", "dot3"} if count else {"plain", "spaced"}
    whole = all(
        float(v).is_integer() if isinstance(v, int | float) else _number_style(v) in whole_styles for v in values
    )
    column.kind = "ganze Zahl" if whole else "Zahl"
    written = styles - {"plain", "spaced"}
    if written == {"workbook"} or styles == {"workbook"}:
        column.number_format = "Zahl aus der Arbeitsmappe"
    elif "de" in written and "en" in written:
        column.number_format = "gemischt (deutsch und englisch)"
        column.notes.append(
            "Die Spalte mischt deutsche (1.234,5) und englische (1,234.5) Schreibweise; bitte einheitlich schreiben."
        )
    elif "de" in written or (written == {"comma3"} and not count):
        column.number_format = "1.234,5 (deutsch)"
        if "dot3" in written:
            column.notes.append(
                "Werte wie „1.234“ sind mehrdeutig; in einer Spalte mit Dezimalkomma werden sie abgelehnt, "
                "bitte 1234 oder 1.234,0 schreiben."
            )
    elif "en" in written:
        column.number_format = "1,234.5 (englisch)"
        if "dot3" in written or "comma3" in written:
            column.notes.append(
                "Werte wie „1.234“ oder „1,234“ sind mehrdeutig (Tausender- oder Dezimaltrennzeichen?); "
                "bitte ohne Tausendertrennzeichen schreiben."
            )
    elif written == {"dot3"} and count:
        column.number_format = "1.234 (deutsch, Punkt als Tausendertrennzeichen)"
    elif written:
        column.number_format = "mehrdeutig"
        column.notes.append(
            "Werte wie „1.234“ oder „1,234“ sind mehrdeutig (Tausender- oder Dezimaltrennzeichen?) und werden "
            "abgelehnt; bitte ohne Tausendertrennzeichen schreiben (1234) und Dezimalstellen mit Komma (1234,5)."
        )
    else:
        column.number_format = "1234 (ohne Trennzeichen)"


def preview(table: Table, fields: Iterable[Field], *, rows: int = 5) -> Preview:
    """How ``table`` is understood by an importer whose columns are ``fields``.

    Headings are matched case-insensitively against each field's key and aliases (the first matching column
    wins, as in the importers); a second column for the same field and an unknown heading get a note. Types
    and formats are detected from all non-empty cells of a column. Returns a ``Preview`` (file-level problems
    are the importer's business; an empty table gives an empty preview)."""
    specs = list(fields)
    result = Preview(
        file=table.label,
        encoding=table.encoding or ("in der Arbeitsmappe festgelegt" if table.file_format else ""),
        delimiter=DELIMITER_NAMES.get(table.delimiter, table.delimiter),
    )
    if not table.rows:
        return result
    (_header_line, header), body = table.rows[0], table.rows[1:]
    result.rows_total = len(body)
    taken: dict[str, str] = {}
    for position, heading in enumerate(header):
        name = _cell_text(heading).strip()
        folded = name.lower()
        spec = next((s for s in specs if folded == s.key or folded in s.aliases), None)
        column = ColumnPreview(header=name)
        if spec is None:
            column.notes.append("Unbekannte Spaltenüberschrift: die Spalte wird nicht übernommen.")
        elif spec.key in taken:
            column.notes.append(f"„{spec.label}“ steht schon in Spalte „{taken[spec.key]}“; diese wird ignoriert.")
            spec = None
        else:
            taken[spec.key] = name
            column.target = spec.label
        values = [row[position] for _line, row in body if position < len(row) and _cell_text(row[position]).strip()]
        _describe(column, values, spec)
        result.columns.append(column)
    result.missing = [s.label for s in specs if s.required and s.key not in taken]
    longer = [line for line, row in body if len([c for c in row if _cell_text(c).strip()]) > len(header)]
    if longer:
        result.notes.append(
            f"{len(longer)} Zeile(n) haben mehr Zellen als die Kopfzeile Spalten (zuerst Zeile {longer[0]}). "
            f"Steht das Trennzeichen „{table.delimiter or ','}“ auch in Werten, z. B. als Dezimalkomma? Dann bitte "
            "Semikolon als Trennzeichen verwenden oder die Werte in Anführungszeichen setzen."
        )
    result.rows = [(line, [_cell_text(c) for c in row]) for line, row in body[:rows]]
    return result
