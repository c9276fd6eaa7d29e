"""The one writer for every CSV and XLSX download of the platform.

- Text cells that a spreadsheet would run as a formula (starting with ``=``, ``+``, ``-``, ``@``, tab or CR)
  are neutralised with a leading apostrophe (OWASP "CSV injection"); numbers stay numbers.
- CSV: UTF-8 with BOM (Excel opens it correctly), ``;`` as delimiter and decimal comma by default, the way
  German office software reads it; ``international=True`` gives ``,`` and a decimal point.
- XLSX: numbers as numeric cells with a grouped display format, text as text, German-readable sheet names
  (Excel's rules: ≤ 31 characters, none of ``[]:*?/\\``).

Rows are sequences of ``str | int | float | Decimal | date | None``; ``None`` is an empty cell.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.http import HttpResponse

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def neutralise(text: str) -> str:
    """Prefix an apostrophe to text a spreadsheet would evaluate: ``=HYPERLINK(…)`` → ``'=HYPERLINK(…)``."""
    if text and text.startswith(FORMULA_START):
        return "'" + text
    return text


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


def csv_cell(value: Any, *, international: bool = False) -> str:
    """One CSV cell as text: numbers in German (``1234,5``) or international notation, text neutralised."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nein"
    if _is_number(value):
        if isinstance(value, float) and not math.isfinite(value):
            return ""
        text = (
            format(value, "f")
            if isinstance(value, Decimal)
            else repr(value)
            if isinstance(value, float)
            else str(value)
        )
        if isinstance(value, float) and "e" in text.lower():
            text = f"{value:.15g}"
        return text if international else text.replace(".", ",")
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return neutralise(str(value))


def csv_bytes(
    header: Sequence[str], rows: Iterable[Sequence[Any]], *, international: bool = False, note: str = ""
) -> bytes:
    """The whole CSV document as UTF-8 with BOM."""
    text = io.StringIO()
    writer = csv.writer(text, delimiter="," if international else ";", lineterminator="\r\n")
    writer.writerow([neutralise(str(h)) for h in header])
    for row in rows:
        writer.writerow([csv_cell(v, international=international) for v in row])
    if note:
        writer.writerow([])
        writer.writerow([neutralise(note)])
    return ("\ufeff" + text.getvalue()).encode("utf-8")


def sheet_title(title: str, taken: set[str] | None = None) -> str:
    """An Excel-valid, readable sheet name: ``01 alter_staatsangehoerigkeit`` → ``01 Alter Staatsangehoerigkeit``."""
    clean = _SHEET_FORBIDDEN.sub(" ", title).replace("_", " ").strip() or "Daten"
    clean = " ".join(word[:1].upper() + word[1:] for word in clean.split())[:31].strip("'")
    candidate, n = clean, 2
    while taken is not None and candidate.lower() in taken:
        suffix = f" ({n})"
        candidate, n = clean[: 31 - len(suffix)] + suffix, n + 1
    if taken is not None:
        taken.add(candidate.lower())
    return candidate


@dataclass
class Sheet:
    """One worksheet: a title, a header row, data rows and an optional note below the data."""

    title: str
    header: Sequence[str]
    rows: Iterable[Sequence[Any]]
    note: str = ""
    number_formats: dict[int, str] = field(default_factory=dict)  # column index → Excel format code


def xlsx_bytes(sheets: Sequence[Sheet]) -> bytes:
    """An XLSX workbook; numbers are numeric cells (integers ``#,##0``, decimals ``#,##0.0##``)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    workbook.remove(workbook.active)
    taken: set[str] = set()
    for spec in sheets:
        ws = workbook.create_sheet(sheet_title(spec.title, taken))
        ws.append([neutralise(str(h)) for h in spec.header])
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for row in spec.rows:
            values: list[Any] = []
            for value in row:
                if value is None or (isinstance(value, float) and not math.isfinite(value)):
                    values.append(None)
                elif isinstance(value, bool):
                    values.append("ja" if value else "nein")
                elif _is_number(value):
                    values.append(float(value) if isinstance(value, Decimal) else value)
                elif isinstance(value, dt.datetime | dt.date):
                    values.append(value)
                else:
                    values.append(neutralise(str(value)))
            ws.append(values)
            for index, cell in enumerate(ws[ws.max_row]):
                if index in spec.number_formats:
                    cell.number_format = spec.number_formats[index]
                elif isinstance(cell.value, int):
                    cell.number_format = "#,##0"
                elif isinstance(cell.value, float):
                    cell.number_format = "#,##0.0##"
                elif isinstance(cell.value, dt.date):
                    cell.number_format = "DD.MM.YYYY"
        if spec.note:
            ws.append([])
            ws.append([neutralise(spec.note)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_response(filename: str, header: Sequence[str], rows: Iterable[Sequence[Any]], **kwargs: Any) -> HttpResponse:
    response = HttpResponse(csv_bytes(header, rows, **kwargs), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def xlsx_response(filename: str, sheets: Sequence[Sheet]) -> HttpResponse:
    response = HttpResponse(xlsx_bytes(sheets), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response


def table_response(
    header: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    filename: str,
    fmt: str,
    note: str = "",
    title: str = "Daten",
) -> HttpResponse:
    """One table as ``fmt`` = ``"xlsx"`` or ``"csv"`` (German) or ``"csv-international"``."""
    if fmt == "xlsx":
        return xlsx_response(filename, [Sheet(title, header, rows, note)])
    return csv_response(filename, header, rows, note=note, international=fmt == "csv-international")
