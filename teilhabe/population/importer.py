# ruff: noqa: S608 - SQL text here interpolates only our own column names and code lists; values are parameters
"""Reading and validating a register extract (CSV or XLSX). Django-free; nothing is stored here.

``read_extract`` turns the file (bytes of an upload, or the ``Path`` of a file on disk) into a table of
strings. The usual extract — plain ASCII text without control characters, no BOM — is streamed straight
through pyarrow's CSV reader in 16 MiB blocks, checked block by block; the file is never decoded to a Python
string. Anything else (Windows-1252, UTF-16, umlauts, invisible or control characters, broken encodings)
takes the careful way through the shared reader ``teilhabe.lib.tabular``: decoding, per-line encoding
verification, delimiter detection, control-character cleaning and workbooks, with the same verdicts on the
awkward-file corpus as every other import. Both ways give the same table for the same file.
``validate`` checks every row in DuckDB and returns every problem with row, column, stable code and a
German message, plus the normalised typed table that ``derivation.derive`` expects.
"""

from __future__ import annotations

import contextlib
import io
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv

from teilhabe.lib import import_preview, tabular
from teilhabe.population import codes
from teilhabe.population.derivation import INPUT_COLUMNS

REQUIRED = [
    "ordnungsmerkmal",
    "ags",
    "wohnungsstatus",
    "geburtsdatum",
    "geschlecht",
    "staatsangehoerigkeit_1",
]
STATE_COLUMNS = [
    "staatsangehoerigkeit_1",
    "staatsangehoerigkeit_2",
    "staatsangehoerigkeit_3",
    "geburtsstaat",
    "zuzug_herkunft_staat",
]
ERROR, WARNING = "error", "warning"
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
PREVIEW_FIELDS = tuple(import_preview.Field(n, label, (n,), kind, n in REQUIRED) for n, (label, kind) in _LABELS.items())
PREVIEW_SAMPLE_LINES = 1000

# Stable codes → (severity, German message; {column} is filled in).
MESSAGES: dict[str, tuple[str, str]] = {
    "E_FILE_EMPTY": (ERROR, "Die Datei ist leer oder hat keine Kopfzeile."),
    "E_FILE_REFUSED": (ERROR, "{column}"),
    "E_FILE_FORMAT": (ERROR, "Die Datei ist weder eine lesbare CSV- noch eine XLSX-Datei."),
    "E_FILE_ENCODING": (ERROR, "Die Zeichenkodierung ist weder UTF-8, UTF-16 noch Windows-1252."),
    "E_ENCODING_MIXED": (ERROR, "Die Datei mischt Zeichenkodierungen."),
    "E_ENCODING_ROW": (ERROR, "Die Zeile lässt sich in der Zeichenkodierung der Datei nicht lesen."),
    "E_NO_ROWS": (ERROR, "Die Datei enthält nur die Kopfzeile, keine Datenzeilen."),
    "E_COLUMN_MISSING": (ERROR, "Pflichtspalte „{column}“ fehlt in der Kopfzeile."),
    "W_COLUMN_UNKNOWN": (WARNING, "Unbekannte Spalte „{column}“ wird ignoriert."),
    "E_ROW_COLUMNS": (ERROR, "Die Zeile hat nicht die Spaltenzahl der Kopfzeile."),
    "E_REQUIRED": (ERROR, "Pflichtfeld „{column}“ ist leer."),
    "E_KEY_LENGTH": (ERROR, "„{column}“ ist länger als 40 Zeichen."),
    "E_AGS_FORMAT": (ERROR, "„{column}“ ist kein 8-stelliger Amtlicher Gemeindeschlüssel."),
    "E_AGS_OUTSIDE": (ERROR, "Der Gemeindeschlüssel gehört zu keiner Gemeinde des Kreises."),
    "E_WOHNUNGSSTATUS": (ERROR, "Wohnungsstatus muss H, N oder A sein."),
    "E_GESCHLECHT": (ERROR, "Geschlecht muss m, w, d oder x sein."),
    "E_DATE_FORMAT": (ERROR, "„{column}“ ist kein gültiges Datum (JJJJ-MM-TT, JJJJ-MM oder TT.MM.JJJJ)."),
    "E_DATE_FUTURE": (ERROR, "„{column}“ liegt nach dem Stichtag."),
    "E_ZUZUG_AFTER_STICHTAG": (ERROR, "Das Zuzugsdatum liegt nach dem Stichtag."),
    "E_STATE_UNKNOWN": (ERROR, "„{column}“ ist kein bekannter Staatsschlüssel (3-stellig oder ISO 3166)."),
    "E_ART_CODE": (ERROR, "Art der deutschen Staatsangehörigkeit muss G, E, O oder S sein."),
    "E_ART_FOREIGNER": (
        ERROR,
        "Art der deutschen Staatsangehörigkeit ist angegeben, die Person ist aber nicht deutsch.",
    ),
    "E_FAMILIENSTAND": (ERROR, "Familienstand muss LD, VH, VW, GS, LP oder NB sein."),
    "E_RELIGION": (ERROR, "Religion muss ev, rk, sonstige oder keine sein."),
    "E_DUPLICATE": (ERROR, "Ordnungsmerkmal und Wohnungsstatus kommen mehrfach vor."),
    "W_PARENT_UNKNOWN": (WARNING, "„{column}“ verweist auf keine Person im Auszug."),
    "E_PLANUNGSRAUM_UNKNOWN": (ERROR, "Der Planungsraum ist für diese Gemeinde nicht definiert."),
    "W_PLANUNGSRAUM_UNDEFINED": (
        WARNING,
        "Für diese Gemeinde sind keine Planungsräume definiert; der Schlüssel wird ungeprüft übernommen.",
    ),
}


