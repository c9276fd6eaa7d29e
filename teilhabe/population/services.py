"""Import workflow: check (dry run) → commit (atomic, replaces the Stichtag) or discard. Every step audited.

Nothing of the extract is stored in the database unless committed: the check keeps the uploaded file in a
staging folder under ``settings.POPULATION_DIR`` (deleted on commit or discard) and stores only the
problem list (row, column, code; no cell values).
"""

from __future__ import annotations

import csv
import hashlib
import io
import shutil
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from teilhabe.accounts.models import Organisation
from teilhabe.audit.services import record
from teilhabe.population.models import PopulationCount, RegisterImport
from teilhabe.population.signals import register_import_committed
from teilhabe.regions.models import Gemeinde, Planungsraum

if TYPE_CHECKING:  # the engine (DuckDB, pyarrow) is imported when an import runs, not at start-up
    from teilhabe.population.validation import Validation

STORED_PROBLEMS = 2000


class ImportRejected(Exception):
    """The extract has errors and the user did not choose to import the valid rows only."""


@dataclass
class Timings:
    """Seconds per step of one import (``manage.py import_register -v 2`` prints them)."""

    read: float = 0.0  # opening the file (a streamed CSV is read during ``validate``)
    validate: float = 0.0  # loading and checking every row in the engine
    staged: float = 0.0  # opening the staged checked rows (web: the commit is a later request)
    store: float = 0.0  # derivation + pseudonyms + Parquet store file, one streamed query
    tables: float = 0.0  # the counts, read back from the store file
    database: float = 0.0  # replacing the Stichtag's counts in the main database


def _staging_path(register_import: RegisterImport) -> Path:
    return Path(settings.POPULATION_DIR) / "uploads" / f"{register_import.pk}.upload"


def _normalised_path(register_import: RegisterImport) -> Path:
    return Path(settings.POPULATION_DIR) / "uploads" / f"{register_import.pk}.checked.parquet"


def _store_path(register_import: RegisterImport) -> Path:
    return (
        Path(settings.POPULATION_DIR) / f"{register_import.kreis_ags}_{register_import.stichtag:%Y-%m-%d}_"
        f"{register_import.pk.hex[:8]}.parquet"
    )


def district_gemeinden(kreis_ags: str) -> set[str]:
    return set(Gemeinde.objects.filter(kreis_id=kreis_ags).values_list("ags", flat=True))


def district_planungsraeume(kreis_ags: str) -> dict[str, dict[str, str]]:
    """AGS → {code: name} of the Planungsräume defined in the district's Gemeinden."""
    defined: dict[str, dict[str, str]] = {}
    rows = Planungsraum.objects.filter(gemeinde__kreis_id=kreis_ags).values_list("gemeinde_id", "code", "name")
    for ags, code, name in rows:
        defined.setdefault(ags, {})[code] = name
    return defined


def pipeline_connection() -> Any:
    """The DuckDB connection of one import, within ``POPULATION_PIPELINE_MEMORY_MB`` (spilling to disk)."""
    from teilhabe.population.engine import connect

    return connect(settings.POPULATION_PIPELINE_MEMORY_MB, Path(settings.POPULATION_DIR) / "spill")


def _check(
    data: bytes | Path, filename: str, stichtag: date, kreis_ags: str, timings: Timings
) -> tuple[Validation, Any, Any]:
    """Read and validate inside one pipeline connection; (validation, read result, the connection holding the
    checked rows as ``validation.CHECKED``, or None if no row is valid)."""
    from teilhabe.population.importer import read_extract, validate

    con = pipeline_connection()
    try:
        started = time.perf_counter()
        read = read_extract(data, filename, stream=True)
        timings.read = time.perf_counter() - started
        started = time.perf_counter()
        result = validate(
            read,
            stichtag,
            district_gemeinden(kreis_ags),
            planungsraeume=district_planungsraeume(kreis_ags),
            connection=con,
            keep=True,
        )
        timings.validate = time.perf_counter() - started
    except BaseException:
        con.close()
        raise
    read.table = read.stream = None  # the file's strings are not needed any more; the checked rows are in ``con``
    if result.rows_valid == 0:
        con.close()
        con = None
    return result, read, con


