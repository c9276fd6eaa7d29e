"""The query engine of the register import: one DuckDB connection with a fixed memory limit. Django-free.

``connect(memory_mb, spill_dir)`` sets DuckDB's ``memory_limit`` (MB) and ``temp_directory``: joins, sorts and
aggregates that need more spill to files there instead of growing the process (DuckDB "out-of-core"
processing). pyarrow allocates from jemalloc with immediate decay (measured on the Karlsruhe extract: the
read step grows the process by ~110 MB instead of ~190 MB with the default mimalloc), so the tables passed
between the steps do not linger. Settings: ``POPULATION_PIPELINE_MEMORY_MB`` (env ``TEILHABE_PIPELINE_MEMORY_MB``).
"""

from __future__ import annotations

import contextlib
from pathlib import Path

import duckdb
import pyarrow as pa


def connect(memory_mb: int = 0, spill_dir: Path | None = None) -> duckdb.DuckDBPyConnection:
    """A DuckDB connection for one import. ``memory_mb`` 0 = DuckDB's default (80 % of RAM)."""
    config: dict[str, str | bool | int | float | list[str]] = {"preserve_insertion_order": True}
    if memory_mb:
        config["memory_limit"] = f"{memory_mb}MB"
    if spill_dir is not None:
        spill_dir.mkdir(parents=True, exist_ok=True)
        config["temp_directory"] = str(spill_dir)
    lean_arrow_memory()
    return duckdb.connect(config=config)


def temp_table(con: duckdb.DuckDBPyConnection, name: str, columns: dict[str, list[str]]) -> None:
    """(Re)create the temporary table ``name`` of VARCHAR columns from equally long Python lists, inside DuckDB.

    Small lookup tables of the import (aliases, Gemeinden, hints) are built this way rather than as
    ``pa.array``/``pa.table``: pyarrow imports pandas the first time it converts Python or NumPy data
    (~0.4 s of every CLI run), DuckDB's list parameters do not."""
    selects = ", ".join(f"unnest(${column}::VARCHAR[]) AS {column}" for column in columns)
    con.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS SELECT {selects}", columns)


def lean_arrow_memory() -> None:
    """pyarrow: jemalloc pool, freed memory returned at once (process-wide; a no-op where jemalloc is missing)."""
    with contextlib.suppress(NotImplementedError, AttributeError, pa.ArrowNotImplementedError):
        pa.set_memory_pool(pa.jemalloc_memory_pool())
        pa.jemalloc_set_decay_ms(0)