@dataclass(frozen=True)
class Problem:
    row: int  # line in the file (header = 1); 0 for problems of the whole file
    column: str
    code: str
    detail: str = ""  # the specific explanation (e.g. a "did you mean"), appended to the message

    @property
    def severity(self) -> str:
        return MESSAGES[self.code][0]

    @property
    def message(self) -> str:
        return " ".join(filter(None, [MESSAGES[self.code][1].format(column=self.column), self.detail]))


@dataclass
class ReadResult:
    table: pa.Table | None  # all columns as strings plus ``zeile`` (line number)
    file_format: str = "csv"
    encoding: str = ""
    delimiter: str = ""
    problems: list[Problem] = field(default_factory=list)


@dataclass
class Validation:
    normalised: pa.Table | None  # typed rows without errors, INPUT_COLUMNS order (+ zeile)
    problems: list[Problem]  # at most ``limit`` problems, ordered by row
    counts: dict[str, int]  # all problems per code
    rows_total: int
    invalid_rows: list[int]  # line numbers with at least one error

    @property
    def error_count(self) -> int:
        return sum(n for code, n in self.counts.items() if MESSAGES[code][0] == ERROR)

    @property
    def warning_count(self) -> int:
        return sum(n for code, n in self.counts.items() if MESSAGES[code][0] == WARNING)

    @property
    def rows_valid(self) -> int:
        return self.rows_total - len(self.invalid_rows)


def read_extract(data: bytes | Path, filename: str = "") -> ReadResult:
    """Read an extract from its bytes or from a file on disk (``Path``; read in blocks, see module doc)."""
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
        return ReadResult(None, problems=[Problem(0, str(refused), "E_FILE_REFUSED")])
    if workbook:
        return _read_workbook(path.read_bytes() if path is not None else data, filename)  # type: ignore[arg-type]
    if path is not None:
        return _read_plain_csv(path) or _read_csv(path.read_bytes())
    assert isinstance(data, bytes)
    return _read_plain_csv(data) or _read_csv(data)


# Printable ASCII, tab and line ends: a file of only these needs no decoding and no cleaning.
_PLAIN = bytes(range(0x20, 0x7F)) + b"\t\n\r"
BLOCK = 1 << 24


def _is_plain(source: bytes | Path) -> bool:
    """Whether the file is plain ASCII text (checked in ``BLOCK``-sized pieces; about 0.1 s CPU per 50 MB)."""
    if isinstance(source, bytes):
        return source.isascii() and not source.translate(None, _PLAIN)
    with source.open("rb") as handle:
        while chunk := handle.read(BLOCK):
            if not chunk.isascii() or chunk.translate(None, _PLAIN):
                return False
    return True


