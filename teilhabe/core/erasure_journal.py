"""Erasure journal: Art. 17 erasures survive a restore from an older backup ("erased stays erased").

Every erasure appends one JSON line ``{"at": iso, "type": "registry.case", "id": 17, "mac": …}`` to
``ERASURE_JOURNAL_FILE`` once its transaction has committed. The file lives *outside* the database and
outside every backup (keep it on another volume, back it up separately); it holds only object ids, no
personal data. ``manage.py restore`` calls ``replay(since)`` before the platform serves again: every
erasure after the backup's time is done again on the restored data. ``mac`` (HMAC keyed from
``SECRET_KEY``) makes an injected line fail instead of erasing something.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

Replayer = Callable[[int], bool]


def _replayers() -> dict[str, Replayer]:
    from teilhabe.registry.erasure_replay import replay_case_erasure

    return {"registry.case": replay_case_erasure}


def journal_path() -> Path | None:
    value = getattr(settings, "ERASURE_JOURNAL_FILE", "")
    return Path(value) if value else None


def _mac(entry: dict[str, object]) -> str:
    key = hashlib.sha256(("erasure-journal:" + settings.SECRET_KEY).encode()).digest()
    body = json.dumps({k: entry[k] for k in ("at", "type", "id")}, sort_keys=True, separators=(",", ":"))
    return hmac.new(key, body.encode(), hashlib.sha256).hexdigest()


def _append(object_type: str, object_id: int) -> None:
    path = journal_path()
    if path is None:
        return
    entry: dict[str, object] = {"at": timezone.now().isoformat(), "type": object_type, "id": int(object_id)}
    entry["mac"] = _mac(entry)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as handle:
        handle.write(json.dumps(entry, sort_keys=True) + "\n")
        handle.flush()
        os.fsync(handle.fileno())


def journal_erasure(object_type: str, object_id: int) -> None:
    """Call inside the erasing transaction; the line is written once it has committed."""
    transaction.on_commit(lambda: _append(object_type, object_id))


def entries(since: datetime | None = None) -> list[dict[str, object]]:
    path = journal_path()
    if path is None or not path.exists():
        return []
    found = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        try:
            entry = json.loads(raw)
        except ValueError:
            continue
        if not hmac.compare_digest(str(entry.get("mac", "")), _mac(entry)):
            continue
        if since is None or datetime.fromisoformat(str(entry["at"])) >= since:
            found.append(entry)
    return found


def replay(since: datetime | None) -> dict[str, int]:
    """Erase again what was erased after ``since``. Returns ``{"entries": n, "erased": m}``."""
    replayers = _replayers()
    todo = entries(since)
    erased = 0
    for entry in todo:
        replayer = replayers.get(str(entry["type"]))
        if replayer is not None and replayer(int(str(entry["id"]))):
            erased += 1
    return {"entries": len(todo), "erased": erased}
