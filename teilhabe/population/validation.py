# ruff: noqa: S608 - SQL text here interpolates only our own column names and code lists; values are parameters
"""Checking a register extract inside DuckDB. Django-free.

``validate`` loads the rows of a ``ReadResult`` into the connection once (a streamed plain CSV in chunks of
``CHUNK_ROWS`` rows, so the file's strings never exist whole in Python), normalises them (codes, state keys, dates) into
the temporary table ``v`` and runs every check as SQL; only the problem counts and the first ``limit``
problems come back to Python. The typed rows without errors are either returned as a pyarrow table
(``Validation.normalised``, the default) or, with ``keep=True``, left in the connection as the view
``checked`` (``INPUT_COLUMNS`` + ``zeile``), where derivation, tables and the store read them without a copy.
"""

from __future__ import annotations

import contextlib
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

import duckdb
import pyarrow as pa

from teilhabe.lib import tabular
from teilhabe.population import codes
from teilhabe.population.derivation import INPUT_COLUMNS
from teilhabe.population.engine import prefetched, temp_table
from teilhabe.population.problems import ERROR, MESSAGES, REQUIRED, STATE_COLUMNS, WARNING, Problem

if TYPE_CHECKING:
    from teilhabe.population.importer import ReadResult

_LOOKUPS = (
    "aliases",
    "gemeinden",
    "state_hints",
    "planungsraum_problems",
    "mehrfach",
)  # temporary tables of ``validate``
CHECKED = "checked"  # the view of the checked rows left in the connection by ``validate(..., keep=True)``
_ERRORS = tuple(code for code, (severity, _m) in MESSAGES.items() if severity == ERROR)
_ERROR_FILTER = "code IN (" + ",".join(f"'{c}'" for c in _ERRORS) + ")"


@dataclass
class Validation:
    normalised: pa.Table | None  # typed rows without errors, INPUT_COLUMNS order (+ zeile); None with keep=True
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


# Dates: the common shape JJJJ-MM-TT is parsed directly by ``try_strptime`` (only where the first hyphen is the
# fifth character: a failing ``try_strptime`` is slow, and "00-1-1" would be the year 0); everything else goes
# through one regular expression
# that finds which of the accepted shapes a date has and its parts, which are then cast once. Same verdicts
# as DuckDB's ``try_strptime`` over ['%Y-%m-%d', '%d.%m.%Y', '%Y-%m'] for a four-digit year (month and day
# 1–2 digits; impossible dates such as 30.02. are invalid), which the tests check against that expression.
# A two-digit year ("01.06.90", as Excel exports write it) is not a date: read as the year 90 it would put the
# person among the 65+; ``EARLIEST_DATE`` catches four-digit filler dates ("0000-01-01", "1800-01-01").
EARLIEST_DATE = "1890-01-01"
_DATE_SHAPES = r"^(?:(\d{4})-(\d{1,2})(?:-(\d{1,2}))?|(\d{1,2})\.(\d{1,2})\.(\d{4}))$"
_DATE_PARTS = "['iso_y', 'iso_m', 'iso_d', 'de_d', 'de_m', 'de_y']"


def date_parts_sql(column: str, *, trimmed: bool = False) -> str:
    """A STRUCT of the date parts of ``column`` (empty strings where a shape did not match); ``trimmed``: the
    text has no surrounding spaces already."""
    text = column if trimmed else f"trim({column})"
    return f"regexp_extract({text}, '{_DATE_SHAPES}', {_DATE_PARTS})"


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


def date_columns_sql(column: str, name: str, *, trimmed: bool = False) -> str:
    """Two items of a SELECT list: ``{name}_iso`` (a JJJJ-MM-TT date parsed directly) and ``{name}_teile`` (the
    parts of ``date_parts_sql``, only where the direct way gave nothing). ``parsed_date_sql`` combines them
    one query level up."""
    text = column if trimmed else f"trim({column})"
    return (
        f"CASE WHEN strpos({text}, '-') = 5 THEN try_strptime({text}, '%Y-%m-%d')::DATE END AS {name}_iso, "
        f"CASE WHEN {name}_iso IS NULL THEN {date_parts_sql(column, trimmed=trimmed)} END AS {name}_teile"
    )


def parsed_date_sql(name: str, month_only: bool) -> str:
    """The DATE from the items of ``date_columns_sql`` (NULL if the text is no valid date)."""
    return f"coalesce({name}_iso, {date_sql(f'{name}_teile', month_only)})"


