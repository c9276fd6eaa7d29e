"""The query engine of the register import: one DuckDB connection with a fixed memory limit. Django-free.

``connect(memory_mb, spill_dir)`` sets DuckDB's ``memory_limit`` (MB) and ``temp_directory``: joins, sorts and
aggregates that need more spill to files there instead of growing the process (DuckDB "out-of-core"
processing). pyarrow allocates from jemalloc with immediate decay (measured on the Karlsruhe extract: the
read step grows the process by ~110 MB instead of ~190 MB with the default mimalloc), so the tables passed
between the steps do not linger. Settings: ``POPULATION_PIPELINE_MEMORY_MB`` (env ``TEILHABE_PIPELINE_MEMORY_MB``).
"""

from __future__ import annotations

import contextlib
from collections.abc import Generator, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TypeVar

import duckdb
import pyarrow as pa

T = TypeVar("T")


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


def prefetched(items: Iterator[T]) -> Generator[T, None, None]:
    """The items of ``items`` in order, each produced in a worker thread while the caller still uses the one
    before: the register load parses the next chunk of the file (pyarrow) while DuckDB loads this one; both
    release the GIL, so on two cores the file's parsing no longer adds to the load's wall time (5 M rows: ≈ 3 s
    of single-threaded parsing). At most one item is held ahead. An exception of ``items`` is raised here, at
    its place in the order; if the caller stops early, the item being produced is finished and ``items``
    closed (a generator's ``finally`` runs)."""
    end = object()
    try:
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="teilhabe-prefetch") as pool:
            pending = pool.submit(next, items, end)
            while True:
                item = pending.result()
                if item is end:
                    return
                pending = pool.submit(next, items, end)
                yield item  # type: ignore[misc]  # not the end marker, so a T
    finally:
        close = getattr(items, "close", None)
        if close is not None:
            close()
