# ruff: noqa: S608 - SQL text here interpolates only our own column names and file paths; values are parameters
"""Pseudonymous microdata store: one Parquet file per committed import under ``settings.POPULATION_DIR``.

The Meldebehörde's ``ordnungsmerkmal`` (and the parent keys) are replaced by HMAC-SHA256 with
``settings.PSEUDONYM_KEY`` (computed inside DuckDB, see ``Pseudonymiser``), so the store cannot be joined back to the register without the key. Exact dates
are dropped (age in years, move-in year and duration instead); the extract has no names or addresses.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from teilhabe.population import codes
from teilhabe.population.engine import temp_table
from teilhabe.population.problems import STATE_COLUMNS

# The store file's Parquet settings (decision 0172). Row groups of 50,000 rows instead of DuckDB's 122,880: the
# writer's buffers then fit beside the derivation's joins within the default 256 MB engine limit (Karlsruhe:
# 1 s less CPU, no eviction); zstd level 1 writes the same 12 MB as level 3 for less CPU.
PARQUET_OPTIONS = "FORMAT parquet, COMPRESSION zstd, COMPRESSION_LEVEL 1, ROW_GROUP_SIZE 50000"

# Columns that never enter the store.
DROPPED = ["ordnungsmerkmal", "elternteil_1", "elternteil_2", "geburtsdatum", "zuzug_datum", "zeile"]
KEY_COLUMNS = {
    "ordnungsmerkmal": "pseudonym",
    "elternteil_1": "elternteil_1_pseudonym",
    "elternteil_2": "elternteil_2_pseudonym",
}


class Pseudonymiser:
    """HMAC-SHA256 (RFC 2104; hex, first 32 characters = 128 bit) of UTF-8 text.

    ``one`` is the reference in Python (equal to ``hmac.new(key, value, sha256).hexdigest()[:32]``);
    ``sql`` is the same function as a DuckDB expression, so whole columns are hashed inside the query
    engine, vectorised and on all cores: H((K ⊕ opad) ‖ H((K ⊕ ipad) ‖ m)) with the padded key blocks
    passed as the parameters ``$hmac_inner`` and ``$hmac_outer`` (``params``).
    """

    def __init__(self, key: bytes) -> None:
        block = hashlib.sha256(key).digest() if len(key) > 64 else key
        block = block.ljust(64, b"\0")
        self._inner_pad = bytes(b ^ 0x36 for b in block)
        self._outer_pad = bytes(b ^ 0x5C for b in block)
        self._inner = hashlib.sha256(self._inner_pad)
        self._outer = hashlib.sha256(self._outer_pad)

    def one(self, value: str) -> str:
        inner = self._inner.copy()
        inner.update(value.encode("utf-8"))
        outer = self._outer.copy()
        outer.update(inner.digest())
        return outer.hexdigest()[:32]

    @property
    def params(self) -> dict[str, bytes]:
        return {"hmac_inner": self._inner_pad, "hmac_outer": self._outer_pad}

    @staticmethod
    def sql(column: str) -> str:
        """DuckDB expression: the pseudonym of the text column ``column`` (NULL stays NULL)."""
        return f"left(sha256($hmac_outer || unhex(sha256($hmac_inner || encode({column})))), 32)"

    def columns(
        self, columns: list[pa.ChunkedArray], *, connection: duckdb.DuckDBPyConnection | None = None
    ) -> list[pa.ChunkedArray]:
        con = connection or duckdb.connect()
        source = pa.table({f"c{i}": column for i, column in enumerate(columns)})
        con.register("pseudonym_source", source)
        try:
            selects = ", ".join(f"{self.sql(f'c{i}')} AS c{i}" for i in range(len(columns)))
            result = con.sql(f"SELECT {selects} FROM pseudonym_source", params=self.params).to_arrow_table()
        finally:
            con.unregister("pseudonym_source")
        return [result.column(f"c{i}").cast(pa.string()) for i in range(len(columns))]


def pseudonymise(values: pa.ChunkedArray, key: bytes) -> pa.ChunkedArray:
    return Pseudonymiser(key).columns([values])[0]


def store_sql(source: str, columns: list[str], types: dict[str, str] | None = None) -> str:
    """SELECT of the stored rows from the derived rows in ``source`` (with column names ``columns``): the
    key columns replaced by their pseudonyms, exact dates by the move-in year; the columns in ``types`` cast to
    those (ENUM) types. Parameters: ``Pseudonymiser.params``."""
    types = types or {}
    kept = ", ".join(f"{c}::{types[c]} AS {c}" if c in types else c for c in columns if c not in DROPPED)
    pseudonyms = ", ".join(f"{Pseudonymiser.sql(c)} AS {target}" for c, target in KEY_COLUMNS.items())
    return f"SELECT {kept}, {pseudonyms}, year(zuzug_datum) AS zuzug_jahr FROM {source}"


def _key(key: str) -> Pseudonymiser:
    if not key:
        raise ValueError("PSEUDONYM_KEY ist nicht gesetzt; ohne Schlüssel wird nichts gespeichert.")
    return Pseudonymiser(key.encode("utf-8"))


def store_table(derived: pa.Table, key: str, *, connection: duckdb.DuckDBPyConnection | None = None) -> pa.Table:
    """The stored table of ``derived`` (pyarrow; see ``write_store`` for the streaming way to a file)."""
    pseudonymiser = _key(key)
    con = connection or duckdb.connect()
    con.register("store_source", derived)
    try:
        sql = store_sql("store_source", derived.column_names)
        table = con.sql(sql, params=pseudonymiser.params).to_arrow_table()
    finally:
        con.unregister("store_source")
    return table.cast(table.schema.set(table.schema.get_field_index("zuzug_jahr"), pa.field("zuzug_jahr", pa.int64())))


def write_store(
    derived: pa.Table, key: str, path: Path, *, connection: duckdb.DuckDBPyConnection | None = None
) -> None:
    """Pseudonymise ``derived`` and write it to ``path`` (Parquet, zstd) inside DuckDB: the stored table never
    exists as a whole in Python memory."""
    con = connection or duckdb.connect()
    con.register("store_source", derived)
    try:
        copy_store(con, "store_source", derived.column_names, key, path)
    finally:
        con.unregister("store_source")


def copy_store(
    con: duckdb.DuckDBPyConnection,
    source: str,
    columns: list[str],
    key: str,
    path: Path,
    *,
    params: dict[str, object] | None = None,
    values_from: str | None = None,
) -> None:
    """Write the stored rows of the derived rows in ``source`` (a table, view or parenthesised query in ``con``
    with the column names ``columns``; its parameters in ``params``) to ``path`` with DuckDB's ``COPY``
    (Parquet, ``PARQUET_OPTIONS``): streamed by the engine, within its memory limit. The caller makes the file visible
    atomically (temporary name, then rename). Code columns are written as ENUMs (``categories``); the values of
    ``ags`` and ``planungsraum`` are read from ``values_from`` (a relation with those input columns; default
    ``source``, which then runs once more)."""
    pseudonymiser = _key(key)
    path.parent.mkdir(parents=True, exist_ok=True)
    target = str(path).replace("'", "''")
    types = _enum_types(con, values_from or source, columns, params or {})
    con.execute(
        f"COPY ({store_sql(source, columns, types)}) TO '{target}' ({PARQUET_OPTIONS})",
        {**pseudonymiser.params, **(params or {})},
    )


# The code columns of the store and their possible values. Written as ENUMs, a code column costs the Parquet
# writer a fifth of what the same VARCHAR costs (which it hashes value by value into a dictionary): Karlsruhe,
# 19 code columns, 0.86 s → 0.18 s CPU; in the file it is the same dictionary-encoded string column, read back as
# VARCHAR. A value outside its list stops the import with an error (a strict cast), it is never stored as NULL.
def categories() -> dict[str, tuple[str, list[str]]]:
    """Column → (ENUM type name, values): the code lists of ``codes``; columns with the same list share a type."""
    states = ("kategorie_staat", sorted(codes.states()))
    groups = ("kategorie_staatsangehoerigkeitsgruppe", list(codes.NATIONALITY_GROUPS))
    return {
        "wohnungsstatus": ("kategorie_wohnungsstatus", list(codes.WOHNUNGSSTATUS)),
        "geschlecht": ("kategorie_geschlecht", list(codes.GESCHLECHT)),
        "art_deutsche_staatsangehoerigkeit": ("kategorie_art", list(codes.ART_DEUTSCH)),
        "familienstand": ("kategorie_familienstand", list(codes.FAMILIENSTAND)),
        "religion": ("kategorie_religion", list(codes.RELIGION)),
        **dict.fromkeys(STATE_COLUMNS, states),
        "herkunftsgruppe": states,
        "altersgruppe": ("kategorie_altersgruppe", [band[0] for band in codes.AGE_BANDS] + [codes.UNKNOWN]),
        "aufenthaltsdauer": (
            "kategorie_aufenthaltsdauer",
            [band[0] for band in codes.DURATION_BANDS] + [codes.NO_MOVE_IN],
        ),
        "geschlecht_gruppe": ("kategorie_geschlecht_gruppe", list(codes.SEX_GROUPS)),
        "mh_typ": ("kategorie_mh_typ", list(codes.MH_TYPES)),
        "herkunftsregion": groups,
        "staatsangehoerigkeitsgruppe": groups,
    }


DATA_CATEGORIES = ("ags", "planungsraum")  # code columns whose values come from the extract itself


def code_types(con: duckdb.DuckDBPyConnection, columns: list[str]) -> dict[str, str]:
    """Create (once per connection) the ENUM types of the listed code columns among ``columns``; column → type.
    The check table of an import takes them too (``validation``), so the store's casts are no-ops then."""
    types: dict[str, str] = {}
    for column, (name, values) in categories().items():
        if column in columns:
            temp_table(con, "kategorie_werte", {"v": values})
            con.execute(f"CREATE TYPE IF NOT EXISTS {name} AS ENUM (SELECT v FROM kategorie_werte)")
            types[column] = name
    con.execute("DROP TABLE IF EXISTS kategorie_werte")
    return types


def _enum_types(
    con: duckdb.DuckDBPyConnection, values_from: str, columns: list[str], params: dict[str, object]
) -> dict[str, str]:
    """``code_types`` plus the types of ``DATA_CATEGORIES`` from the values in ``values_from``; column → type."""
    types = code_types(con, columns)
    data = [column for column in DATA_CATEGORIES if column in columns]
    if data:
        found = con.execute(
            "SELECT "
            + ", ".join(f"list(DISTINCT {c}) FILTER ({c} IS NOT NULL)" for c in data)
            + f" FROM {values_from}",
            {k: v for k, v in params.items() if f"${k}" in values_from},
        ).fetchone()
        for column, values in zip(data, found or (), strict=True):
            if values:
                name = f"auszug_{column}"
                temp_table(con, "kategorie_werte", {"v": sorted(values)})
                con.execute(f"DROP TYPE IF EXISTS {name}")
                con.execute(f"CREATE TYPE {name} AS ENUM (SELECT v FROM kategorie_werte)")
                types[column] = name
        con.execute("DROP TABLE IF EXISTS kategorie_werte")
    return types


def write(table: pa.Table, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(table, str(path), compression="zstd")


def read(path: Path) -> pa.Table:
    return pq.read_table(str(path))