def validate(
    read: ReadResult,
    stichtag: date,
    gemeinden: set[str],
    *,
    limit: int = 5000,
    planungsraeume: dict[str, dict[str, str]] | None = None,
    connection: duckdb.DuckDBPyConnection | None = None,
    keep: bool = False,
) -> Validation:
    """Check every row. ``gemeinden``: the 8-digit AGS of the district's Gemeinden; ``planungsraeume``:
    AGS → {code: name} of the defined Planungsräume (a code not defined for a Gemeinde that has some is an
    error with a "did you mean", so names instead of codes never become new areas; a Gemeinde without any
    defined Planungsraum gets a warning). ``connection``: the DuckDB connection to run in (e.g. one with a
    memory limit, ``engine.connect``); its temporary tables are dropped again, except with ``keep=True``:
    then the rows without errors stay in it as the view ``CHECKED`` and ``normalised`` is None."""
    source = read.reader()
    if source is None:
        counts = Counter(p.code for p in read.problems)
        return Validation(None, list(read.problems), dict(counts), 0, [])
    con = connection or duckdb.connect()
    kept = False
    try:
        names = [name for name in source.schema.names if name != "zeile"]
        duplicated = sorted({name for name in names if names.count(name) > 1})
        present = _load(con, source, gemeinden, read.plain, read.spaced)
        del source
        if read.unreadable:
            problems = [Problem(0, "", "E_FILE_FORMAT")]
            return Validation(None, problems, {"E_FILE_FORMAT": 1}, 0, [])
        result = _validate(con, read, present, stichtag, limit, planungsraeume or {}, keep, duplicated)
        kept = keep and result.normalised is None and result.rows_valid > 0
        return result
    finally:
        if connection is None:
            con.close()
        else:
            if not kept:
                con.execute(f"DROP VIEW IF EXISTS {CHECKED}; DROP TABLE IF EXISTS v")
            con.execute("DROP TABLE IF EXISTS p")
            for name in _LOOKUPS:
                con.execute(f"DROP TABLE IF EXISTS {name}")
            with contextlib.suppress(duckdb.Error):
                con.unregister("raw")