def register_import_check(
    *,
    acting_user: Any,
    owner: Organisation,
    data: bytes | Path,
    filename: str,
    stichtag: date,
    kreis_ags: str | None = None,
    timings: Timings | None = None,
    stage: bool = True,
) -> RegisterImport:
    """Dry run: validate the file, keep it staged and store the report. Nothing is imported yet.

    ``data``: the uploaded bytes, or the ``Path`` of a file on disk (CLI: read in blocks, never whole).
    ``stage=False`` (CLI, demo) keeps the checked rows only in the query engine, in the pipeline connection
    on ``register_import.pipeline`` (closed by the commit or the discard)."""
    timings = timings or Timings()
    kreis_ags = kreis_ags or settings.TEILHABE_KREIS
    # The file's SHA-256 is computed beside the check: hashlib releases the GIL, so it takes the core the check
    # leaves idle (5 M rows: ≈ 0.3 s of a 532 MB file no longer in the import's wall time).
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="teilhabe-digest") as pool:
        digest = pool.submit(_sha256, data)
        result, read, con = _check(data, filename, stichtag, kreis_ags, timings)
        try:
            sha256 = digest.result()
        except BaseException:
            if con is not None:
                con.close()
            raise
    try:
        register_import = RegisterImport(
            owner=owner,
            kreis_ags=kreis_ags,
            stichtag=stichtag,
            original_filename=Path(filename).name[:255],
            file_format=read.file_format,
            encoding=read.encoding,
            delimiter=read.delimiter,
            sha256=sha256,
            rows_total=result.rows_total,
            rows_valid=result.rows_valid,
            error_count=result.error_count,
            warning_count=result.warning_count,
            problem_counts=result.counts,
            problems=[[p.row, p.column, p.code, p.detail] for p in result.problems[:STORED_PROBLEMS]],
            created_by=acting_user if getattr(acting_user, "is_authenticated", False) else None,
        )
        with transaction.atomic():
            register_import.save()
            record(
                "population.import.check",
                actor=acting_user,
                organisation=owner,
                obj=register_import,
                extra={
                    "rows": result.rows_total,
                    "errors": result.error_count,
                    "warnings": result.warning_count,
                    "stichtag": stichtag.isoformat(),
                },
            )
        if not stage:
            register_import.pipeline, con = con, None  # type: ignore[attr-defined]
            return register_import
        path = _staging_path(register_import)
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, Path):
            shutil.copyfile(data, path)
        else:
            path.write_bytes(data)
        if con is not None:
            # The checked rows are kept staged so the commit does not parse and validate the file again.
            from teilhabe.population.validation import CHECKED

            target = str(_normalised_path(register_import)).replace("'", "''")
            con.execute(f"COPY (SELECT * FROM {CHECKED} ORDER BY zeile) TO '{target}' (FORMAT parquet)")  # noqa: S608
        return register_import
    finally:
        if con is not None:
            con.close()


def _sha256(data: bytes | Path) -> str:
    """Hex SHA-256 of the uploaded bytes or of the file on disk (read in blocks)."""
    if isinstance(data, Path):
        with data.open("rb") as handle:
            return hashlib.file_digest(handle, "sha256").hexdigest()
    return hashlib.sha256(data).hexdigest()


def _release(register_import: RegisterImport) -> Any:
    """The pipeline connection kept by a check with ``stage=False`` (None otherwise), detached."""
    con = getattr(register_import, "pipeline", None)
    register_import.pipeline = None  # type: ignore[attr-defined]
    return con


def staged_data(register_import: RegisterImport) -> bytes | None:
    path = _staging_path(register_import)
    return path.read_bytes() if path.exists() else None


def register_import_commit(
    *,
    acting_user: Any,
    register_import: RegisterImport,
    valid_rows_only: bool = False,
    timings: Timings | None = None,
    publish: str | None = None,
) -> RegisterImport:
    """Derive, aggregate and store; replaces an earlier import of the same Stichtag. All or nothing.

    After the commit the joint disclosure decision runs (``publication.schedule``; ``publish`` = "inline" or
    "task", default ``settings.TEILHABE_POPULATION_PUBLISH``); the tables are visible once it has run.

    One commit per (owner, Kreis, Stichtag) at a time: a second one started meanwhile is refused at once
    with ``ImportRejected`` (a clear message) instead of racing the first (``teilhabe.core.locks``)."""
    from teilhabe.core.locks import Busy, exclusive

    name = f"population-import:{register_import.owner_id}:{register_import.kreis_ags}:{register_import.stichtag}"
    try:
        with exclusive(name):
            register_import.refresh_from_db(fields=["status"])
            return _register_import_commit_locked(
                acting_user=acting_user,
                register_import=register_import,
                valid_rows_only=valid_rows_only,
                timings=timings,
                publish=publish,
            )
    except Busy as exc:
        raise ImportRejected(
            f"Ein anderer Import zum Stichtag {register_import.stichtag:%d.%m.%Y} wird gerade übernommen. "
            "Ihr Import wurde nicht übernommen; prüfen Sie nach dessen Abschluss, ob er noch nötig ist."
        ) from exc


