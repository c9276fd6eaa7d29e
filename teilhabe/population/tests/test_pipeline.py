# ruff: noqa: S608 - the SQL text interpolates only the expressions under test
"""The fast import pipeline gives exactly the results of the straightforward one (issue 17): keyed pseudonyms
computed in DuckDB, one-pass dates, the streamed CSV read, lazy demo imports and German CLI messages."""

from __future__ import annotations

import hashlib
import hmac
import threading
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from teilhabe.population import importer, store
from teilhabe.population.tests.helpers import AGS, HEADER, csv_text, row

# The date rule before issue 17, kept as the reference the one-pass parser must agree with, for a four-digit
# year (a shorter one is no date since the two-digit years of Excel exports were read as the year 90).
OLD_DATE = (
    "CASE WHEN regexp_full_match(trim(v), '\\d{{4}}-.*|\\d{{1,2}}\\.\\d{{1,2}}\\.\\d{{4}}') "
    "THEN try_strptime(trim(v), {formats})::DATE END"
)
OLD_FORMATS = {True: "['%Y-%m-%d', '%d.%m.%Y', '%Y-%m']", False: "['%Y-%m-%d', '%d.%m.%Y']"}
DATE_TEXT = st.one_of(
    st.text(alphabet="0123456789-. /T+x", max_size=12),
    st.builds(
        lambda y, m, d, iso, pad: f"{y}-{m:0{pad}d}-{d:0{pad}d}" if iso else f"{d:0{pad}d}.{m:0{pad}d}.{y}",
        st.integers(0, 99999),
        st.integers(0, 13),
        st.integers(0, 32),
        st.booleans(),
        st.integers(1, 3),
    ),
    st.builds(lambda y, m: f"{y}-{m}", st.integers(0, 99999), st.integers(0, 13)),
)


@hypothesis_settings(max_examples=60, deadline=None)
@given(st.lists(DATE_TEXT, min_size=1, max_size=40))
def test_one_pass_dates_agree_with_the_strptime_list(values: list[str]) -> None:
    con = duckdb.connect()
    con.register("t", pa.table({"v": pa.array(values, pa.string())}))
    for month_only in (True, False):
        rows = con.execute(
            f"SELECT v, {OLD_DATE.format(formats=OLD_FORMATS[month_only])} AS old, "
            f"{importer.parsed_date_sql('d', month_only)} AS new "
            f"FROM (SELECT v, {importer.date_columns_sql('v', 'd')} FROM t)"
        ).fetchall()
        assert [(v, old) for v, old, _new in rows] == [(v, new) for v, _old, new in rows]


def _old_pseudonyms(values: list[str | None], key: bytes) -> list[str | None]:
    """The pseudonyms as computed before issue 17: Python's hmac, one value at a time."""
    return [None if v is None else hmac.new(key, v.encode("utf-8"), hashlib.sha256).hexdigest()[:32] for v in values]


@hypothesis_settings(max_examples=40, deadline=None)
@given(
    st.lists(st.one_of(st.none(), st.text(max_size=45)), min_size=1, max_size=30),
    st.binary(min_size=1, max_size=100),
)
def test_pseudonyms_in_duckdb_equal_python_hmac(values: list[str | None], key: bytes) -> None:
    values = [v.replace("\x00", "") if v is not None else None for v in values]  # keys never contain NUL
    pseudonymiser = store.Pseudonymiser(key)
    (bulk,) = pseudonymiser.columns([pa.chunked_array([pa.array(values, pa.string())])])
    assert bulk.to_pylist() == _old_pseudonyms(values, key)
    assert [pseudonymiser.one(v) if v is not None else None for v in values] == _old_pseudonyms(values, key)


def test_stored_file_has_the_same_pseudonyms_and_columns(tmp_path: Path) -> None:
    from teilhabe.population.derivation import derive, input_table

    persons = input_table(
        [
            {"ordnungsmerkmal": "P1", "ags": AGS, "wohnungsstatus": "H", "geburtsdatum": date(2010, 5, 1),
             "geschlecht": "w", "staatsangehoerigkeit_1": "475", "zuzug_datum": date(2016, 3, 1),
             "zuzug_herkunft_staat": "475", "elternteil_1": "P2"},
            {"ordnungsmerkmal": "P2", "ags": AGS, "wohnungsstatus": "H", "geburtsdatum": date(1980, 1, 1),
             "geschlecht": "m", "staatsangehoerigkeit_1": "475"},
        ]
    )  # fmt: skip
    derived = derive(persons, date(2025, 12, 31))
    store.write_store(derived, "schluessel", tmp_path / "s.parquet")
    written = store.read(tmp_path / "s.parquet")
    assert written.equals(store.store_table(derived, "schluessel"))
    assert written.column("pseudonym").to_pylist() == _old_pseudonyms(["P1", "P2"], b"schluessel")
    assert written.column("elternteil_1_pseudonym").to_pylist() == _old_pseudonyms(["P2", None], b"schluessel")
    assert written.column("zuzug_jahr").to_pylist() == [2016, None]
    assert not {"ordnungsmerkmal", "geburtsdatum", "zuzug_datum", "elternteil_1"} & set(written.column_names)
    # Code columns are written as ENUMs and read back as the same strings; the file records them dictionary-encoded.
    metadata = pq.ParquetFile(tmp_path / "s.parquet").metadata.row_group(0)
    nationality = written.column_names.index("staatsangehoerigkeit_1")
    assert "RLE_DICTIONARY" in metadata.column(nationality).encodings
    assert written.column("staatsangehoerigkeit_1").to_pylist() == ["475", "475"]