def _load(
    con: duckdb.DuckDBPyConnection,
    source: pa.RecordBatchReader,
    gemeinden: set[str],
    ascii_only: bool = False,
    spaced: bool = True,
) -> set[str]:
    """One pass over the rows into the temporary table ``v``: trimmed, codes normalised, state keys mapped to
    3-digit keys, dates parsed; absent columns are empty. The code columns (``CODE_COLUMNS`` and the state keys) are
    stored as ENUMs of their code lists (1 byte per value instead of a 16-byte string: at 5 M rows the table is
    then small enough for the derivation's joins beside it, and no later conversion pass is needed). ``raw_*``
    keeps the text only where the checks need it (a code outside its list, a state key that is not known, a date
    not in the form JJJJ-MM-TT) and is NULL elsewhere: a value that is not valid is never silently NULL, and at
    5 M rows the text of every row would be a fifth of the table the engine holds (and spills).
    ``ascii_only``/``spaced``: see ``_trimmed_columns``. Returns the column names of the file."""
    from teilhabe.population.store import code_types

    present = set(source.schema.names)
    aliases = dict(codes.state_aliases())
    # Excel drops leading zeros: "0" is Germany "000", "40" is "040".
    aliases.update(
        {str(int(code)): code for code in codes.states() if code.isdigit() and str(int(code)) not in aliases}
    )
    aliases.update({code.zfill(2)[-2:]: code for code in codes.states() if code.startswith("0") and code.isdigit()})
    temp_table(con, "aliases", {"alias": list(aliases), "code": list(aliases.values())})
    types = code_types(con, list(INPUT_COLUMNS))
    # The mapped state keys come out of the join as ENUMs.
    con.execute(f"ALTER TABLE aliases ALTER COLUMN code SET DATA TYPE {types['staatsangehoerigkeit_1']}")
    temp_table(con, "gemeinden", {"ags": sorted(gemeinden)})
    state_joins = "\n".join(
        f"LEFT JOIN aliases s{i} ON s{i}.alias = upper(r.{col})" for i, col in enumerate(STATE_COLUMNS)
    )
    state_cols = ",\n".join(
        f"s{i}.code AS {col}, CASE WHEN s{i}.code IS NULL THEN nullif(r.{col}, '') END AS raw_{col}"
        for i, col in enumerate(STATE_COLUMNS)
    )
    code_texts = ", ".join(f"nullif({case}({col}), '') AS {col}_text" for col, case in CODE_COLUMNS.items())
    code_cols = {
        col: f"r.{col}_code AS {col}, CASE WHEN r.{col}_code IS NULL THEN r.{col}_text END AS raw_{col}"
        for col in CODE_COLUMNS
    }
    code_casts = ", ".join(f"try_cast({col}_text AS {types[col]}) AS {col}_code" for col in CODE_COLUMNS)
    select = f"""SELECT r.zeile,
            nullif(r.ordnungsmerkmal, '') AS ordnungsmerkmal,
            CASE WHEN regexp_full_match(r.ags, '\\d{{7,8}}') THEN lpad(r.ags, 8, '0')
                 ELSE nullif(r.ags, '') END AS ags,
            nullif(r.planungsraum, '') AS planungsraum,
            {code_cols["wohnungsstatus"]},
            CASE WHEN r.geburtsdatum_iso IS NULL THEN nullif(r.geburtsdatum, '') END AS raw_geburtsdatum,
            {parsed_date_sql("r.geburtsdatum", True)} AS geburtsdatum,
            {code_cols["geschlecht"]},
            {state_cols},
            {code_cols["art_deutsche_staatsangehoerigkeit"]},
            CASE WHEN r.zuzug_datum_iso IS NULL THEN nullif(r.zuzug_datum, '') END AS raw_zuzug_datum,
            {parsed_date_sql("r.zuzug_datum", False)} AS zuzug_datum,
            {code_cols["familienstand"]},
            {code_cols["religion"]},
            nullif(r.elternteil_1, '') AS elternteil_1,
            nullif(r.elternteil_2, '') AS elternteil_2
        FROM (SELECT *, {code_casts} FROM (
              SELECT *, {date_columns_sql("geburtsdatum", "geburtsdatum", trimmed=True)},
                     {date_columns_sql("zuzug_datum", "zuzug_datum", trimmed=True)}, {code_texts}
              FROM (SELECT __COLUMNS__, zeile FROM raw))) r
        {state_joins}
    """
    # The rows go in chunk by chunk (``CHUNK_ROWS``): DuckDB runs this on all cores over a table of known size,
    # whereas over a stream of record batches (and with the join order pinned, as it had to be for a stream of
    # unknown length) it ran on one (Karlsruhe, 463,000 rows: 1.6–1.9 s → 1.1 s on 2 cores). The next chunk is
    # read from the file, and its columns checked for spaces, meanwhile (``prefetched``): two chunks' strings are
    # in memory at a time.
    created = False
    for chunk, columns in prefetched(_prepared(source, present, ascii_only, spaced)):
        con.register("raw", chunk)
        con.execute(
            ("INSERT INTO v " if created else "CREATE OR REPLACE TEMP TABLE v AS ")
            + select.replace("__COLUMNS__", columns)
        )
        con.unregister("raw")
        created = True
    if not created:
        con.register("raw", source.schema.empty_table())
        columns = _trimmed_columns(None, present, ascii_only, spaced)
        con.execute("CREATE OR REPLACE TEMP TABLE v AS " + select.replace("__COLUMNS__", columns))
    return present - {"zeile"}


# The short code lists and their normal case; each is an ENUM of ``store.categories`` in the check table.
CODE_COLUMNS = {
    "wohnungsstatus": "upper",
    "geschlecht": "lower",
    "art_deutsche_staatsangehoerigkeit": "upper",
    "familienstand": "upper",
    "religion": "lower",
}


def _prepared(
    source: pa.RecordBatchReader, present: set[str], ascii_only: bool, spaced: bool
) -> Iterator[tuple[pa.Table, str]]:
    """The chunks of ``source`` with the innermost projection of each (``_trimmed_columns``)."""
    for chunk in _chunks(source):
        yield chunk, _trimmed_columns(chunk, present, ascii_only, spaced)


CHUNK_ROWS = 1 << 18  # rows per chunk of ``_load`` (~30 MB of an extract's strings)