def _read_plain_csv(source: bytes | Path) -> ReadResult | None:
    """The fast way for plain ASCII text (see module doc); ``None`` if the file needs the careful way.
    pyarrow reads the file itself, in ``BLOCK``-sized pieces (a file on disk is not loaded whole)."""
    if isinstance(source, bytes):
        head = source[:65536]
    else:
        with source.open("rb") as handle:
            head = handle.read(65536)
    first_line = head.replace(b"\r", b"\n").split(b"\n", 1)[0]
    if not head.strip() or not first_line.strip() or not _is_plain(source):
        return None
    header = first_line.decode("ascii")
    delimiter = tabular.sniff_delimiter(header)
    skipped: list[int] = []
    try:
        stream = pa.BufferReader(source) if isinstance(source, bytes) else pa.OSFile(str(source))
        with stream:
            table = _parse_csv(stream, header, delimiter, skipped)
    except (pa.ArrowInvalid, UnicodeDecodeError):
        return None
    return _with_lines(table, skipped, "UTF-8", delimiter)


def _parse_csv(source: object, header: str, delimiter: str, skipped: list[int]) -> pa.Table:
    """pyarrow's streaming CSV reader, every column a string; lines with the wrong number of fields are
    left out and their line numbers appended to ``skipped``."""

    def on_invalid(row: pacsv.InvalidRow) -> str:
        skipped.append(row.number or 0)
        return "skip"

    reader = pacsv.open_csv(
        source,
        read_options=pacsv.ReadOptions(use_threads=False, block_size=BLOCK),
        parse_options=pacsv.ParseOptions(delimiter=delimiter, invalid_row_handler=on_invalid, newlines_in_values=False),
        convert_options=pacsv.ConvertOptions(
            strings_can_be_null=False,
            quoted_strings_can_be_null=False,
            column_types=_all_strings(header, delimiter),
        ),
    )
    return reader.read_all()


def _with_lines(table: pa.Table, skipped: list[int], encoding: str, delimiter: str) -> ReadResult:
    table = _clean_names(table)
    # Line numbers of the parsed rows: the skipped lines are left out of the table.
    lines = np.arange(2, 2 + table.num_rows + len(skipped))
    if skipped:
        lines = lines[~np.isin(lines, skipped)]
    table = table.append_column("zeile", pa.array(lines[: table.num_rows], type=pa.int64()))
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
        table = _parse_csv(io.BytesIO(text.encode("utf-8")), header, delimiter, skipped)
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
    columns = {
        name: pa.array([_cell(row[i]) if i < len(row) else "" for _line, row in body], type=pa.string())
        for i, name in enumerate(names)
        if name
    }
    table = pa.table(columns) if columns else pa.table({})
    table = table.append_column("zeile", pa.array([line for line, _row in body], type=pa.int64()))
    return ReadResult(table, read.file_format.lower())


# One regular expression per value finds which of the accepted shapes a date has and its parts; the parts
# are then cast once. Same verdicts as DuckDB's ``try_strptime`` over ['%Y-%m-%d', '%d.%m.%Y', '%Y-%m']
# (year 1–4 digits, month and day 1–2 digits; impossible dates such as 30.02. are invalid), which the tests
# check against the old expression — but one pass instead of one attempt per format.
_DATE_SHAPES = r"^(?:(\d{1,4})-(\d{1,2})(?:-(\d{1,2}))?|(\d{1,2})\.(\d{1,2})\.(\d{1,4}))$"
_DATE_PARTS = "['iso_y', 'iso_m', 'iso_d', 'de_d', 'de_m', 'de_y']"


def date_parts_sql(column: str) -> str:
    """A STRUCT of the date parts of ``column`` (empty strings where a shape did not match)."""
    return f"regexp_extract(trim({column}), '{_DATE_SHAPES}', {_DATE_PARTS})"


def date_sql(parts: str, month_only: bool) -> str:
    """DATE from the parts of ``date_parts_sql``; NULL if the text is no valid date in an accepted shape.
    ``month_only`` also accepts JJJJ-MM (the first of the month)."""
    iso = "true" if month_only else f"{parts}.iso_d <> ''"
    return (
        f"CASE WHEN {parts}.iso_y <> '' AND {iso} THEN try_cast(lpad({parts}.iso_y, 4, '0') || '-' || "
        f"{parts}.iso_m || '-' || coalesce(nullif({parts}.iso_d, ''), '1') AS DATE) "
        f"WHEN {parts}.de_y <> '' THEN try_cast(lpad({parts}.de_y, 4, '0') || '-' || {parts}.de_m || '-' || "
        f"{parts}.de_d AS DATE) END"
    )