def test_a_code_outside_its_list_stops_the_store_instead_of_storing_null(tmp_path: Path) -> None:
    from teilhabe.population.derivation import derive, input_table

    persons = input_table([{"ordnungsmerkmal": "P1", "ags": AGS, "wohnungsstatus": "H", "religion": "jedi"}])
    with pytest.raises(duckdb.ConversionException):
        store.write_store(derive(persons, date(2025, 12, 31)), "schluessel", tmp_path / "s.parquet")


@pytest.mark.parametrize(
    "text",
    [
        csv_text(row("P1"), row("P2", geburtsdatum="01.02.1990")),
        csv_text(row("P1"), "kurz;zeile", "", row("P2")).replace("\n", "\r\n"),
        csv_text(row("P1"), row("P2")).replace("\n", "\r"),
        csv_text(row("P1"), '"P;2";x', row("P3", planungsraum='"A 1"')),
        csv_text(row("P1")).replace(";", ","),
    ],
)
def test_streamed_read_equals_the_careful_read(text: str, tmp_path: Path) -> None:
    data = text.encode("ascii")
    path = tmp_path / "auszug.csv"
    path.write_bytes(data)
    careful = importer._read_csv(data)
    for source in (data, path):
        streamed = importer.read_extract(source)
        assert importer._read_plain_csv(source) is not None  # the fast way was taken
        assert streamed.table is not None and careful.table is not None
        assert streamed.table.equals(careful.table)
        assert (streamed.encoding, streamed.delimiter, streamed.problems) == (
            careful.encoding,
            careful.delimiter,
            careful.problems,
        )


def test_files_that_need_cleaning_take_the_careful_way() -> None:
    for text in ["a;b\n1;\u00e4\n", "a;b\n1;x\x07\n", "\ufeffa;b\n1;2\n"]:
        assert importer._read_plain_csv(text.encode("utf-8")) is None
    assert importer._read_plain_csv("a;b\n1;\u00e4\n".encode("cp1252")) is None


def test_django_setup_imports_no_demo_module() -> None:
    """Management commands start fast: apps register their demo builders by dotted path only."""
    from teilhabe.core import demo

    builders = dict(demo._BUILDERS)
    assert builders["population"] == "teilhabe.population.demo.build_demo"
    assert all(isinstance(builders[app], str) for app in ("surveys", "registry", "indicators", "reports"))


