from __future__ import annotations

import io

from openpyxl import load_workbook

from teilhabe.lib.exports import Sheet, csv_bytes, sheet_title, xlsx_bytes

EVIL = '=HYPERLINK("http://evil.example/","Details")'


def test_csv_neutralises_formulas_and_writes_german_numbers() -> None:
    text = csv_bytes(["Name", "Wert"], [[EVIL, 1234.5], ["+Anzahl", 3], ["-1", None]]).decode("utf-8-sig")
    lines = text.splitlines()
    assert lines[1].startswith("\"'=HYPERLINK(")
    assert lines[1].endswith(";1234,5")
    assert lines[2] == "'+Anzahl;3"
    assert lines[3] == "'-1;"


def test_csv_international() -> None:
    text = csv_bytes(["a", "b"], [[1.5, "x"]], international=True).decode("utf-8-sig")
    assert text.splitlines()[1] == "1.5,x"


def test_xlsx_keeps_numbers_numeric_and_text_inert() -> None:
    data = xlsx_bytes([Sheet("01 alter_staatsangehoerigkeit", ["Name", "Wert"], [[EVIL, 1234], ["@SUM(A1)", 0.5]])])
    ws = load_workbook(io.BytesIO(data)).worksheets[0]
    assert ws.title == "01 Alter Staatsangehoerigkeit"
    assert ws["A2"].value == "'" + EVIL and ws["A2"].data_type == "s"
    assert ws["B2"].value == 1234 and ws["B2"].number_format == "#,##0"
    assert ws["A3"].value.startswith("'@")


def test_sheet_titles_are_valid_and_unique() -> None:
    taken: set[str] = set()
    assert sheet_title("a/b:c", taken) == "A B C"
    assert sheet_title("A B C", taken) == "A B C (2)"
    assert len(sheet_title("x" * 50)) == 31
