"""Crafted files: zip bombs, files that claim one type and are another, size caps per import kind."""

from __future__ import annotations

import io
import tracemalloc
import zipfile

import openpyxl
import pytest

from teilhabe.lib.uploads import UploadRefused, check_upload

WORKBOOK_PARTS = {"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"}


def _zip(parts: dict[str, bytes], bomb_mb: int = 0) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, body in parts.items():
            archive.writestr(name, body)
        if bomb_mb:
            with archive.open("xl/worksheets/sheet1.xml", "w") as sheet:
                block = b"\0" * (1024 * 1024)
                for _ in range(bomb_mb):
                    sheet.write(block)
    return buffer.getvalue()


def _real_xlsx() -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["ags", "jahr", "wert"])
    for year in range(2015, 2025):
        sheet.append(["12073532", year, 17])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_a_real_workbook_and_a_real_csv_pass() -> None:
    check_upload(_real_xlsx(), "werte.xlsx", "indicators")
    check_upload("ags;jahr;wert\n12073532;2024;17\n".encode("cp1252"), "werte.csv", "indicators")


def test_a_zip_bomb_is_refused_without_filling_memory() -> None:
    bomb = _zip(WORKBOOK_PARTS, bomb_mb=64)
    assert len(bomb) < 200_000  # 64 MB of zeros packed
    tracemalloc.start()
    with pytest.raises(UploadRefused, match="ZIP-Bombe"):
        check_upload(bomb, "werte.xlsx", "indicators")
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert peak < 8 * 1024 * 1024


def test_the_unpacked_total_is_capped(settings) -> None:  # type: ignore[no-untyped-def]
    settings.UPLOAD_MAX_UNPACKED_MB = 1
    parts = {**WORKBOOK_PARTS, "xl/worksheets/sheet1.xml": bytes(range(256)) * 8 * 1024}  # 2 MB, low ratio
    with pytest.raises(UploadRefused, match="größer als 1 MB"):
        check_upload(_zip(parts), "werte.xlsx", "indicators")


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"%PDF-1.7\n...", "liste.csv", "PDF-Dokument"),
        (b"\x89PNG\r\n\x1a\n....", "liste.xlsx", "keine gültige XLSX-Datei"),
        (b"ags;jahr\n1;2\n", "liste.xlsx", "keine gültige XLSX-Datei"),
        (_zip({"readme.txt": b"hallo"}), "liste.xlsx", "keine XLSX-Arbeitsmappe"),
        (_zip({"mimetype": b"text/plain", "content.xml": b"<x/>"}), "liste.ods", "keine OpenDocument-Tabelle"),
        (_zip({**WORKBOOK_PARTS, "inner.zip": b"PK"}), "liste.xlsx", "weiteres Archiv"),
        (_zip(WORKBOOK_PARTS), "liste.csv", "ZIP-Archiv"),
        (b"ags\x00;jahr\n", "liste.csv", "Binärdaten"),
        (b"MZ\x90\x00", "liste.exe", "nicht angenommen"),
    ],
)
def test_files_that_are_not_what_they_claim_are_refused(data: bytes, name: str, message: str) -> None:
    with pytest.raises(UploadRefused, match=message):
        check_upload(data, name, "offers")


def test_size_caps_per_import_kind(settings) -> None:  # type: ignore[no-untyped-def]
    settings.UPLOAD_LIMITS_MB = {"default": 1, "offers": 1, "register": 3, "indicators": 1}
    data = b"ags;jahr\n" + b"12073532;2024\n" * 150_000  # about 2 MB
    with pytest.raises(UploadRefused, match="höchstens 1 MB"):
        check_upload(data, "angebote.csv", "offers")
    check_upload(data, "auszug.csv", "register")


def test_every_importer_refuses_a_bomb_with_the_german_message() -> None:
    from teilhabe.directory.importer import read_rows
    from teilhabe.indicators.importer import parse
    from teilhabe.population.importer import read_extract

    bomb = _zip(WORKBOOK_PARTS, bomb_mb=16)
    _rows, problems, _fmt = read_rows(bomb, "angebote.xlsx")
    assert "ZIP-Bombe" in problems[0].message
    assert "ZIP-Bombe" in parse(bomb, "werte.xlsx").problems[0].message
    assert "ZIP-Bombe" in read_extract(bomb, "auszug.xlsx").problems[0].message
    assert "PDF-Dokument" in read_extract(b"%PDF-1.4", "auszug.csv").problems[0].message