def _trimmed_columns(chunk: pa.Table | None, present: set[str], ascii_only: bool, spaced: bool = True) -> str:
    """The innermost projection of ``_load``: every input column, trimmed of surrounding spaces like DuckDB's
    ``trim`` (absent columns empty). Of plain ASCII text, where ``trim`` only removes the space character, nothing
    is trimmed if the file has no space at all (``spaced`` False; the reader found that while checking the file),
    and otherwise a column without a leading or trailing space in this chunk is passed through untrimmed (``trim``
    on every value of 17 columns cost 0.4 s CPU on Karlsruhe, the check 0.1 s); other text is always trimmed
    (``trim`` also removes Unicode spaces)."""
    items = []
    for name in INPUT_COLUMNS:
        if name not in present:
            items.append(f"''::VARCHAR AS {name}")
        elif ascii_only and (not spaced or (chunk is not None and not _has_edge_space(chunk.column(name)))):
            items.append(name)
        else:
            items.append(f"trim({name}) AS {name}")
    return ", ".join(items)


def _has_edge_space(column: pa.ChunkedArray) -> bool:
    """Whether any value of ``column`` starts or ends with a space."""
    import pyarrow.compute as pc

    return bool(pc.any(pc.or_(pc.starts_with(column, " "), pc.ends_with(column, " "))).as_py())


def _chunks(source: pa.RecordBatchReader) -> Iterator[pa.Table]:
    """The batches of ``source`` gathered into tables of at least ``CHUNK_ROWS`` rows (the last may be shorter)."""
    batches: list[pa.RecordBatch] = []
    rows = 0
    for batch in source:
        batches.append(batch)
        rows += batch.num_rows
        if rows >= CHUNK_ROWS:
            yield pa.Table.from_batches(batches, source.schema)
            batches, rows = [], 0
    if batches:
        yield pa.Table.from_batches(batches, source.schema)