def validate(
    read: ReadResult,
    stichtag: date,
    gemeinden: set[str],
    *,
    limit: int = 5000,
    planungsraeume: dict[str, dict[str, str]] | None = None,
    connection: duckdb.DuckDBPyConnection | None = None,
) -> Validation:
    """Check every row. ``gemeinden``: the 8-digit AGS of the district's Gemeinden; ``planungsraeume``:
    AGS → {code: name} of the defined Planungsräume (a code not defined for a Gemeinde that has some is an
    error with a "did you mean", so names instead of codes never become new areas; a Gemeinde without any
    defined Planungsraum gets a warning). ``connection``: the DuckDB connection to run in (e.g. one with a
    memory limit, ``engine.connect``); its temporary tables are dropped again."""
    problems = list(read.problems)
    table = read.table
    if table is None:
        counts = Counter(p.code for p in problems)
        return Validation(None, problems, dict(counts), 0, [])
    if table.num_rows == 0 and not read.problems:
        problems.append(Problem(0, "", "E_NO_ROWS"))
        return Validation(None, problems, {"E_NO_ROWS": 1}, 0, [])
    present = set(table.column_names) - {"zeile"}
    for name in sorted(present - set(INPUT_COLUMNS)):
        problems.append(Problem(1, name, "W_COLUMN_UNKNOWN"))
    missing = [name for name in REQUIRED if name not in present]
    for name in missing:
        problems.append(Problem(1, name, "E_COLUMN_MISSING"))
    if missing:
        counts = Counter(p.code for p in problems)
        return Validation(None, problems, dict(counts), table.num_rows, list(table.column("zeile").to_pylist()))
    for name in INPUT_COLUMNS:
        if name not in present:
            table = table.append_column(name, pa.array([""] * table.num_rows, type=pa.string()))
    con = connection or duckdb.connect()
    try:
        return _validate(con, table, read, problems, stichtag, gemeinden, limit, planungsraeume or {})
    finally:
        if connection is None:
            con.close()
        else:
            con.execute("DROP TABLE IF EXISTS v; DROP TABLE IF EXISTS p")
            for name in ("raw", "aliases", "gemeinden", "state_hints", "planungsraum_problems"):
                with contextlib.suppress(duckdb.Error):
                    con.unregister(name)


