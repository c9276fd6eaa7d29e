"""The shared reader: number rule, per-line encoding verification, cleaning; export → import round trips."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from teilhabe.lib.exports import Sheet, csv_bytes, xlsx_bytes
from teilhabe.lib.tabular import NumberError, clean_text, decode, parse_number, read, suggest


@pytest.mark.parametrize(
    ("raw", "integer", "expected"),
    [
        ("1.234", True, 1234),
        ("1.234,5", False, Decimal("1234.5")),
        ("1,234.5", False, Decimal("1234.5")),
        ("1.234.567", True, 1234567),
        ("1 234", True, 1234),
        ("1\u202f234,5", False, Decimal("1234.5")),
        ("12,5", False, Decimal("12.5")),
        ("0,75", False, Decimal("0.75")),
        ("1,234", False, Decimal("1.234")),
        ("−3", True, -3),
        (1234.0, True, 1234),
    ],
)
def test_number_rule(raw: object, integer: bool, expected: object) -> None:
    assert parse_number(raw, integer=integer) == expected


@pytest.mark.parametrize(
    ("raw", "integer", "message"),
    [
        ("1,234", True, "mehrdeutig"),
        ("1.234", False, "mehrdeutig"),
        ("12,5", True, "keine ganze Zahl"),
        (12.5, True, "keine ganze Zahl"),
        ("nan", False, "keine endliche Zahl"),
        (float("nan"), False, "keine endliche Zahl"),
        ("inf", False, "keine endliche Zahl"),
        ("#DIV/0!", True, "Excel-Fehlerwert"),
        ("#WERT!", True, "Excel-Fehlerwert"),
        ("#NV", True, "Excel-Fehlerwert"),
        ("#N/A", True, "Excel-Fehlerwert"),
        ("1.2.3", False, "keine lesbare Zahl"),
        ("", False, "fehlt"),
    ],
)
def test_number_errors_say_how_to_fix(raw: object, integer: bool, message: str) -> None:
    with pytest.raises(NumberError, match=message):
        parse_number(raw, integer=integer)


def test_mixed_encoding_names_the_line() -> None:
    data = "a;b\nSüd;1\n".encode() + "Süd;2\n".encode("cp1252")
    decoded = decode(data)
    assert [(p.line, p.code) for p in decoded.problems] == [(0, "E_ENCODING_MIXED"), (3, "E_ENCODING_ROW")]


def test_excel_unicode_text_is_utf16_tab() -> None:
    table = read(("\ufeffname\twert\nSprachcafé\t1\n").encode("utf-16-le"), "liste.txt")
    assert table.ok and table.encoding == "UTF-16" and table.delimiter == "\t"
    assert table.rows[1] == (2, ["Sprachcafé", "1"]) and table.label == "CSV (UTF-16, Tabulator)"


def test_clean_text_removes_controls_and_bidi_but_keeps_zwnj() -> None:
    assert clean_text("a\x0bb\u202ec\u202c\u200bd\x07") == "abcd"
    assert clean_text("می\u200cخواهم") == "می\u200cخواهم"  # Persian needs ZWNJ


def test_suggest_finds_code_for_name() -> None:
    assert suggest("Süd", {"01": "Süd", "02": "Nord"}) == " Meinten Sie „01“ (Süd)?"
    assert suggest("zzz", {"01": "Süd"}) == ""


cells = st.one_of(
    st.integers(min_value=-(10**12), max_value=10**12),
    st.decimals(min_value=-(10**9), max_value=10**9, places=3, allow_nan=False, allow_infinity=False),
    st.text(
        alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Cf", "Zl", "Zp")), min_size=1, max_size=20
    ).filter(lambda t: t.strip() == t and not t.startswith(("=", "+", "-", "@", "'"))),
)


@settings(max_examples=40, deadline=None)
@given(
    rows=st.lists(st.lists(cells, min_size=2, max_size=2), min_size=1, max_size=5),
    fmt=st.sampled_from(["de", "int", "xlsx"]),
)
def test_round_trip_export_then_import(rows: list[list[object]], fmt: str) -> None:
    header = ["spalte_a", "spalte_b"]
    if fmt == "xlsx":
        data, name = xlsx_bytes([Sheet("Daten", header, rows)]), "a.xlsx"
    else:
        data, name = csv_bytes(header, rows, international=fmt == "int"), "a.csv"
    table = read(data, name)
    assert table.ok, table.problems
    back = [cells for _line, cells in table.rows[1:]]
    assert len(back) == len(rows)
    for original, read_back in zip(rows, back, strict=True):
        for value, cell in zip(original, read_back, strict=True):
            if isinstance(value, str):
                assert str(cell) == clean_text(value).strip() or str(cell) == clean_text(value)
            elif fmt == "int" and isinstance(cell, str):
                # international CSV: decimal point, no grouping; the German rule reads it unless ambiguous
                assert Decimal(cell) == Decimal(str(value))
            else:
                assert Decimal(str(parse_number(cell, integer=isinstance(value, int)))) == Decimal(str(value))