def _register_import_commit_locked(
    *,
    acting_user: Any,
    register_import: RegisterImport,
    valid_rows_only: bool = False,
    timings: Timings | None = None,
    publish: str | None = None,
) -> RegisterImport:
    from teilhabe.population import store
    from teilhabe.population.derivation import derivation_sql
    from teilhabe.population.publication import schedule
    from teilhabe.population.tables import aggregate_rows
    from teilhabe.population.validation import CHECKED

    timings = timings or Timings()
    con = _release(register_import)
    try:
        remove_orphans()
        if register_import.status != RegisterImport.Status.CHECKED:
            raise ImportRejected("Dieser Import wurde bereits übernommen oder verworfen.")
        normalised_path = _normalised_path(register_import)
        if register_import.rows_valid == 0 or (register_import.error_count and not valid_rows_only):
            raise ImportRejected("Die Datei enthält Fehler. Nichts wurde übernommen.")
        if con is None:
            if not normalised_path.exists():
                raise ImportRejected("Die geprüfte Datei liegt nicht mehr vor; bitte erneut hochladen.")
            started = time.perf_counter()
            con = pipeline_connection()
            staged = str(normalised_path).replace("'", "''")
            con.execute(f"CREATE TEMP VIEW {CHECKED} AS SELECT * FROM read_parquet('{staged}')")  # noqa: S608
            timings.staged = time.perf_counter() - started
    except BaseException:
        if con is not None:
            con.close()
        raise
    path = _store_path(register_import)
    temporary = path.with_suffix(".parquet.tmp")
    try:
        # Derivation and pseudonyms stream from the checked rows straight into the store file; the counts are
        # then read back from that file (only the columns they need). No step holds the rows in Python.
        started = time.perf_counter()
        derived = f"({derivation_sql(CHECKED)})"
        columns = con.sql(f"SELECT * FROM {derived} LIMIT 0", params={"stichtag": register_import.stichtag}).columns  # noqa: S608
        store.copy_store(
            con,
            derived,
            columns,
            settings.PSEUDONYM_KEY,
            temporary,
            params={"stichtag": register_import.stichtag},
            values_from=CHECKED,
        )
        con.execute(f"DROP VIEW IF EXISTS {CHECKED}; DROP TABLE IF EXISTS v")
        timings.store = time.perf_counter() - started
        started = time.perf_counter()
        target = str(temporary).replace("'", "''")
        counts = aggregate_rows(con, f"read_parquet('{target}')", register_import.kreis_ags)
        timings.tables = time.perf_counter() - started
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    finally:
        con.close()
    started = time.perf_counter()
    population = sum(
        m + f + o for level, _a, dimension, _c, m, f, o in counts if level == "kreis" and dimension == "bevoelkerung"
    )
    try:
        with transaction.atomic():
            previous = list(
                RegisterImport.objects.select_for_update().filter(
                    owner=register_import.owner,
                    kreis_ags=register_import.kreis_ags,
                    stichtag=register_import.stichtag,
                    status=RegisterImport.Status.COMMITTED,
                )
            )
            for old in previous:
                old.counts.all().delete()
                old.published_tables.all().delete()
                old.status = RegisterImport.Status.REPLACED
                old.save(update_fields=["status"])
                record(
                    "population.import.replace",
                    actor=acting_user,
                    organisation=old.owner,
                    obj=old,
                    extra={"replaced_by": str(register_import.pk), "stichtag": old.stichtag.isoformat()},
                )
            _insert_counts(register_import, counts)
            register_import.status = RegisterImport.Status.COMMITTED
            register_import.valid_rows_only = bool(register_import.error_count) and valid_rows_only
            register_import.population = population
            register_import.store_file = path.name
            register_import.committed_by = acting_user if getattr(acting_user, "is_authenticated", False) else None
            register_import.committed_at = timezone.now()
            register_import.save()
            record(
                "population.import.commit",
                actor=acting_user,
                organisation=register_import.owner,
                obj=register_import,
                extra={
                    "stichtag": register_import.stichtag.isoformat(),
                    "rows_imported": register_import.rows_valid,
                    "rows_rejected": register_import.rows_total - register_import.rows_valid,
                    "valid_rows_only": register_import.valid_rows_only,
                    "replaced": [str(old.pk) for old in previous],
                },
            )
            old_files = [Path(settings.POPULATION_DIR) / old.store_file for old in previous if old.store_file]
            transaction.on_commit(lambda: _finish(register_import, temporary, path, old_files))
            transaction.on_commit(
                lambda: register_import_committed.send(sender=RegisterImport, register_import=register_import)
            )
            transaction.on_commit(lambda: schedule(register_import, publish))
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    timings.database = time.perf_counter() - started
    return register_import


