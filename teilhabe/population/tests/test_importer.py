"""Reading and validation: every error class, encodings, delimiters, XLSX, robustness."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from teilhabe.population.importer import MESSAGES, read_extract, validate
from teilhabe.population.tests.helpers import AGS, HEADER, OTHER_AGS, csv_text, row, valid_rows

STICHTAG = date(2025, 12, 31)
GEMEINDEN = {AGS, OTHER_AGS}


def _check(text: str | bytes, filename: str = "a.csv") -> Any:
    data = text.encode("utf-8") if isinstance(text, str) else text
    return validate(read_extract(data, filename), STICHTAG, GEMEINDEN)


def test_valid_file_has_no_problems_and_normalises() -> None:
    result = _check(csv_text(*valid_rows()))
    assert result.counts == {} and result.rows_total == 13 and result.rows_valid == 13
    first = result.normalised.to_pylist()[0]
    assert first["geburtsdatum"] == date(1980, 1, 1) and first["staatsangehoerigkeit_1"] == "475"


def test_every_row_error_class_with_row_column_and_code() -> None:
    rows = [
        row("R02", geschlecht=""),  # line 2
        row("R03", ags="12345678"),
        row("R04", ags="12ab"),
        row("R05", wohnungsstatus="Q"),
        row("R06", geschlecht="q"),
        row("R07", geburtsdatum="31.02.1990"),
        row("R08", geburtsdatum="2026-03-01"),
        row("R09", zuzug_datum="2026-01-15"),
        row("R10", staatsangehoerigkeit_1="777"),
        row("R11", art_deutsche_staatsangehoerigkeit="X"),
        row("R12", staatsangehoerigkeit_1="475", art_deutsche_staatsangehoerigkeit="E"),
        row("R13", familienstand="ZZ"),
        row("R14", religion="islam"),
        row("R15"),
        row("R15"),  # duplicate key + status: second one (line 16)
        row("R17", elternteil_1="NIEMAND"),
        row("X" * 41),
        row("R19", geburtsstaat="ZZZ"),
        row("R20", zuzug_datum="2020-13-01"),
    ]
    result = _check(csv_text(*rows))
    found = {(p.row, p.column, p.code) for p in result.problems}
    expected = {
        (2, "geschlecht", "E_REQUIRED"),
        (3, "ags", "E_AGS_OUTSIDE"),
        (4, "ags", "E_AGS_FORMAT"),
        (5, "wohnungsstatus", "E_WOHNUNGSSTATUS"),
        (6, "geschlecht", "E_GESCHLECHT"),
        (7, "geburtsdatum", "E_DATE_FORMAT"),
        (8, "geburtsdatum", "E_DATE_FUTURE"),
        (9, "zuzug_datum", "E_ZUZUG_AFTER_STICHTAG"),
        (10, "staatsangehoerigkeit_1", "E_STATE_UNKNOWN"),
        (11, "art_deutsche_staatsangehoerigkeit", "E_ART_CODE"),
        (12, "art_deutsche_staatsangehoerigkeit", "E_ART_FOREIGNER"),
        (13, "familienstand", "E_FAMILIENSTAND"),
        (14, "religion", "E_RELIGION"),
        (16, "ordnungsmerkmal", "E_DUPLICATE"),
        (17, "elternteil_1", "W_PARENT_UNKNOWN"),
        (18, "ordnungsmerkmal", "E_KEY_LENGTH"),
        (19, "geburtsstaat", "E_STATE_UNKNOWN"),
        (20, "zuzug_datum", "E_DATE_FORMAT"),
    }
    assert expected <= found
    assert all(p.message and "{" not in p.message for p in result.problems)
    # The warning does not make its row invalid; every other line here has an error.
    assert 17 not in result.invalid_rows and 15 not in result.invalid_rows
    assert result.rows_valid == 2 and result.normalised.num_rows == 2


def test_file_level_problems() -> None:
    assert _check("").counts == {"E_FILE_EMPTY": 1}
    assert _check(b"\x81\x8d\x8f\x90\x9d").counts == {"E_ENCODING_ROW": 1}  # line 1 is not Windows-1252
    missing = _check(csv_text(row("A"), header=HEADER.replace("geschlecht", "sex")))
    assert {(p.column, p.code) for p in missing.problems} >= {
        ("geschlecht", "E_COLUMN_MISSING"),
        ("sex", "W_COLUMN_UNKNOWN"),
    }
    assert missing.normalised is None
    ragged = _check(csv_text(row("A"), "B;12073008;;A", row("C")))
    assert [(p.row, p.code) for p in ragged.problems if p.severity == "error"] == [(3, "E_ROW_COLUMNS")]
    assert ragged.rows_total == 3 and ragged.rows_valid == 2
    assert _check(b"PK\x03\x04garbage", "x.xlsx").counts == {"E_FILE_REFUSED": 1}  # the upload guard answers first


def test_encodings_and_delimiters() -> None:
    text = csv_text(*valid_rows(3), row("U1", planungsraum="Süd"))
    for data, encoding in [
        (text.encode("utf-8"), "UTF-8"),
        (b"\xef\xbb\xbf" + text.encode("utf-8"), "UTF-8 (BOM)"),
        (text.encode("cp1252"), "Windows-1252"),
        (("\ufeff" + text).encode("utf-16-le"), "UTF-16"),
    ]:
        read = read_extract(data)
        assert read.encoding == encoding and read.delimiter == ";"
        result: Any = validate(read, STICHTAG, GEMEINDEN)
        assert result.error_count == 0
        assert "Süd" in result.normalised.column("planungsraum").to_pylist()
    comma = text.replace(";", ",")
    read = read_extract(comma.encode("cp1252"))
    assert read.delimiter == "," and validate(read, STICHTAG, GEMEINDEN).error_count == 0


def test_iso_codes_german_dates_and_excel_lost_zeros() -> None:
    result = _check(
        csv_text(
            row("A", staatsangehoerigkeit_1="0", geburtsstaat="de", geburtsdatum="1.2.1990"),
            row(
                "B",
                staatsangehoerigkeit_1="SYR",
                art_deutsche_staatsangehoerigkeit="",
                geburtsstaat="SY",
                ags=AGS[1:] if AGS.startswith("0") else AGS,
                geburtsdatum="1990-05",
            ),
        )
    )
    assert result.error_count == 0
    a, b = result.normalised.to_pylist()
    assert a["staatsangehoerigkeit_1"] == "000" and a["geburtsstaat"] == "000"
    assert a["geburtsdatum"] == date(1990, 2, 1)
    assert b["staatsangehoerigkeit_1"] == "475" and b["geburtsdatum"] == date(1990, 5, 1)


def test_xlsx_with_numeric_and_date_cells() -> None:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER.split(";"))
    values: list[object] = list(row("X1").split(";"))
    values[1] = int(AGS)  # Excel stores the AGS as a number
    values[4] = date(1980, 1, 1)
    values[6] = 0  # Germany, leading zeros lost
    sheet.append(values)
    buffer = io.BytesIO()
    workbook.save(buffer)
    read = read_extract(buffer.getvalue(), "auszug.xlsx")
    assert read.file_format == "xlsx"
    result: Any = validate(read, STICHTAG, GEMEINDEN)
    assert result.error_count == 0, result.problems
    person = result.normalised.to_pylist()[0]
    assert person["ags"] == AGS and person["staatsangehoerigkeit_1"] == "000"


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=400) | st.text(max_size=400).map(lambda t: (HEADER + "\n" + t).encode("utf-8")))
def test_random_input_never_crashes(data: bytes) -> None:
    result = validate(read_extract(data), STICHTAG, GEMEINDEN)
    assert all(code in MESSAGES for code in result.counts)
    if result.normalised is not None:
        assert result.normalised.num_rows == result.rows_valid


def test_gemeinde_without_planungsraeume_is_one_warning_not_one_per_row() -> None:
    rows = [row(f"A{i}", planungsraum=f"0{i % 3}") for i in range(5)]
    rows += [row(f"B{i}", ags=OTHER_AGS, planungsraum="07") for i in range(2)]
    rows.append(row("C0"))  # no Planungsraum: nothing to warn about
    result = _check(csv_text(*rows))
    warnings = [p for p in result.problems if p.code == "W_PLANUNGSRAUM_UNDEFINED"]
    assert result.counts == {"W_PLANUNGSRAUM_UNDEFINED": 2} and result.rows_valid == 8
    assert [(p.row, p.detail) for p in warnings] == [
        (2, f"Gemeinde {AGS}: 5 Zeilen mit Planungsraum-Schlüssel, die erste in dieser Zeile."),
        (7, f"Gemeinde {OTHER_AGS}: 2 Zeilen mit Planungsraum-Schlüssel, die erste in dieser Zeile."),
    ]
    # A defined Gemeinde still checks every row.
    defined = validate(
        read_extract(csv_text(*rows).encode()), STICHTAG, GEMEINDEN, planungsraeume={AGS: {"00": "Nord", "01": "Süd"}}
    )
    assert [p.row for p in defined.problems if p.code == "E_PLANUNGSRAUM_UNKNOWN"] == [4]
    assert defined.counts["W_PLANUNGSRAUM_UNDEFINED"] == 1


def test_streamed_file_in_many_chunks_gives_the_same_report(tmp_path: Any, monkeypatch: Any) -> None:
    """The engine takes a streamed file in chunks; line numbers, problems and rows do not depend on where a
    chunk ends (here every 3 rows, with a ragged line and errors on both sides of a boundary)."""
    from teilhabe.population import importer, validation

    rows = [*valid_rows(7), "X;12073008;;A", row("E1", geschlecht="q"), *valid_rows(4, "Q"), row("E2", ags="1")]
    path = tmp_path / "auszug.csv"
    path.write_text(csv_text(*rows))

    def report() -> tuple[Any, ...]:
        result = validate(read_extract(path, stream=True), STICHTAG, GEMEINDEN)
        assert result.normalised is not None
        return result.problems, result.counts, result.invalid_rows, result.normalised.to_pylist()

    whole = report()
    monkeypatch.setattr(validation, "CHUNK_ROWS", 3)
    monkeypatch.setattr(importer, "STREAM_BLOCK", 64)  # many small batches
    assert report() == whole
    assert [(p.row, p.code) for p in whole[0] if p.severity == "error"] == [
        (10, "E_ROW_COLUMNS"),
        (11, "E_GESCHLECHT"),
        (17, "E_AGS_FORMAT"),
    ]


def test_surrounding_spaces_are_trimmed_in_every_chunk_and_encoding(tmp_path: Any, monkeypatch: Any) -> None:
    """Plain ASCII chunks skip ``trim`` for columns without a surrounding space; a space that turns up only in a
    later chunk, and Unicode spaces in a UTF-8 file, are still removed."""
    from teilhabe.population import validation

    monkeypatch.setattr(validation, "CHUNK_ROWS", 3)
    clean = [
        *valid_rows(5),
        row("S1", geschlecht="m", staatsangehoerigkeit_1="475", art_deutsche_staatsangehoerigkeit=""),
    ]
    spaced = [
        *valid_rows(5),
        row("S1 ", geschlecht="  m", staatsangehoerigkeit_1=" 475 ", art_deutsche_staatsangehoerigkeit=""),
    ]
    expected = _check(csv_text(*clean)).normalised
    for rows, text in [(spaced, csv_text(*spaced)), (spaced, csv_text(*spaced).replace(" 475 ", "\u00a0475\u2002"))]:
        path = tmp_path / "auszug.csv"
        path.write_bytes(text.encode("utf-8"))
        result = validate(read_extract(path, stream=True), STICHTAG, GEMEINDEN)
        assert result.counts == {} and result.normalised == expected, rows[-1]


def test_a_code_outside_its_list_is_reported_as_such_never_as_empty_or_silently_null() -> None:
    """The code columns are ENUMs of their code lists from the first pass on; a value outside its list keeps its
    text for the check, so it is reported as that code's error (not as a missing value), and the checked rows carry
    the ENUM types (1 byte per value)."""
    import duckdb

    from teilhabe.population.validation import CHECKED

    rows = [
        row("R02", wohnungsstatus="q"),
        row("R03", geschlecht="Q"),
        row("R04", art_deutsche_staatsangehoerigkeit="x", staatsangehoerigkeit_1="475"),
        row("R05", familienstand="zz"),
        row("R06", religion="ISLAM"),
        row("R07", wohnungsstatus="Q"),
        row("R07", wohnungsstatus="Z"),  # same key, two different invalid statuses: no duplicate
        row("R09", wohnungsstatus=" h ", geschlecht="W", familienstand="vh", religion="EV"),  # normalised, valid
    ]
    con = duckdb.connect()
    result = validate(read_extract(csv_text(*rows).encode()), STICHTAG, GEMEINDEN, connection=con, keep=True)
    assert sorted((p.row, p.column, p.code) for p in result.problems) == [
        (2, "wohnungsstatus", "E_WOHNUNGSSTATUS"),
        (3, "geschlecht", "E_GESCHLECHT"),
        (4, "art_deutsche_staatsangehoerigkeit", "E_ART_CODE"),
        (4, "art_deutsche_staatsangehoerigkeit", "E_ART_FOREIGNER"),
        (5, "familienstand", "E_FAMILIENSTAND"),
        (6, "religion", "E_RELIGION"),
        (7, "wohnungsstatus", "E_WOHNUNGSSTATUS"),
        (8, "wohnungsstatus", "E_WOHNUNGSSTATUS"),
    ]
    checked = con.execute(
        f"SELECT wohnungsstatus, geschlecht, familienstand, religion, typeof(geschlecht) FROM {CHECKED}"  # noqa: S608
    ).fetchall()
    assert checked == [("H", "w", "VH", "ev", "ENUM('m', 'w', 'd', 'x')")]


def test_a_two_digit_year_is_no_date_and_a_filler_year_is_an_error_never_a_65_plus_resident() -> None:
    """Excel writes "01.06.90"; read as the year 90 the person was counted among the 65+ (found by trying the
    product). Four-digit filler dates such as 0000-01-01 or 1800-01-01 are refused as implausible."""
    rows = [
        row("R02", geburtsdatum="01.06.90"),
        row("R03", geburtsdatum="90-06-01"),
        row("R04", geburtsdatum="0000-01-01"),
        row("R05", geburtsdatum="1800-01-01"),
        row("R06", zuzug_datum="15.3.05"),
        row("R07", geburtsdatum="1890-01-01", zuzug_datum="1889-12-31"),  # also before the birth
        row("R08", geburtsdatum="1890-01-01"),  # valid: the earliest accepted date
        row("R09", geburtsdatum="1.6.1990"),
    ]
    result = _check(csv_text(*rows))
    assert sorted((p.row, p.column, p.code) for p in result.problems) == [
        (2, "geburtsdatum", "E_DATE_FORMAT"),
        (3, "geburtsdatum", "E_DATE_FORMAT"),
        (4, "geburtsdatum", "E_DATE_RANGE"),
        (5, "geburtsdatum", "E_DATE_RANGE"),
        (6, "zuzug_datum", "E_DATE_FORMAT"),
        (7, "zuzug_datum", "E_DATE_RANGE"),
        (7, "zuzug_datum", "E_ZUZUG_BEFORE_BIRTH"),
    ]
    assert [r["geburtsdatum"] for r in result.normalised.to_pylist()] == [date(1890, 1, 1), date(1990, 6, 1)]


def test_a_column_named_twice_is_an_error_in_csv_and_workbook_not_a_silent_choice() -> None:
    """With "geschlecht" twice, which column holds the values is a guess; before, the first one silently won."""
    header = HEADER.replace("religion", "geschlecht")
    rows = [row("R02", religion="Q"), row("R03", religion="Q")]
    result = _check(csv_text(*rows, header=header))
    assert (1, "geschlecht", "E_COLUMN_DUPLICATE") in {(p.row, p.column, p.code) for p in result.problems}
    assert result.rows_valid == 0 and result.normalised is None
    assert "„geschlecht“ steht mehrfach in der Kopfzeile" in next(
        p.message for p in result.problems if p.code == "E_COLUMN_DUPLICATE"
    )
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header.split(";"))
    for text in rows:
        sheet.append(text.split(";"))
    buffer = io.BytesIO()
    workbook.save(buffer)
    result = validate(read_extract(buffer.getvalue(), "auszug.xlsx"), STICHTAG, GEMEINDEN)
    assert result.counts.get("E_COLUMN_DUPLICATE") == 1 and result.rows_valid == 0


def test_a_refused_file_says_why_once_in_the_message_not_in_the_column() -> None:
    result = _check(b"\x00\x01binary" * 200, "auszug.csv")
    (problem,) = result.problems
    assert problem.code == "E_FILE_REFUSED" and problem.column == "" and problem.row == 0
    assert problem.message.startswith("Die Datei wurde nicht angenommen. ") and problem.detail in problem.message


def test_contradictions_within_a_person_are_errors_not_double_counts() -> None:
    """A sole dwelling ("A") beside another dwelling of the same key counted the person twice (A and H both count);
    a move-in before birth and a person named as their own parent were accepted (found by trying the product)."""
    rows = [
        row("R02", wohnungsstatus="A"),
        row("R02", wohnungsstatus="H"),  # line 3
        row("R04", wohnungsstatus="A"),
        row("R04", wohnungsstatus="N"),  # line 5
        row("R06", wohnungsstatus="H"),
        row("R06", wohnungsstatus="N"),  # main and secondary dwelling: fine
        row("R08", geburtsdatum="2020-01-01", zuzug_datum="2010-05-05"),
        row("R09", elternteil_1="R09"),
        row("R10", elternteil_2="R10"),
        row("R11", wohnungsstatus="A"),
        row("R11", wohnungsstatus="A"),  # line 12: a duplicate, not also a conflict
    ]
    result = _check(csv_text(*rows))
    assert sorted((p.row, p.column, p.code) for p in result.problems) == [
        (2, "wohnungsstatus", "E_WOHNUNGSSTATUS_CONFLICT"),
        (3, "wohnungsstatus", "E_WOHNUNGSSTATUS_CONFLICT"),
        (4, "wohnungsstatus", "E_WOHNUNGSSTATUS_CONFLICT"),
        (5, "wohnungsstatus", "E_WOHNUNGSSTATUS_CONFLICT"),
        (8, "zuzug_datum", "E_ZUZUG_BEFORE_BIRTH"),
        (9, "elternteil_1", "E_PARENT_SELF"),
        (10, "elternteil_2", "E_PARENT_SELF"),
        (12, "ordnungsmerkmal", "E_DUPLICATE"),
    ]
    assert result.rows_valid == 3  # lines 6, 7, 11
