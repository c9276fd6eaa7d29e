"""CSV (semicolon, UTF-8 with BOM for Excel) and XLSX downloads of a dashboard table."""

from __future__ import annotations

import csv
import io
from typing import Any

from django.http import HttpResponse

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _csv_value(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.6g}".replace(".", ",")
    return "" if value is None else str(value)


def table_response(
    header: list[str], rows: list[list[Any]], *, filename: str, fmt: str, note: str = ""
) -> HttpResponse:
    if fmt == "xlsx":
        from openpyxl import Workbook

        workbook = Workbook()
        sheet = workbook.active
        sheet.title = "Daten"
        sheet.append(header)
        for row in rows:
            sheet.append([("" if v is None else v) for v in row])
        if note:
            sheet.append([])
            sheet.append([note])
        buffer = io.BytesIO()
        workbook.save(buffer)
        response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
        response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
        return response
    text = io.StringIO()
    writer = csv.writer(text, delimiter=";", lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([_csv_value(v) for v in row])
    if note:
        writer.writerow([])
        writer.writerow([note])
    response = HttpResponse(("\ufeff" + text.getvalue()).encode("utf-8"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response
