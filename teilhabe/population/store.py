"""Pseudonymous microdata store: one Parquet file per committed import under ``settings.POPULATION_DIR``.

The Meldebehörde's ``ordnungsmerkmal`` (and the parent keys) are replaced by HMAC-SHA256 with
``settings.PSEUDONYM_KEY``, so the store cannot be joined back to the register without the key. Exact dates
are dropped (age in years, move-in year and duration instead); the extract has no names or addresses.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

# Columns that never enter the store.
DROPPED = ["ordnungsmerkmal", "elternteil_1", "elternteil_2", "geburtsdatum", "zuzug_datum", "zeile"]
KEY_COLUMNS = {
    "ordnungsmerkmal": "pseudonym",
    "elternteil_1": "elternteil_1_pseudonym",
    "elternteil_2": "elternteil_2_pseudonym",
}


class Pseudonymiser:
    """HMAC-SHA256 (RFC 2104; hex, first 32 characters = 128 bit) with the key pads hashed once.

    Equal to ``hmac.new(key, value, sha256)``. Each distinct value is hashed once, for all key columns
    together (parent keys repeat person keys).
    """

    def __init__(self, key: bytes) -> None:
        block = hashlib.sha256(key).digest() if len(key) > 64 else key
        block = block.ljust(64, b"\0")
        self._inner = hashlib.sha256(bytes(b ^ 0x36 for b in block))
        self._outer = hashlib.sha256(bytes(b ^ 0x5C for b in block))

    def one(self, value: str) -> str:
        inner = self._inner.copy()
        inner.update(value.encode("utf-8"))
        outer = self._outer.copy()
        outer.update(inner.digest())
        return outer.hexdigest()[:32]

    def columns(self, columns: list[pa.ChunkedArray]) -> list[pa.ChunkedArray]:
        values = pc.unique(
            pa.chunked_array([chunk for column in columns for chunk in column.chunks], type=pa.string())
        ).drop_null()
        one = self.one
        hashed = pa.array([one(v) for v in values.to_pylist()], type=pa.string())
        return [pc.take(hashed, pc.index_in(column, value_set=values)) for column in columns]


def pseudonymise(values: pa.ChunkedArray, key: bytes) -> pa.ChunkedArray:
    return Pseudonymiser(key).columns([values])[0]


def store_table(derived: pa.Table, key: str) -> pa.Table:
    if not key:
        raise ValueError("PSEUDONYM_KEY ist nicht gesetzt; ohne Schlüssel wird nichts gespeichert.")
    table = derived
    hashed = Pseudonymiser(key.encode("utf-8")).columns([table.column(c) for c in KEY_COLUMNS])
    for target, column in zip(KEY_COLUMNS.values(), hashed, strict=True):
        table = table.append_column(target, column)
    table = table.append_column("zuzug_jahr", pc.year(table.column("zuzug_datum")))
    return table.drop_columns([c for c in DROPPED if c in table.column_names])


def write(table: pa.Table, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(table, str(path), compression="zstd")


def read(path: Path) -> pa.Table:
    return pq.read_table(str(path))