def _validate(
    con: duckdb.DuckDBPyConnection,
    read: ReadResult,
    present: set[str],
    stichtag: date,
    limit: int,
    planungsraeume: dict[str, dict[str, str]],
    keep: bool,
    duplicated: list[str],
) -> Validation:
    problems = list(read.problems)  # complete now that the rows are loaded
    ((rows,),) = con.execute("SELECT count(*) FROM v").fetchall()
    if rows == 0 and not read.problems:
        problems.append(Problem(0, "", "E_NO_ROWS"))
        return Validation(None, problems, {"E_NO_ROWS": 1}, 0, [])
    for name in sorted(present - set(INPUT_COLUMNS)):
        problems.append(Problem(1, name, "W_COLUMN_UNKNOWN"))
    missing = [name for name in REQUIRED if name not in present]
    for name in missing:
        problems.append(Problem(1, name, "E_COLUMN_MISSING"))
    # A column named twice: which one holds the values is a guess, so no row is read from the file.
    for name in duplicated:
        problems.append(Problem(1, name, "E_COLUMN_DUPLICATE"))
    if missing or duplicated:
        counts = Counter(p.code for p in problems)
        lines = [line for (line,) in con.execute("SELECT zeile FROM v ORDER BY zeile").fetchall()]
        return Validation(None, problems, dict(counts), rows, lines)
    german = " OR ".join(f"coalesce({c} = '000', false)" for c in STATE_COLUMNS[:3])
    checks: list[tuple[str, str, str]] = [(col, "E_REQUIRED", _empty(col)) for col in REQUIRED]
    checks += [
        ("ordnungsmerkmal", "E_KEY_LENGTH", "length(ordnungsmerkmal) > 40"),
        ("ags", "E_AGS_FORMAT", "ags IS NOT NULL AND NOT regexp_full_match(ags, '\\d{8}')"),
        (
            "ags",
            "E_AGS_OUTSIDE",
            "regexp_full_match(ags, '\\d{8}') AND ags NOT IN (SELECT ags FROM gemeinden)",
        ),
        ("wohnungsstatus", "E_WOHNUNGSSTATUS", "raw_wohnungsstatus IS NOT NULL"),
        ("geschlecht", "E_GESCHLECHT", "raw_geschlecht IS NOT NULL"),
        ("geburtsdatum", "E_DATE_FORMAT", "raw_geburtsdatum IS NOT NULL AND geburtsdatum IS NULL"),
        ("geburtsdatum", "E_DATE_FUTURE", "geburtsdatum > $stichtag"),
        ("geburtsdatum", "E_DATE_RANGE", f"geburtsdatum < DATE '{EARLIEST_DATE}'"),
        ("zuzug_datum", "E_DATE_FORMAT", "raw_zuzug_datum IS NOT NULL AND zuzug_datum IS NULL"),
        ("zuzug_datum", "E_ZUZUG_AFTER_STICHTAG", "zuzug_datum > $stichtag"),
        ("zuzug_datum", "E_DATE_RANGE", f"zuzug_datum < DATE '{EARLIEST_DATE}'"),
        ("zuzug_datum", "E_ZUZUG_BEFORE_BIRTH", "zuzug_datum < geburtsdatum"),
        ("elternteil_1", "E_PARENT_SELF", "elternteil_1 = ordnungsmerkmal"),
        ("elternteil_2", "E_PARENT_SELF", "elternteil_2 = ordnungsmerkmal"),
        ("art_deutsche_staatsangehoerigkeit", "E_ART_CODE", "raw_art_deutsche_staatsangehoerigkeit IS NOT NULL"),
        (
            "art_deutsche_staatsangehoerigkeit",
            "E_ART_FOREIGNER",
            f"NOT ({_empty('art_deutsche_staatsangehoerigkeit')}) AND NOT ({german}) AND staatsangehoerigkeit_1 IS NOT NULL",
        ),
        ("familienstand", "E_FAMILIENSTAND", "raw_familienstand IS NOT NULL"),
        ("religion", "E_RELIGION", "raw_religion IS NOT NULL"),
    ]
    selects = [
        f"SELECT zeile, '{col}' AS spalte, '{code}' AS code, '' AS detail FROM v WHERE {cond}"
        for col, code, cond in checks
    ]
    temp_table(con, "state_hints", _state_hints(con))
    selects += [
        f"SELECT v.zeile, '{col}', 'E_STATE_UNKNOWN', coalesce(h.detail, '') FROM v LEFT JOIN state_hints h "
        f"ON h.spalte = '{col}' AND h.raw = v.raw_{col} WHERE v.raw_{col} IS NOT NULL AND v.{col} IS NULL"
        for col in STATE_COLUMNS
    ]
    temp_table(con, "planungsraum_problems", _planungsraum_problems(con, planungsraeume))
    selects.append(
        "SELECT v.zeile, 'planungsraum', b.code, b.detail FROM v "
        "JOIN planungsraum_problems b ON b.ags = v.ags AND b.planungsraum = v.planungsraum "
        "WHERE b.code = 'E_PLANUNGSRAUM_UNKNOWN'"
    )
    # A Gemeinde without defined Planungsräume is one warning at its first row, not one per resident: a Kreis
    # that keeps no Planungsräume would otherwise read 450,000 identical warnings (and the check would store them).
    selects.append(
        "SELECT min(v.zeile), 'planungsraum', 'W_PLANUNGSRAUM_UNDEFINED', 'Gemeinde ' || v.ags || ': ' || "
        "replace(format('{:,}', count(*)), ',', '.') || CASE WHEN count(*) = 1 THEN ' Zeile' ELSE ' Zeilen' END "
        "|| ' mit Planungsraum-Schlüssel, die erste in dieser Zeile.' FROM v "
        "SEMI JOIN planungsraum_problems b ON b.ags = v.ags AND b.planungsraum = v.planungsraum "
        "AND b.code = 'W_PLANUNGSRAUM_UNDEFINED' GROUP BY v.ags"
    )
    # Keys on more than one row: a grouping finds the (rare) repeated keys, and only their rows are looked at.
    # A second row with the same key and status is a duplicate; a sole dwelling ("A") beside any other dwelling
    # of the same person contradicts itself, and would count the person twice (A and H both count).
    con.execute("""CREATE OR REPLACE TEMP TABLE mehrfach AS
        SELECT zeile, ordnungsmerkmal, wohnungsstatus, raw_wohnungsstatus FROM v
        SEMI JOIN (SELECT ordnungsmerkmal FROM v WHERE ordnungsmerkmal IS NOT NULL GROUP BY 1 HAVING count(*) > 1) d
            ON d.ordnungsmerkmal = v.ordnungsmerkmal""")
    selects.append("""SELECT zeile, 'ordnungsmerkmal', 'E_DUPLICATE', '' FROM (
        SELECT zeile, row_number() OVER (PARTITION BY ordnungsmerkmal, wohnungsstatus, raw_wohnungsstatus
                                         ORDER BY zeile) AS n
        FROM mehrfach) WHERE n > 1""")
    selects.append("""SELECT zeile, 'wohnungsstatus', 'E_WOHNUNGSSTATUS_CONFLICT', '' FROM mehrfach
        QUALIFY bool_or(wohnungsstatus = 'A') OVER (PARTITION BY ordnungsmerkmal)
            AND count(DISTINCT coalesce(wohnungsstatus::VARCHAR, raw_wohnungsstatus))
                OVER (PARTITION BY ordnungsmerkmal) > 1""")
    # Both parent columns against one hash table of the keys (instead of one each).
    selects.append("""SELECT n.zeile, n.spalte, 'W_PARENT_UNKNOWN', '' FROM (
            SELECT zeile, 'elternteil_1' AS spalte, elternteil_1 AS schluessel FROM v WHERE elternteil_1 IS NOT NULL
            UNION ALL
            SELECT zeile, 'elternteil_2', elternteil_2 FROM v WHERE elternteil_2 IS NOT NULL) n
        ANTI JOIN (SELECT ordnungsmerkmal FROM v WHERE ordnungsmerkmal IS NOT NULL) o
            ON o.ordnungsmerkmal = n.schluessel""")
    con.execute("CREATE TEMP TABLE p AS " + " UNION ALL ".join(selects), {"stichtag": stichtag})
    counts = Counter(dict(con.execute("SELECT code, count(*) FROM p GROUP BY code").fetchall()))
    counts.update(p.code for p in problems)
    invalid = [
        row for (row,) in con.execute(f"SELECT DISTINCT zeile FROM p WHERE {_ERROR_FILTER} ORDER BY 1").fetchall()
    ]
    skipped = sorted({p.row for p in read.problems if p.severity == ERROR and p.row})
    row_problems = con.execute(
        "SELECT zeile, spalte, code, detail FROM p ORDER BY zeile, spalte LIMIT $limit", {"limit": limit}
    ).fetchall()
    problems += [Problem(row, column, code, detail) for row, column, code, detail in row_problems]
    problems.sort(key=lambda p: (p.row, p.column))
    typed = ", ".join(INPUT_COLUMNS)
    normalised = None
    if keep:
        if invalid:  # only the rows without errors go on; deleted in place rather than copied
            con.execute(f"DELETE FROM v WHERE zeile IN (SELECT zeile FROM p WHERE {_ERROR_FILTER})")
        for column in ["raw_geburtsdatum", "raw_zuzug_datum", *(f"raw_{c}" for c in [*STATE_COLUMNS, *CODE_COLUMNS])]:
            con.execute(f"ALTER TABLE v DROP COLUMN {column}")  # the checks are done; frees their memory at once
        con.execute(f"CREATE OR REPLACE TEMP VIEW {CHECKED} AS SELECT {typed}, zeile FROM v")
    else:
        normalised = con.sql(
            f"SELECT {typed}, zeile FROM v WHERE zeile NOT IN (SELECT zeile FROM p WHERE {_ERROR_FILTER}) "
            "ORDER BY zeile"
        ).to_arrow_table()
        normalised = normalised.cast(
            pa.schema([*[pa.field(n, t) for n, t in INPUT_COLUMNS.items()], pa.field("zeile", pa.int64())])
        )
    return Validation(
        normalised,
        problems[: limit + len(read.problems)],
        dict(counts),
        rows + len(skipped),
        sorted(set(invalid) | set(skipped)),
    )