def test_import_path_does_not_import_pandas(tmp_path: Path) -> None:
    """pyarrow imports pandas (~0.4 s, ~60 MB) the first time it converts Python or NumPy data; the import path
    (streamed read, validation with its lookup tables, derivation, store) must not trigger that (decision 0172).
    Runs in a fresh interpreter: other tests import pandas in this one."""
    import subprocess
    import sys

    path = tmp_path / "auszug.csv"
    path.write_text(csv_text(row("1"), row("2", staatsangehoerigkeit_1="Syrien"), row("3", planungsraum="X")))
    script = f"""
import sys
from datetime import date
from pathlib import Path
from teilhabe.population import engine, store
from teilhabe.population.derivation import derivation_sql
from teilhabe.population.importer import read_extract, validate
con = engine.connect(64)
read = read_extract(Path({str(path)!r}), "auszug.csv", stream=True)
result = validate(read, date(2025, 12, 31), {{{AGS!r}}}, planungsraeume={{{AGS!r}: {{"1": "Mitte"}}}},
                  connection=con, keep=True)
assert result.counts.get("E_STATE_UNKNOWN") == 1 and result.counts.get("E_PLANUNGSRAUM_UNKNOWN") == 1, result.counts
derived = f"({{derivation_sql('checked')}})"
columns = con.sql(f"SELECT * FROM {{derived}} LIMIT 0", params={{"stichtag": date(2025, 12, 31)}}).columns
store.copy_store(con, derived, columns, "k", Path({str(tmp_path / "s.parquet")!r}), params={{"stichtag": date(2025, 12, 31)}})
assert "pandas" not in sys.modules, "pandas was imported"
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr[-2000:]


def test_temp_table_holds_the_lists_and_empty_lists() -> None:
    from teilhabe.population.engine import temp_table

    con = duckdb.connect()
    temp_table(con, "t", {"a": ["x", "y"], "b": ["1", ""]})
    assert con.execute("SELECT a, b FROM t ORDER BY a").fetchall() == [("x", "1"), ("y", "")]
    temp_table(con, "t", {"a": [], "b": []})
    assert con.execute("SELECT count(*), typeof(any_value(a)) FROM t").fetchall()[0][0] == 0
    assert [c[1] for c in con.execute("DESCRIBE t").fetchall()] == ["VARCHAR", "VARCHAR"]


@pytest.mark.usefixtures("regions")
def test_cli_prints_the_german_messages_of_the_report(personas: Any, tmp_path: Path) -> None:
    from io import StringIO

    from django.core.management import call_command

    path = tmp_path / "auszug.csv"
    path.write_text(csv_text(row("P1"), row("P2", geburtsdatum="31.02.1990")), encoding="utf-8")
    out = StringIO()
    call_command("import_register", str(path), "--stichtag", "2025-12-31", "--dry-run", stdout=out)
    text = out.getvalue()
    message = (
        "„geburtsdatum“ ist kein gültiges Datum (TT.MM.JJJJ oder JJJJ-MM-TT mit vierstelligem Jahr; "
        "beim Geburtsdatum auch JJJJ-MM)."
    )
    assert f"Zeile 3, geburtsdatum: Fehler – {message} [E_DATE_FORMAT]" in text
    assert "1× Fehler: „…“ ist kein gültiges Datum" in text


STREAM_CASES = [
    csv_text(row("P1"), row("P2", geburtsdatum="01.02.1990", elternteil_1="P1"), row("P3", elternteil_2="X")),
    csv_text(row("P1"), "kurz;zeile", "", row("P2"), "a;b;c", row("P1"), row("P4", geburtsdatum="2030-01-01")),
    csv_text(row("P1"), row("P2", geschlecht="q", staatsangehoerigkeit_1="Syrien")).replace("\n", "\r\n"),
    csv_text(row("P1"), header=HEADER.replace(";religion", ";konfession")),
    csv_text(row("P1"), header=HEADER.replace("geschlecht;", "sex;")),
    csv_text(),
]


@pytest.mark.parametrize("text", STREAM_CASES)
def test_streamed_validation_equals_the_validation_of_the_whole_table(text: str, tmp_path: Path) -> None:
    """The pipeline's way (blocks streamed into DuckDB, checked rows kept there) gives the same report and
    the same checked rows as validating the whole table, also with skipped lines across several blocks."""
    from teilhabe.population import validation

    path = tmp_path / "auszug.csv"
    path.write_bytes(text.encode("ascii"))
    gemeinden = {AGS}
    whole = importer.validate(importer.read_extract(path), date(2025, 12, 31), gemeinden)
    con = duckdb.connect()
    streamed = importer.validate(
        importer.read_extract(path, stream=True), date(2025, 12, 31), gemeinden, connection=con, keep=True
    )
    for field in ("problems", "counts", "rows_total", "invalid_rows"):
        assert getattr(streamed, field) == getattr(whole, field), field
    assert streamed.normalised is None
    if whole.normalised is None or whole.rows_valid == 0:
        assert not con.execute("SELECT * FROM duckdb_views() WHERE view_name = 'checked'").fetchall()
    else:
        kept = con.sql(f"SELECT * FROM {validation.CHECKED} ORDER BY zeile").to_arrow_table()
        assert kept.cast(whole.normalised.schema).equals(whole.normalised)


def test_stream_numbers_lines_across_blocks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(importer, "STREAM_BLOCK", 600)  # a few rows per block
    lines = [row(f"P{i}") if i % 7 else "kurz;zeile" for i in range(1, 60)]
    path = tmp_path / "auszug.csv"
    path.write_bytes(csv_text(*lines).encode("ascii"))
    whole = importer.read_extract(path)
    streamed = importer.read_extract(path, stream=True)
    reader = streamed.reader()
    assert reader is not None
    assert reader.read_all().equals(whole.table)
    assert streamed.problems == whole.problems and len(whole.problems) == 8


def test_prefetched_items_come_in_order_and_the_next_is_read_while_this_one_is_used() -> None:
    from teilhabe.population.engine import prefetched

    second_read = threading.Event()

    def chunks() -> Iterator[int]:
        yield 1
        second_read.set()
        yield 2

    items = prefetched(chunks())
    assert next(items) == 1
    assert second_read.wait(timeout=30)  # produced before the caller asked for it (never set without a thread)
    assert list(items) == [2]


def test_a_read_error_surfaces_at_its_place_and_an_early_stop_closes_the_source() -> None:
    from teilhabe.population.engine import prefetched

    def failing() -> Iterator[int]:
        yield 1
        raise ValueError("Zeile 2 unlesbar")

    seen: list[int] = []
    with pytest.raises(ValueError, match="Zeile 2"):
        for item in prefetched(failing()):
            seen.append(item)
    assert seen == [1]

    closed = threading.Event()

    def endless() -> Iterator[int]:
        try:
            n = 0
            while True:
                n += 1
                yield n
        finally:
            closed.set()

    items = prefetched(endless())
    assert next(items) == 1
    items.close()  # the load stopped (an error in the engine): the file is closed, no thread is left reading
    assert closed.is_set()
