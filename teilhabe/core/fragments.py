"""Stored rendered HTML: page bodies and SVG charts built once when their data change, read by page views.

Shapes: ``key(*parts)`` → 64 hex characters (SHA-256 over the parts joined by "|"); ``read(key)`` →
``(title, html)`` or None; ``store(key, html, title="")``; ``get_or_build(key, build)`` → ``(title, html)``
where ``build()`` returns ``(title, html)`` and runs only when nothing is stored under ``key``.

The parts of a key name everything the HTML depends on (kind, parameters, language, data version), so a
write that changes the data version makes the old rows unreachable without a separate invalidation step,
in every worker at once (the store is the database, not a per-process cache). A small per-process map in
front saves the query for fragments this worker has just read (bounded, see ``_LOCAL_MAX``).
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable
from datetime import timedelta

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from teilhabe.core.models import StoredFragment

# Fragments kept per process: at most this many, and at most this many characters in all. Stored bodies
# reach 170 KB (report chapters with their maps); by count alone the map grew to 85 MB and pushed every web
# worker over its recycle limit (decision 0160) under traffic over many pages.
_LOCAL_MAX = 256
_LOCAL_MAX_CHARS = 4_000_000
_local: OrderedDict[str, tuple[str, str]] = OrderedDict()
_local_chars = 0
_local_lock = threading.Lock()  # gunicorn's threads share the map and its character count


_READ_SQL = 'SELECT "title", "html" FROM "core_storedfragment" WHERE "key" = %s'  # StoredFragment


def key(*parts: object) -> str:
    return hashlib.sha256("|".join(str(p) for p in parts).encode()).hexdigest()


def _size(value: tuple[str, str]) -> int:
    return len(value[0]) + len(value[1])


def _remember(fragment_key: str, value: tuple[str, str]) -> None:
    global _local_chars
    if _size(value) > _LOCAL_MAX_CHARS // 8:
        return  # a very large fragment is read from the database each time rather than crowding out the rest
    with _local_lock:
        old = _local.pop(fragment_key, None)
        if old is not None:
            _local_chars -= _size(old)
        _local[fragment_key] = value
        _local_chars += _size(value)
        while len(_local) > _LOCAL_MAX or _local_chars > _LOCAL_MAX_CHARS:
            _key, dropped = _local.popitem(last=False)
            _local_chars -= _size(dropped)


def read(fragment_key: str) -> tuple[str, str] | None:
    value = _local.get(fragment_key)
    if value is not None:
        return value
    # A fixed statement instead of a queryset: building and compiling the query cost more CPU than the database
    # took to answer it (issue 17: pages read one or two fragments per request).
    with connection.cursor() as cursor:
        cursor.execute(_READ_SQL, [fragment_key])
        row = cursor.fetchone()
    if row is not None:
        _remember(fragment_key, (row[0], row[1]))
        return row[0], row[1]
    return None


def store(fragment_key: str, html: str, title: str = "") -> None:
    """Insert or replace (two workers building the same fragment at once both succeed)."""
    try:
        with transaction.atomic():
            StoredFragment.objects.update_or_create(key=fragment_key, defaults={"html": html, "title": title})
    except IntegrityError:  # the other worker's insert won the race; its HTML is the same
        pass
    _remember(fragment_key, (title, html))


def exists(fragment_key: str) -> bool:
    return fragment_key in _local or StoredFragment.objects.filter(key=fragment_key).exists()


def get_or_build(fragment_key: str, build: Callable[[], tuple[str, str]]) -> tuple[str, str]:
    found = read(fragment_key)
    if found is not None:
        return found
    title, html = build()
    store(fragment_key, html, title)
    return title, html


def forget_local() -> None:
    """Drop this process's map (tests; the database rows stay)."""
    global _local_chars
    with _local_lock:
        _local.clear()
        _local_chars = 0


def prune(keep: set[str], older_than: timedelta = timedelta(days=1)) -> int:
    """Delete rows not in ``keep`` that were stored before ``older_than`` ago (unreachable old versions)."""
    cutoff = timezone.now() - older_than
    deleted, _detail = StoredFragment.objects.filter(stored_at__lt=cutoff).exclude(key__in=keep).delete()
    return deleted
