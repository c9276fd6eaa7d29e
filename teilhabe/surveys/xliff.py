"""XLIFF 1.2 round trip of a questionnaire's texts for translation agencies (same format and states as
the directory's ``teilhabe/directory/xliff.py``).

``export(version, source, target)`` writes one trans-unit per text cell (labels, hints, constraint and
required messages on the survey sheet, choice labels), id ``<sheet>:<row>:<column>``, with the target text
if the form has one (``state="translated"``) or empty (``needs-translation``). ``apply(version, content)``
writes the targets into a copy of the version's XLSForm (adding the language's columns when missing) and
returns the new workbook bytes, which are uploaded as a new version, so every check of an upload applies.
Errors: ``XliffError`` with a German message.
"""

from __future__ import annotations

import io
import re
import warnings
import xml.etree.ElementTree as ET
from typing import Any

import defusedxml.ElementTree as SafeET
from django.conf import settings

NS = "urn:oasis:names:tc:xliff:document:1.2"
TEXT_COLUMNS = ("label", "hint", "constraint_message", "required_message")
UNIT = re.compile(r"^(survey|choices):(\d+):([a-z_]+)$")


class XliffError(ValueError):
    pass


def _book(version: Any) -> Any:
    from openpyxl import load_workbook

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return load_workbook(io.BytesIO(bytes(version.xlsform)))


def _columns(sheet: Any) -> dict[str, int]:
    return {str(c.value).strip(): c.column for c in sheet[1] if c.value is not None}


def _key(version: Any, code: str) -> str:
    lang = version.language(code)
    if lang is not None:
        return str(lang["key"])
    return f"{dict(settings.LANGUAGES).get(code, code)} ({code})"


def export(version: Any, *, source: str, target: str) -> bytes:
    book = _book(version)
    source_key, target_key = _key(version, source), _key(version, target)
    ET.register_namespace("", NS)
    root = ET.Element(f"{{{NS}}}xliff", {"version": "1.2"})
    file_el = ET.SubElement(root, f"{{{NS}}}file", {"original": f"teilhabe-befragung-{version.survey.slug}-v{version.number}",
                                                      "source-language": source, "target-language": target, "datatype": "plaintext"})  # fmt: skip
    body = ET.SubElement(file_el, f"{{{NS}}}body")
    for sheet_name in ("survey", "choices"):
        if sheet_name not in book.sheetnames:
            continue
        sheet = book[sheet_name]
        columns = _columns(sheet)
        for base in TEXT_COLUMNS:
            source_col = columns.get(f"{base}::{source_key}") or (
                columns.get(base) if source_key == "default" else None
            )
            if source_col is None:
                continue
            target_col = columns.get(f"{base}::{target_key}")
            for row in range(2, sheet.max_row + 1):
                text = sheet.cell(row=row, column=source_col).value
                if not text:
                    continue
                unit = ET.SubElement(body, f"{{{NS}}}trans-unit", {"id": f"{sheet_name}:{row}:{base}"})
                ET.SubElement(unit, f"{{{NS}}}source").text = str(text)
                existing = sheet.cell(row=row, column=target_col).value if target_col else None
                target_el = ET.SubElement(
                    unit, f"{{{NS}}}target", {"state": "translated" if existing else "needs-translation"}
                )
                target_el.text = str(existing or "")
    return bytes(ET.tostring(root, encoding="utf-8", xml_declaration=True))


def apply(version: Any, content: bytes) -> tuple[bytes, int]:
    """(new XLSForm bytes, number of texts written)."""
    try:
        root = SafeET.fromstring(content)
    except Exception as error:
        raise XliffError("Die Datei ist kein gültiges XLIFF 1.2.") from error
    file_el = root.find(f"{{{NS}}}file")
    if file_el is None or not file_el.get("target-language"):
        raise XliffError("Im XLIFF fehlt die Zielsprache (target-language).")
    target = str(file_el.get("target-language"))
    target_key = _key(version, target)
    book = _book(version)
    written = 0
    for unit in file_el.iter(f"{{{NS}}}trans-unit"):
        match = UNIT.match(unit.get("id", ""))
        target_el = unit.find(f"{{{NS}}}target")
        if not match or target_el is None or not (target_el.text or "").strip():
            continue
        sheet_name, row, base = match.group(1), int(match.group(2)), match.group(3)
        if base not in TEXT_COLUMNS or sheet_name not in book.sheetnames:
            raise XliffError(f"Unbekannte Übersetzungseinheit „{unit.get('id')}“.")
        sheet = book[sheet_name]
        header = f"{base}::{target_key}"
        columns = _columns(sheet)
        if header not in columns:
            column = sheet.max_column + 1
            sheet.cell(row=1, column=column).value = header
        else:
            column = columns[header]
        sheet.cell(row=row, column=column).value = target_el.text.strip()
        written += 1
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue(), written
