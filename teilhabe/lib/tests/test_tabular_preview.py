"""The import preview (issue 18): how each column of an upload was understood, before anything is committed."""

from __future__ import annotations

import io
from datetime import date

from openpyxl import Workbook

from teilhabe.lib.import_preview import Field, Preview, preview
from teilhabe.lib.tabular import read

FIELDS = (
    Field("ags", "Gemeindeschlüssel", ("ags", "gemeinde"), "code", required=True),
    Field("anzahl", "Anzahl", ("anzahl", "wert"), "count", required=True),
    Field("quote", "Quote", ("quote",), "number"),
    Field("datum", "Stichtag", ("datum", "stichtag"), "date"),
)


def _columns(result: Preview) -> dict[str, tuple[str, str, str, str]]:
    return {c.header: (c.target, c.kind, c.number_format, c.date_format) for c in result.columns}


def test_german_csv_in_windows_1252_is_described_column_by_column() -> None:
    data = "AGS;Anzahl;Quote;Stichtag;Bemerkung\n12073008;1.234;12,5;31.12.2024;Prenzlau-Süd\n12073572;987;1.234,5;31.12.2024;\n"
    result = preview(read(data.encode("cp1252"), "werte.csv"), FIELDS)
    assert (result.file, result.encoding, result.delimiter, result.rows_total) == (
        "CSV (Windows-1252, „;“)",
        "Windows-1252",
        "Semikolon",
        2,
    )
    assert _columns(result) == {
        "AGS": ("Gemeindeschlüssel", "Schlüssel (Text)", "", ""),
        "Anzahl": ("Anzahl", "ganze Zahl", "1.234 (deutsch, Punkt als Tausendertrennzeichen)", ""),
        "Quote": ("Quote", "Zahl", "1.234,5 (deutsch)", ""),
        "Stichtag": ("Stichtag", "Datum", "", "TT.MM.JJJJ"),
        "Bemerkung": ("", "Text", "", ""),
    }
    assert result.columns[4].notes == ["Unbekannte Spaltenüberschrift: die Spalte wird nicht übernommen."]
    assert result.rows[0] == (2, ["12073008", "1.234", "12,5", "31.12.2024", "Prenzlau-Süd"])
    assert result.missing == [] and Preview.from_dict(result.as_dict()) == result


def test_ambiguous_columns_are_named_not_guessed() -> None:
    data = (
        "gemeinde,quote,datum,wert,Wert\n"
        "12073008,1.234,03/04/2024,5,1\n"
        "12073572,0.5,2024-04-03,7,2\n"
        '12073008,"1,5",31.12.2024,8,3\n'
    )
    result = preview(read(data.encode(), "werte.csv"), FIELDS)
    columns = {c.header: c for c in result.columns}
    assert result.delimiter == "Komma"
    assert columns["quote"].number_format == "gemischt (deutsch und englisch)"
    assert "mischt deutsche (1.234,5) und englische (1,234.5)" in columns["quote"].notes[0]
    assert columns["datum"].date_format == "JJJJ-MM-TT und TT.MM.JJJJ und TT/MM/JJJJ oder MM/TT/JJJJ"
    assert any("Tag/Monat oder Monat/Tag" in note for note in columns["datum"].notes)
    assert columns["Wert"].target == "" and "steht schon in Spalte „wert“" in columns["Wert"].notes[0]
    assert result.ambiguous


def test_lone_grouping_in_a_decimal_column_is_ambiguous_and_a_stray_delimiter_is_reported() -> None:
    data = "ags,quote\n12073008,1.234\n12073572,1,5\n"
    result = preview(read(data.encode(), "werte.csv"), FIELDS)
    quote = result.columns[1]
    assert quote.number_format == "mehrdeutig" and "mehrdeutig" in quote.notes[0]
    assert result.missing == ["Anzahl"]
    assert "mehr Zellen als die Kopfzeile Spalten (zuerst Zeile 3)" in result.notes[0]


def test_workbook_cells_keep_their_types() -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(["ags", "anzahl", "stichtag"])
    sheet.append(["12073008", 1234, date(2024, 12, 31)])
    buffer = io.BytesIO()
    book.save(buffer)
    result = preview(read(buffer.getvalue(), "werte.xlsx"), FIELDS)
    assert result.file == "XLSX" and result.delimiter == ""
    assert _columns(result)["anzahl"] == ("Anzahl", "ganze Zahl", "Zahl aus der Arbeitsmappe", "")
    assert _columns(result)["stichtag"][1:] == ("Datum", "", "Datum aus der Arbeitsmappe")
    assert result.rows == [(2, ["12073008", "1234", "31.12.2024"])]