def _validate(
    con: duckdb.DuckDBPyConnection,
    table: pa.Table,
    read: ReadResult,
    problems: list[Problem],
    stichtag: date,
    gemeinden: set[str],
    limit: int,
    planungsraeume: dict[str, dict[str, str]],
) -> Validation:
    con.register("raw", table)
    aliases = dict(codes.state_aliases())
    # Excel drops leading zeros: "0" is Germany "000", "40" is "040".
    aliases.update(
        {str(int(code)): code for code in codes.states() if code.isdigit() and str(int(code)) not in aliases}
    )
    aliases.update({code.zfill(2)[-2:]: code for code in codes.states() if code.startswith("0") and code.isdigit()})
    con.register("aliases", pa.table({"alias": list(aliases), "code": list(aliases.values())}))
    con.register("gemeinden", pa.table({"ags": sorted(gemeinden)}))
    state_joins = "\n".join(
        f"LEFT JOIN aliases s{i} ON s{i}.alias = upper(trim(r.{col}))" for i, col in enumerate(STATE_COLUMNS)
    )
    state_cols = ",\n".join(
        f"s{i}.code AS {col}, nullif(trim(r.{col}), '') AS raw_{col}" for i, col in enumerate(STATE_COLUMNS)
    )
    con.execute(f"""
        CREATE TEMP TABLE v AS SELECT r.zeile,
            nullif(trim(r.ordnungsmerkmal), '') AS ordnungsmerkmal,
            CASE WHEN regexp_full_match(trim(r.ags), '\\d{{7,8}}') THEN lpad(trim(r.ags), 8, '0')
                 ELSE nullif(trim(r.ags), '') END AS ags,
            nullif(trim(r.planungsraum), '') AS planungsraum,
            nullif(upper(trim(r.wohnungsstatus)), '') AS wohnungsstatus,
            nullif(trim(r.geburtsdatum), '') AS raw_geburtsdatum,
            {date_sql("r.geburtsdatum_teile", True)} AS geburtsdatum,
            nullif(lower(trim(r.geschlecht)), '') AS geschlecht,
            {state_cols},
            nullif(upper(trim(r.art_deutsche_staatsangehoerigkeit)), '') AS art_deutsche_staatsangehoerigkeit,
            nullif(trim(r.zuzug_datum), '') AS raw_zuzug_datum,
            {date_sql("r.zuzug_datum_teile", False)} AS zuzug_datum,
            nullif(upper(trim(r.familienstand)), '') AS familienstand,
            nullif(lower(trim(r.religion)), '') AS religion,
            nullif(trim(r.elternteil_1), '') AS elternteil_1,
            nullif(trim(r.elternteil_2), '') AS elternteil_2
        FROM (SELECT *, {date_parts_sql("geburtsdatum")} AS geburtsdatum_teile,
                     {date_parts_sql("zuzug_datum")} AS zuzug_datum_teile FROM raw) r
        {state_joins}
    """)
    german = " OR ".join(f"coalesce({c} = '000', false)" for c in STATE_COLUMNS[:3])
    checks: list[tuple[str, str, str]] = [(col, "E_REQUIRED", f"{_raw(col)} IS NULL") for col in REQUIRED]
    checks += [
        ("ordnungsmerkmal", "E_KEY_LENGTH", "length(ordnungsmerkmal) > 40"),
        ("ags", "E_AGS_FORMAT", "ags IS NOT NULL AND NOT regexp_full_match(ags, '\\d{8}')"),
        (
            "ags",
            "E_AGS_OUTSIDE",
            "regexp_full_match(ags, '\\d{8}') AND ags NOT IN (SELECT ags FROM gemeinden)",
        ),
        ("wohnungsstatus", "E_WOHNUNGSSTATUS", "wohnungsstatus NOT IN ('H', 'N', 'A')"),
        ("geschlecht", "E_GESCHLECHT", "geschlecht NOT IN ('m', 'w', 'd', 'x')"),
        ("geburtsdatum", "E_DATE_FORMAT", "raw_geburtsdatum IS NOT NULL AND geburtsdatum IS NULL"),
        ("geburtsdatum", "E_DATE_FUTURE", "geburtsdatum > $stichtag"),
        ("zuzug_datum", "E_DATE_FORMAT", "raw_zuzug_datum IS NOT NULL AND zuzug_datum IS NULL"),
        ("zuzug_datum", "E_ZUZUG_AFTER_STICHTAG", "zuzug_datum > $stichtag"),
        (
            "art_deutsche_staatsangehoerigkeit",
            "E_ART_CODE",
            "art_deutsche_staatsangehoerigkeit NOT IN ('G', 'E', 'O', 'S')",
        ),
        (
            "art_deutsche_staatsangehoerigkeit",
            "E_ART_FOREIGNER",
            f"art_deutsche_staatsangehoerigkeit IS NOT NULL AND NOT ({german}) "
            "AND raw_staatsangehoerigkeit_1 IS NOT NULL AND staatsangehoerigkeit_1 IS NOT NULL",
        ),
        ("familienstand", "E_FAMILIENSTAND", "familienstand NOT IN ('LD', 'VH', 'VW', 'GS', 'LP', 'NB')"),
        ("religion", "E_RELIGION", "religion NOT IN ('ev', 'rk', 'sonstige', 'keine')"),
    ]
    selects = [
        f"SELECT zeile, '{col}' AS spalte, '{code}' AS code, '' AS detail FROM v WHERE {cond}"
        for col, code, cond in checks
    ]
    con.register("state_hints", _state_hints(con))
    selects += [
        f"SELECT v.zeile, '{col}', 'E_STATE_UNKNOWN', coalesce(h.detail, '') FROM v LEFT JOIN state_hints h "
        f"ON h.spalte = '{col}' AND h.raw = v.raw_{col} WHERE v.raw_{col} IS NOT NULL AND v.{col} IS NULL"
        for col in STATE_COLUMNS
    ]
    con.register("planungsraum_problems", _planungsraum_problems(con, planungsraeume))
    selects.append(
        "SELECT v.zeile, 'planungsraum', b.code, b.detail FROM v "
        "JOIN planungsraum_problems b ON b.ags = v.ags AND b.planungsraum = v.planungsraum"
    )
    selects.append("""SELECT zeile, 'ordnungsmerkmal', 'E_DUPLICATE', '' FROM (
        SELECT zeile, row_number() OVER (PARTITION BY ordnungsmerkmal, wohnungsstatus ORDER BY zeile) AS n
        FROM v WHERE ordnungsmerkmal IS NOT NULL) WHERE n > 1""")
    for parent in ("elternteil_1", "elternteil_2"):
        selects.append(
            f"SELECT zeile, '{parent}', 'W_PARENT_UNKNOWN', '' FROM v WHERE {parent} IS NOT NULL "
            f"AND {parent} NOT IN (SELECT ordnungsmerkmal FROM v WHERE ordnungsmerkmal IS NOT NULL)"
        )
    con.execute("CREATE TEMP TABLE p AS " + " UNION ALL ".join(selects), {"stichtag": stichtag})
    counts = Counter(dict(con.execute("SELECT code, count(*) FROM p GROUP BY code").fetchall()))
    counts.update(p.code for p in problems)
    errors = tuple(code for code, (severity, _m) in MESSAGES.items() if severity == ERROR)
    error_filter = "code IN (" + ",".join(f"'{c}'" for c in errors) + ")"
    invalid = [
        row for (row,) in con.execute(f"SELECT DISTINCT zeile FROM p WHERE {error_filter} ORDER BY 1").fetchall()
    ]
    skipped = sorted({p.row for p in read.problems if p.severity == ERROR and p.row})
    row_problems = con.execute(
        "SELECT zeile, spalte, code, detail FROM p ORDER BY zeile, spalte LIMIT $limit", {"limit": limit}
    ).fetchall()
    problems += [Problem(row, column, code, detail) for row, column, code, detail in row_problems]
    problems.sort(key=lambda p: (p.row, p.column))
    typed = ", ".join(INPUT_COLUMNS)
    normalised = con.sql(
        f"SELECT {typed}, zeile FROM v WHERE zeile NOT IN (SELECT zeile FROM p WHERE {error_filter}) ORDER BY zeile"
    ).to_arrow_table()
    normalised = normalised.cast(
        pa.schema([*[pa.field(n, t) for n, t in INPUT_COLUMNS.items()], pa.field("zeile", pa.int64())])
    )
    rows_total = table.num_rows + len(skipped)
    return Validation(
        normalised,
        problems[: limit + len(read.problems)],
        dict(counts),
        rows_total,
        sorted(set(invalid) | set(skipped)),
    )


