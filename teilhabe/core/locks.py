"""Named exclusive locks across processes that die with their holder (``kill -9`` leaves no stale lock).

PostgreSQL: a session-level advisory lock (``pg_try_advisory_lock``) on the request's connection, released
explicitly or when the connection ends. SQLite (one host): ``flock`` on a file under ``var/locks``.
``exclusive(name)`` never waits: when another process holds the lock it raises ``Busy`` at once, so the
caller can tell the user clearly instead of queueing a second, conflicting import.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.db import connection


class Busy(Exception):
    """Another process holds the lock."""


def _key(name: str) -> int:
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big", signed=True)


@contextmanager
def exclusive(name: str) -> Iterator[None]:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [_key(name)])
            row = cursor.fetchone()
        if not (row and row[0]):
            raise Busy(name)
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [_key(name)])
        return
    directory = Path(settings.BASE_DIR) / "var" / "locks"
    directory.mkdir(parents=True, exist_ok=True)
    # One lock file per database and name: another installation (or test database) on the host is not a rival.
    # An in-memory database lives in one process only (each test worker has its own under the same name).
    database = connection.settings_dict.get("NAME")
    if getattr(connection, "is_in_memory_db", lambda: False)():  # SQLite's wrapper only
        database = f"{database}|pid={os.getpid()}"
    scoped = f"{database}|{name}"
    with (directory / f"{_key(scoped) & 0xFFFFFFFFFFFF:x}.lock").open("w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            raise Busy(name) from exc
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
