"""Reading tables that clerks export from office software: CSV in UTF-8 (with or without BOM) or
Windows-1252 with `;`, `,` or tab as delimiter, and XLSX/ODS via python-calamine. Django-free; the
shared first step of every import (agency aggregates, offer lists). Large register extracts use their
own columnar reader (``teilhabe.population.importer``) for speed.
"""

from __future__ import annotations

import csv
import io
from typing import Any


def decode(data: bytes) -> tuple[str, str]:
    try:
        return data.decode("utf-8-sig"), "UTF-8"
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace"), "Windows-1252"


def sniff_delimiter(text: str) -> str:
    first = text.splitlines()[0] if text else ""
    try:
        return csv.Sniffer().sniff(first, delimiters=";,\t").delimiter
    except csv.Error:
        return ";" if first.count(";") >= first.count(",") else ","


def read_table(data: bytes, file_name: str) -> tuple[list[list[Any]], str, str]:
    """Rows of cells; XLSX is recognised by its ZIP signature, not only by the name."""
    if data[:4] == b"PK\x03\x04" or file_name.lower().endswith((".xlsx", ".xls", ".ods")):
        from python_calamine import CalamineWorkbook

        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        return workbook.get_sheet_by_index(0).to_python(skip_empty_area=True), "XLSX", ""
    text, encoding = decode(data)
    delimiter = sniff_delimiter(text)
    return [list(r) for r in csv.reader(io.StringIO(text), delimiter=delimiter)], encoding, delimiter