def _state_hints(con: duckdb.DuckDBPyConnection) -> pa.Table:
    """ "Did you mean" for unknown state keys, e.g. a name („Syrien“) where the key (475) is expected."""
    names = {code: state.name for code, state in codes.states().items() if state.status == "aktuell"}
    rows: dict[str, list[str]] = {"spalte": [], "raw": [], "detail": []}
    for col in STATE_COLUMNS:
        unknown = con.execute(f"SELECT DISTINCT raw_{col} FROM v WHERE raw_{col} IS NOT NULL AND {col} IS NULL")
        for (raw,) in unknown.fetchall()[:1000]:
            rows["spalte"].append(col)
            rows["raw"].append(raw)
            rows["detail"].append(tabular.suggest(raw, names).strip())
    return pa.table({name: pa.array(values, type=pa.string()) for name, values in rows.items()})


def _planungsraum_problems(con: duckdb.DuckDBPyConnection, defined: dict[str, dict[str, str]]) -> pa.Table:
    """One row per distinct (AGS, Planungsraum) of the extract that is not a defined code."""
    pairs = con.execute("SELECT DISTINCT ags, planungsraum FROM v WHERE planungsraum IS NOT NULL").fetchall()
    rows: dict[str, list[str]] = {"ags": [], "planungsraum": [], "code": [], "detail": []}
    for ags, code in pairs:
        known = defined.get(ags)
        if known and code in known:
            continue
        rows["ags"].append(ags)
        rows["planungsraum"].append(code)
        if known:
            rows["code"].append("E_PLANUNGSRAUM_UNKNOWN")
            rows["detail"].append(
                f"„{code}“ ist kein Planungsraum-Schlüssel dieser Gemeinde; im Auszug stehen Schlüssel, keine Namen."
                + tabular.suggest(code, known)
            )
        else:
            rows["code"].append("W_PLANUNGSRAUM_UNDEFINED")
            rows["detail"].append("")
    return pa.table({name: pa.array(values, type=pa.string()) for name, values in rows.items()})


def _raw(column: str) -> str:
    return {"geburtsdatum": "raw_geburtsdatum", "staatsangehoerigkeit_1": "raw_staatsangehoerigkeit_1"}.get(
        column, column
    )
