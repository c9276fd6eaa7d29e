"""Shared pytest fixtures. Browser tests run in Debian's Chromium (no downloaded browsers)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _on_postgres() -> bool:
    return os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))


# Test modules that run on PostgreSQL as well as SQLite: where the code under test takes a database-specific
# path (full-text and trigram search, advisory locks, audit triggers, COPY, pg_dump, roles, collation,
# concurrency, processes killed mid-write), or an issue asks for both databases (search #11/#14, faults #16).
# Everything else runs once, on SQLite; browser tests and walks run once, on PostgreSQL (decision 0161).
POSTGRES_ALSO = (
    "teilhabe/accounts/tests/test_separation_of_duties.py",
    "teilhabe/audit/tests/",
    "teilhabe/core/tests/test_backup_restore.py",
    "teilhabe/core/tests/test_operations.py",
    "teilhabe/core/tests/test_upgrade.py",
    "teilhabe/core/tests/test_worker_recycle.py",
    "teilhabe/directory/tests/test_api_schemathesis.py",
    "teilhabe/directory/tests/test_import.py",
    "teilhabe/directory/tests/test_kill_during_import.py",
    "teilhabe/directory/tests/test_public.py",
    "teilhabe/directory/tests/test_search_index.py",
    "teilhabe/directory/tests/test_search_memory.py",
    "teilhabe/directory/tests/test_search_quality.py",
    "teilhabe/indicators/tests/test_api_schemathesis.py",
    "teilhabe/indicators/tests/test_compute.py",
    "teilhabe/indicators/tests/test_kill_during_import.py",
    "teilhabe/lib/tests/test_collation.py",
    "teilhabe/linkage/tests/",
    "teilhabe/population/tests/test_concurrent_import.py",
    "teilhabe/population/tests/test_joint.py",
    "teilhabe/population/tests/test_kill_during_import.py",
    "teilhabe/population/tests/test_pipeline.py",
    "teilhabe/population/tests/test_publication.py",
    "teilhabe/population/tests/test_services.py",
    "teilhabe/regions/tests/test_regions.py",
    "teilhabe/registry/tests/test_access_matrix.py",
    "teilhabe/registry/tests/test_encryption.py",
    "teilhabe/registry/tests/test_search_and_audit.py",
    "teilhabe/registry/tests/test_services.py",
    "teilhabe/registry/tests/test_sharing_matrix.py",
    "teilhabe/registry/tests/test_statistics_role.py",
    "teilhabe/registry/tests/test_transmissions.py",
    "teilhabe/reports/tests/test_worker_kill.py",
    "teilhabe/surveys/tests/test_flow.py",
)


def _runs_on_postgres(item: pytest.Item) -> bool:
    if any(mark in item.keywords for mark in ("browser", "walk", "both_databases")):
        return True
    path = Path(str(item.fspath)).resolve().relative_to(Path(__file__).resolve().parent).as_posix()
    return path.startswith(POSTGRES_ALSO)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # Browser tests and broad walks (pages × languages) run once, on PostgreSQL, unless marked both_databases;
    # the rest runs on SQLite, and on PostgreSQL too where POSTGRES_ALSO says so. TEILHABE_TEST_ALL_ON_POSTGRES=1
    # runs every test on PostgreSQL (before a release).
    if not _on_postgres():
        once = pytest.mark.skip(reason="läuft einmal, im PostgreSQL-Durchlauf (browser/walk)")
        for item in items:
            if ("browser" in item.keywords or "walk" in item.keywords) and "both_databases" not in item.keywords:
                item.add_marker(once)
    else:
        if os.environ.get("TEILHABE_TEST_ALL_ON_POSTGRES", "") != "1":
            items[:] = [item for item in items if _runs_on_postgres(item)]
        # Longest first: xdist's worksteal hands each worker a contiguous share and idle workers steal from the
        # *end* of a busy worker's queue, so a walk of several minutes queued last would run alone at the end.
        # Stable sort: the order within the walks and within the rest stays as collected.
        items.sort(key=lambda item: 0 if "walk" in item.keywords or "browser" in item.keywords else 1)
    if Path(CHROMIUM).exists():
        return
    if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
        raise pytest.UsageError(f"{CHROMIUM} fehlt, Browser-Tests sind unter CI=true Pflicht.")
    skip = pytest.mark.skip(reason=f"{CHROMIUM} nicht installiert (apt-get install chromium)")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


def _allow_test_flush_of_audit_events_on_sqlite() -> None:
    """Django's test flush (transactional tests, live server) DELETEs every row on SQLite, which the audit
    DELETE trigger refuses; the flush opens the retention gate for all rows first (tests only)."""
    if _on_postgres():
        return
    import django.db.backends.sqlite3.base  # noqa: F401 - import order: base before operations
    from django.db.backends.sqlite3.operations import DatabaseOperations

    original = DatabaseOperations.sql_flush
    if getattr(original, "_teilhabe_gate", False):
        return

    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):  # type: ignore[no-untyped-def]
        sql = original(self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade)
        if not any("audit_auditevent" in statement for statement in sql):
            return sql
        keep = [
            statement for statement in sql if "audit_retentiongate" not in statement or "sqlite_sequence" in statement
        ]
        return [
            'INSERT INTO "audit_retentiongate" ("before") VALUES (\'9999-12-31 23:59:59\');',
            *keep,
            'DELETE FROM "audit_retentiongate";',
        ]

    sql_flush._teilhabe_gate = True  # type: ignore[attr-defined]
    DatabaseOperations.sql_flush = sql_flush  # type: ignore[method-assign]


@pytest.fixture(scope="session", autouse=True)
def _audit_flush_gate() -> None:
    _allow_test_flush_of_audit_events_on_sqlite()


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture
def regions(db: None) -> None:
    """Länder plus the configured Kreis (Uckermark by default) with its Gemeinden and reference values."""
    from django.conf import settings

    from teilhabe.regions.loader import load_regions

    load_regions(only_kreis=settings.TEILHABE_KREIS)


@pytest.fixture
def personas(db: None):  # type: ignore[no-untyped-def]
    from teilhabe.core.testing import make_personas

    return make_personas()


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict) -> dict:
    # A German visitor by default; tests that need another language switch explicitly.
    return {**browser_context_args, "locale": "de-DE"}


@pytest.fixture(autouse=True)
def _fast_password_hashing(request: pytest.FixtureRequest, settings: Any) -> None:
    """Argon2id (production) costs ~0.3 s per hash on this machine: every test user, demo account and login
    would pay it. Tests marked ``argon2`` check the production hasher itself."""
    if "argon2" not in request.keywords:
        settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _german_by_default():  # type: ignore[no-untyped-def]
    """Each test starts in German: a language activated by an earlier request or test would otherwise leak into
    ``reverse()`` (language prefixes of the public pages) and into rendered text."""
    from django.core.cache import cache
    from django.utils import translation

    from teilhabe.directory import searchmemory

    translation.activate("de")
    # Caches outlive a test's rolled-back transaction: rate-limit counters, cached pages and the per-process
    # search vocabulary would otherwise carry one test's data into the next.
    cache.clear()
    searchmemory.forget()
    yield
    translation.deactivate()