def _insert_counts(register_import: RegisterImport, counts: list[tuple[Any, ...]]) -> None:
    """Tens of thousands of rows, the ORM's per-object overhead would dominate: on PostgreSQL one ``COPY … FROM
    STDIN`` (psycopg 3, inside the surrounding transaction), elsewhere a plain executemany.
    ``counts``: tuples in ``tables.COUNT_COLUMNS`` order."""
    names = ("level", "area", "dimension", "category", "male", "female", "other")
    table = connection.ops.quote_name(PopulationCount._meta.db_table)
    fields = ", ".join(connection.ops.quote_name(n) for n in ("register_import_id", "stichtag", *names))
    placeholders = ", ".join(["%s"] * (len(names) + 2))
    if connection.vendor == "postgresql":
        # One CSV text from the csv module (C) instead of psycopg's write_row per row (Python): 38,000 rows
        # 0.46 → 0.05 s. Every field is NOT NULL; strings quoted, so an empty one stays an empty string. The key
        # and the date go in as text, converted once: as objects, str() per row cost 0.14 s of Karlsruhe's 0.25 s.
        key_text, stichtag = str(register_import.pk), register_import.stichtag.isoformat()
        rows = [(key_text, stichtag, *values) for values in counts]
        text = io.StringIO()
        csv.writer(text, quoting=csv.QUOTE_NONNUMERIC, lineterminator="\n").writerows(rows)
        with (
            connection.cursor() as cursor,
            cursor.cursor.copy(f"COPY {table} ({fields}) FROM STDIN (FORMAT csv)") as copy,
        ):
            copy.write(text.getvalue())
        return
    key = register_import.pk.hex if connection.vendor == "sqlite" else register_import.pk
    rows = [(key, register_import.stichtag, *values) for values in counts]
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 10_000):
            cursor.executemany(
                f"INSERT INTO {table} ({fields}) VALUES ({placeholders})",  # noqa: S608
                rows[start : start + 10_000],
            )


def _finish(register_import: RegisterImport, temporary: Path, path: Path, old_files: list[Path]) -> None:
    temporary.replace(path)
    for old in old_files:
        old.unlink(missing_ok=True)
    _remove_staged(register_import)


def remove_orphans(max_age_seconds: float = 3600) -> int:
    """Delete microdata files no committed import refers to: temporary Parquet files and staged uploads of
    transactions that were rolled back (on_commit never ran), older than ``max_age_seconds``."""
    base = Path(settings.POPULATION_DIR)
    if not base.exists():
        return 0
    referenced = set(RegisterImport.objects.exclude(store_file="").values_list("store_file", flat=True))
    checked = {
        str(pk)
        for pk in RegisterImport.objects.filter(status=RegisterImport.Status.CHECKED).values_list("pk", flat=True)
    }
    now = time.time()
    removed = 0
    candidates = [*base.glob("*.parquet.tmp"), *base.glob("*.parquet"), *base.glob("uploads/*")]
    for path in candidates:
        if path.name in referenced or path.name.split(".")[0] in checked:
            continue
        if now - path.stat().st_mtime > max_age_seconds:
            path.unlink(missing_ok=True)
            removed += 1
    return removed


def _remove_staged(register_import: RegisterImport) -> None:
    _staging_path(register_import).unlink(missing_ok=True)
    _normalised_path(register_import).unlink(missing_ok=True)


def register_import_discard(*, acting_user: Any, register_import: RegisterImport) -> RegisterImport:
    con = _release(register_import)
    if con is not None:
        con.close()
    if register_import.status != RegisterImport.Status.CHECKED:
        raise ImportRejected("Nur geprüfte, noch nicht übernommene Importe können verworfen werden.")
    with transaction.atomic():
        register_import.status = RegisterImport.Status.DISCARDED
        register_import.save(update_fields=["status"])
        record(
            "population.import.discard",
            actor=acting_user,
            organisation=register_import.owner,
            obj=register_import,
        )
    _remove_staged(register_import)
    return register_import