def _state_hints(con: duckdb.DuckDBPyConnection) -> dict[str, list[str]]:
    """ "Did you mean" for unknown state keys, e.g. a name („Syrien“) where the key (475) is expected."""
    names = {code: state.name for code, state in codes.states().items() if state.status == "aktuell"}
    rows: dict[str, list[str]] = {"spalte": [], "raw": [], "detail": []}
    for col in STATE_COLUMNS:
        unknown = con.execute(f"SELECT DISTINCT raw_{col} FROM v WHERE raw_{col} IS NOT NULL AND {col} IS NULL")
        for (raw,) in unknown.fetchall()[:1000]:
            rows["spalte"].append(col)
            rows["raw"].append(raw)
            rows["detail"].append(tabular.suggest(raw, names).strip())
    return rows


def _planungsraum_problems(con: duckdb.DuckDBPyConnection, defined: dict[str, dict[str, str]]) -> dict[str, list[str]]:
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
    return rows


def _empty(column: str) -> str:
    """The condition "the field is empty"; a parsed or mapped column is NULL also for a value that is not valid,
    whose text ``raw_*`` then keeps."""
    if column in ("geburtsdatum", "staatsangehoerigkeit_1", *CODE_COLUMNS):
        return f"{column} IS NULL AND raw_{column} IS NULL"
    return f"{column} IS NULL"
