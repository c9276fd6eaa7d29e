"""Reading a register extract (CSV or XLSX). Django-free; nothing is stored here.

``read_extract`` turns the file (bytes of an upload, or the ``Path`` of a file on disk) into a table of
strings. The usual extract — plain ASCII text without control characters, no BOM — is streamed straight
through pyarrow's CSV reader in 16 MiB blocks, checked block by block; the file is never decoded to a Python
string. With ``stream=True`` (the import pipeline) such a file is not even collected into one table: the result
carries a ``pa.RecordBatchReader`` factory, and the query engine consumes the blocks one by one
(``validation.validate``), so the strings of the whole file never exist in Python memory at once.
Anything else (Windows-1252, UTF-16, umlauts, invisible or control characters, broken encodings) takes the
careful way through the shared reader ``teilhabe.lib.tabular``: decoding, per-line encoding verification,
delimiter detection, control-character cleaning and workbooks, with the same verdicts on the awkward-file
corpus as every other import. Both ways give the same table for the same file. ``validate`` (re-exported
from ``validation``) checks every row in DuckDB.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv

from teilhabe.lib import import_preview, tabular
from teilhabe.population.problems import ERROR, MESSAGES, REQUIRED, STATE_COLUMNS, WARNING, Problem
from teilhabe.population.validation import (
    Validation,
    date_columns_sql,
    date_parts_sql,
    date_sql,
    parsed_date_sql,
    validate,
)

__all__ = [
    "ERROR",
    "MESSAGES",
    "REQUIRED",
    "STATE_COLUMNS",
    "WARNING",
    "Problem",
    "ReadResult",
    "Validation",
    "date_columns_sql",
    "date_parts_sql",
    "date_sql",
    "extract_preview",
    "parsed_date_sql",
    "read_extract",
    "validate",
]

# Column → (German label, kind for the import preview; see ``import_preview.Field``).
_LABELS = {
    "ordnungsmerkmal": ("Ordnungsmerkmal (pseudonym)", "code"),
    "ags": ("Gemeindeschlüssel (AGS)", "code"),
    "planungsraum": ("Planungsraum (Schlüssel)", "code"),
    "wohnungsstatus": ("Wohnungsstatus", "code"),
    "geburtsdatum": ("Geburtsdatum", "date"),
    "geschlecht": ("Geschlecht", "code"),
    "staatsangehoerigkeit_1": ("Erste Staatsangehörigkeit", "code"),
    "staatsangehoerigkeit_2": ("Zweite Staatsangehörigkeit", "code"),
    "staatsangehoerigkeit_3": ("Dritte Staatsangehörigkeit", "code"),
    "art_deutsche_staatsangehoerigkeit": ("Art der deutschen Staatsangehörigkeit", "code"),
    "geburtsstaat": ("Geburtsstaat", "code"),
    "zuzug_datum": ("Zuzugsdatum", "date"),
    "zuzug_herkunft_staat": ("Herkunftsstaat bei Zuzug", "code"),
    "familienstand": ("Familienstand", "code"),
    "religion": ("Religion", "code"),
    "elternteil_1": ("Elternteil 1 (Ordnungsmerkmal)", "code"),
    "elternteil_2": ("Elternteil 2 (Ordnungsmerkmal)", "code"),
}
PREVIEW_FIELDS = tuple(
    import_preview.Field(n, label, (n,), kind, n in REQUIRED) for n, (label, kind) in _LABELS.items()
)
PREVIEW_SAMPLE_LINES = 1000


@dataclass
class ReadResult:
    table: pa.Table | None  # all columns as strings plus ``zeile`` (line number); None if streamed or unreadable
    file_format: str = "csv"
    encoding: str = ""
    delimiter: str = ""
    problems: list[Problem] = field(default_factory=list)  # of a streamed file: complete once it has been read
    stream: Callable[[], pa.RecordBatchReader] | None = None  # a fresh pass over a streamed file
    unreadable: bool = False  # a streamed file turned out not to be CSV after all (E_FILE_FORMAT)
    plain: bool = False  # read the fast way: printable ASCII text only (see ``_read_plain_csv``)
    spaced: bool = True  # of a plain file: whether it has a space character at all (without, no value needs trimming)

    def reader(self) -> pa.RecordBatchReader | None:
        """The rows as record batches (strings plus ``zeile``); None if the file could not be read."""
        if self.table is not None:
            return self.table.to_reader()
        return self.stream() if self.stream is not None else None


def read_extract(data: bytes | Path, filename: str = "", *, stream: bool = False) -> ReadResult:
    """Read an extract from its bytes or from a file on disk (``Path``; read in blocks, see module doc).
    ``stream``: a plain CSV file is not collected into ``table``; ``ReadResult.reader()`` yields its blocks."""
    from teilhabe.lib.uploads import UploadRefused, check_upload, check_upload_file

    path = data if isinstance(data, Path) else None
    if path is not None:
        filename = filename or path.name
        with path.open("rb") as handle:
            head = handle.read(4)
    else:
        assert isinstance(data, bytes)
        head = data[:4]
    workbook = head == b"PK\x03\x04" or filename.lower().endswith((".xlsx", ".xlsm", ".ods"))
    name = filename or ("auszug.xlsx" if head == b"PK\x03\x04" else "auszug.csv")
    try:  # size cap, claimed vs. real type, zip bombs — before anything is parsed
        if path is not None:
            check_upload_file(path, name, "register")
        else:
            check_upload(data, name, "register")  # type: ignore[arg-type]
    except UploadRefused as refused:
        return ReadResult(None, problems=[Problem(0, "", "E_FILE_REFUSED", str(refused))])
    if workbook:
        return _read_workbook(path.read_bytes() if path is not None else data, filename)  # type: ignore[arg-type]
    if path is not None:
        return _read_plain_csv(path, stream=stream) or _read_csv(path.read_bytes())
    assert isinstance(data, bytes)
    return _read_plain_csv(data, stream=stream) or _read_csv(data)


# Printable ASCII, tab and line ends: a file of only these needs no decoding and no cleaning.
_PLAIN = bytes(range(0x20, 0x7F)) + b"\t\n\r"
BLOCK = 1 << 24
STREAM_BLOCK = 1 << 22  # streamed: 4 MiB pieces keep pyarrow's share of the import near 20 MB instead of ~70 MB


def _plain_scan(source: bytes | Path) -> tuple[bool, bool]:
    """(plain, spaced): whether the file is plain ASCII text, and if so whether it has a space character anywhere
    (checked in ``BLOCK``-sized pieces; about 0.1 s CPU per 50 MB)."""
    if isinstance(source, bytes):
        plain = source.isascii() and not source.translate(None, _PLAIN)
        return plain, plain and b" " in source
    spaced = False
    with source.open("rb") as handle:
        while chunk := handle.read(BLOCK):
            if not chunk.isascii() or chunk.translate(None, _PLAIN):
                return False, False
            spaced = spaced or b" " in chunk
    return True, spaced


def _read_plain_csv(source: bytes | Path, *, stream: bool = False) -> ReadResult | None:
    """The fast way for plain ASCII text (see module doc); ``None`` if the file needs the careful way.
    pyarrow reads the file itself, in ``BLOCK``-sized pieces (a file on disk is not loaded whole)."""
    if isinstance(source, bytes):
        head = source[:65536]
    else:
        with source.open("rb") as handle:
            head = handle.read(65536)
    first_line = head.replace(b"\r", b"\n").split(b"\n", 1)[0]
    if not head.strip() or not first_line.strip():
        return None
    plain, spaced = _plain_scan(source)
    if not plain:
        return None
    header = first_line.decode("ascii")
    delimiter = tabular.sniff_delimiter(header)
    if stream:
        try:  # opening parses the first block: a file pyarrow cannot read at all takes the careful way
            first = _stream(source, header, delimiter)
        except (pa.ArrowInvalid, UnicodeDecodeError):
            return None
        result = ReadResult(None, "csv", "UTF-8", delimiter, plain=True, spaced=spaced)
        opened = [first]  # the first pass uses the reader opened here, later passes open the file again

        def reader() -> pa.RecordBatchReader:
            make = opened.pop() if opened else _stream(source, header, delimiter)
            return make(result)

        result.stream = reader
        return result
    skipped: list[int] = []
    try:
        with _open(source) as opened:
            table = _csv_reader(opened, header, delimiter, skipped).read_all()
    except (pa.ArrowInvalid, UnicodeDecodeError):
        return None
    result = _with_lines(table, skipped, "UTF-8", delimiter)
    result.plain, result.spaced = True, spaced
    return result


def _open(source: bytes | Path) -> pa.NativeFile:
    return pa.BufferReader(source) if isinstance(source, bytes) else pa.OSFile(str(source))


def _stream(source: bytes | Path, header: str, delimiter: str) -> Callable[[ReadResult], pa.RecordBatchReader]:
    """One pass over a plain CSV file as record batches with ``zeile``, numbered exactly as ``_with_lines``
    numbers the whole table: the i-th row gets the i-th line number from 2 on that is not a skipped line
    (a skipped line always lies behind the rows read before it, so the numbers known so far suffice). When
    the pass ends, the result's ``problems`` hold the skipped lines (E_ROW_COLUMNS); a parse error half-way
    sets its ``unreadable``. The file is opened (and its first block parsed) here, read when consumed."""
    skipped: list[int] = []
    opened = _open(source)
    try:
        reader = _csv_reader(opened, header, delimiter, skipped, STREAM_BLOCK)
    except BaseException:
        opened.close()
        raise
    names = [name.strip().strip('"').lower() for name in reader.schema.names]
    schema = pa.schema([*(pa.field(name, pa.string()) for name in names), pa.field("zeile", pa.int64())])

    def batches(result: ReadResult) -> Iterator[pa.RecordBatch]:
        next_line = 2
        try:
            for batch in reader:
                count = batch.num_rows
                ahead = [line for line in skipped if line >= next_line]
                lines = np.arange(next_line, next_line + count + len(ahead))
                if ahead:
                    lines = lines[~np.isin(lines, ahead)]
                lines = lines[:count]
                if count:
                    next_line = int(lines[-1]) + 1
                yield pa.RecordBatch.from_arrays([*batch.columns, _int64(lines)], schema=schema)
        except (pa.ArrowInvalid, UnicodeDecodeError):
            result.unreadable = True
        finally:
            opened.close()
            result.problems = [Problem(number, "", "E_ROW_COLUMNS") for number in skipped]

    return lambda result: pa.RecordBatchReader.from_batches(schema, batches(result))


def _int64(values: np.ndarray) -> pa.Array:
    """An int64 Arrow array over the NumPy integers, zero-copy; unlike ``pa.array`` this does not make pyarrow
    import pandas (~0.4 s on every CLI run)."""
    values = np.ascontiguousarray(values, dtype=np.int64)
    return pa.Array.from_buffers(pa.int64(), len(values), [None, pa.py_buffer(values)])


def _csv_reader(
    source: pa.NativeFile | io.BytesIO, header: str, delimiter: str, skipped: list[int], block: int = BLOCK
) -> pacsv.CSVStreamingReader:
    """pyarrow's streaming CSV reader, every column a string; lines with the wrong number of fields are
    left out and their line numbers appended to ``skipped``."""

    def on_invalid(row: pacsv.InvalidRow) -> str:
        skipped.append(row.number or 0)
        return "skip"

    return pacsv.open_csv(
        source,
        read_options=pacsv.ReadOptions(use_threads=False, block_size=block),
        parse_options=pacsv.ParseOptions(delimiter=delimiter, invalid_row_handler=on_invalid, newlines_in_values=False),
        convert_options=pacsv.ConvertOptions(
            strings_can_be_null=False,
            quoted_strings_can_be_null=False,
            column_types=_all_strings(header, delimiter),
        ),
    )


def _with_lines(table: pa.Table, skipped: list[int], encoding: str, delimiter: str) -> ReadResult:
    table = _clean_names(table)
    # Line numbers of the parsed rows: the skipped lines are left out of the table.
    lines = np.arange(2, 2 + table.num_rows + len(skipped))
    if skipped:
        lines = lines[~np.isin(lines, skipped)]
    table = table.append_column("zeile", _int64(lines[: table.num_rows]))
    problems = [Problem(number, "", "E_ROW_COLUMNS") for number in skipped]
    return ReadResult(table, "csv", encoding, delimiter, problems)


def extract_preview(data: bytes, filename: str, *, encoding: str = "", rows_total: int = 0) -> import_preview.Preview:
    """How the columns of a (staged) extract are read. Extracts have 100,000+ rows: the columns are described
    from the first ``PREVIEW_SAMPLE_LINES`` lines of a CSV; ``encoding`` and ``rows_total`` come from the
    check of the whole file (``RegisterImport``)."""
    if not data.startswith((b"PK", b"\xff\xfe", b"\xfe\xff")):
        data = b"\n".join(data.split(b"\n", PREVIEW_SAMPLE_LINES + 1)[: PREVIEW_SAMPLE_LINES + 1])
    table = tabular.read(data, filename)
    table.encoding = encoding or table.encoding
    result = import_preview.preview(table, PREVIEW_FIELDS)
    result.rows_total = rows_total or result.rows_total
    return result


def _read_problems(problems: list[tabular.ReadProblem]) -> list[Problem]:
    codes_ = {"E_FILE_EMPTY", "E_FILE_FORMAT", "E_ENCODING_MIXED", "E_ENCODING_ROW"}
    return [
        Problem(
            p.line,
            "",
            p.code if p.code in codes_ else "E_FILE_ENCODING",
            p.message if p.code.startswith("E_ENCODING") else "",
        )
        for p in problems
    ]


def _read_csv(data: bytes) -> ReadResult:
    if not data.strip():
        return ReadResult(None, problems=[Problem(0, "", "E_FILE_EMPTY")])
    decoded = tabular.decode(data)
    if decoded.problems:
        return ReadResult(None, encoding=decoded.encoding, problems=_read_problems(decoded.problems))
    text, encoding = tabular.clean_text(decoded.text), decoded.encoding
    header = text.split("\n", 1)[0]
    if not header.strip():
        return ReadResult(None, encoding=encoding, problems=[Problem(0, "", "E_FILE_EMPTY")])
    delimiter = tabular.sniff_delimiter(header)
    skipped: list[int] = []
    try:
        table = _csv_reader(io.BytesIO(text.encode("utf-8")), header, delimiter, skipped).read_all()
    except (pa.ArrowInvalid, UnicodeDecodeError):
        return ReadResult(None, encoding=encoding, delimiter=delimiter, problems=[Problem(0, "", "E_FILE_FORMAT")])
    return _with_lines(table, skipped, encoding, delimiter)


def _all_strings(header: str, delimiter: str) -> dict[str, pa.DataType]:
    names = [name.strip().strip('"') for name in header.rstrip("\r").split(delimiter)]
    return {name: pa.string() for name in names}


def _clean_names(table: pa.Table) -> pa.Table:
    return table.rename_columns([name.strip().strip('"').lower() for name in table.column_names])


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _read_workbook(data: bytes, filename: str) -> ReadResult:
    read = tabular.read(data, filename)
    if read.problems:
        return ReadResult(None, read.file_format.lower() or "xlsx", problems=_read_problems(read.problems))
    (_header_line, header), body = read.rows[0], read.rows[1:]
    names = [_cell(v).strip().lower() for v in header]
    kept = [(i, name) for i, name in enumerate(names) if name]  # a name twice stays twice (E_COLUMN_DUPLICATE)
    arrays = [
        pa.array([_cell(row[i]) if i < len(row) else "" for _line, row in body], type=pa.string()) for i, _ in kept
    ]
    table = pa.Table.from_arrays(arrays, names=[name for _, name in kept]) if kept else pa.table({})
    table = table.append_column("zeile", pa.array([line for line, _row in body], type=pa.int64()))
    return ReadResult(table, read.file_format.lower())
