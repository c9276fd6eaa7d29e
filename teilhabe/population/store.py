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


def store_sql(source: str, columns: list[str]) -> str:
    """SELECT of the stored rows from the derived rows in ``source`` (with column names ``columns``): the
    key columns replaced by their pseudonyms, exact dates by the move-in year. Parameters: ``Pseudonymiser.params``."""
    kept = ", ".join(c for c in columns if c not in DROPPED)
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
) -> None:
    """Write the stored rows of the derived rows in ``source`` (a table, view or parenthesised query in ``con``
    with the column names ``columns``; its parameters in ``params``) to ``path`` with DuckDB's ``COPY``
    (Parquet, ``PARQUET_OPTIONS``): streamed by the engine, within its memory limit. The caller makes the file visible
    atomically (temporary name, then rename)."""
    pseudonymiser = _key(key)
    path.parent.mkdir(parents=True, exist_ok=True)
    target = str(path).replace("'", "''")
    con.execute(
        f"COPY ({store_sql(source, columns)}) TO '{target}' ({PARQUET_OPTIONS})",
        {**pseudonymiser.params, **(params or {})},
    )


def write(table: pa.Table, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(table, str(path), compression="zstd")


def read(path: Path) -> pa.Table:
    return pq.read_table(str(path))
