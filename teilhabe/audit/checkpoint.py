"""Checkpoints of the audit chain head, kept outside the database (tamper evidence for the tail).

The hash chain detects a changed or removed event *inside* the chain, but not a removed *tail*: delete the
newest rows and the rest still verifies. So a scheduled job (``manage.py audit_checkpoint``, every
``TEILHABE_AUDIT_CHECKPOINT_MINUTES``) writes the head — id, hash and number of events — to a place the
database cannot rewrite:

* a JSON-lines file (``TEILHABE_AUDIT_CHECKPOINT_FILE``, appended and fsynced; put it on another volume or
  ship it off the host), and/or
* syslog (``TEILHABE_AUDIT_CHECKPOINT_SYSLOG``: ``/dev/log`` or ``host:port``), for a remote log host.

One checkpoint is a JSON object::

    {"at": "2026-11-30T10:00:00+00:00", "kind": "scheduled", "count": 1234, "last_id": 1240,
     "head": "<sha256 hex>", "first_id": 7, "first_prev": "<sha256 hex>", "mac": "<hmac-sha256 hex>"}

``first_id``/``first_prev`` anchor the start of the chain after the retention job removed old events.
``mac`` is an HMAC over the other fields, keyed from ``SECRET_KEY``: whoever can write the file but does
not know the key cannot forge a checkpoint. ``verify_against(checkpoint)`` returns German problem texts.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import logging.handlers
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import timezone

from teilhabe.audit.models import AuditEvent
from teilhabe.audit.services import GENESIS_HASH, verify_chain

SYSLOG_TAG = "teilhabe-audit-checkpoint"
_FIELDS = ("at", "kind", "count", "last_id", "head", "first_id", "first_prev")


@dataclass(frozen=True)
class Checkpoint:
    at: str
    kind: str
    count: int
    last_id: int | None
    head: str
    first_id: int | None
    first_prev: str
    mac: str = ""

    def payload(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in _FIELDS}

    def expected_mac(self) -> str:
        key = hashlib.sha256(("audit-checkpoint:" + settings.SECRET_KEY).encode()).digest()
        body = json.dumps(self.payload(), sort_keys=True, separators=(",", ":"))
        return hmac.new(key, body.encode(), hashlib.sha256).hexdigest()

    def to_json(self) -> str:
        return json.dumps({**self.payload(), "mac": self.expected_mac()}, sort_keys=True, separators=(",", ":"))

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Checkpoint:
        return cls(**{name: data.get(name) for name in (*_FIELDS, "mac")})  # type: ignore[arg-type]


def current_head(kind: str = "scheduled") -> Checkpoint:
    """The chain head as it is in the database now (nothing written)."""
    events = AuditEvent.objects.order_by("id")
    last = events.values("id", "hash").last()
    first = events.values("id", "prev_hash").first()
    return Checkpoint(
        at=timezone.now().isoformat(),
        kind=kind,
        count=events.count(),
        last_id=last["id"] if last else None,
        head=last["hash"] if last else GENESIS_HASH,
        first_id=first["id"] if first else None,
        first_prev=first["prev_hash"] if first else GENESIS_HASH,
    )


def checkpoint_file() -> Path | None:
    value = getattr(settings, "AUDIT_CHECKPOINT_FILE", "")
    return Path(value) if value else None


def _syslog_handler(target: str) -> logging.Handler:
    if ":" in target and not target.startswith("/"):
        host, port = target.rsplit(":", 1)
        return logging.handlers.SysLogHandler(address=(host, int(port)))
    return logging.handlers.SysLogHandler(address=target)


def write_checkpoint(kind: str = "scheduled", *, extra_file: Path | None = None) -> Checkpoint:
    """Take the current head and write it to every configured target (and ``extra_file``, e.g. a backup)."""
    checkpoint = current_head(kind)
    line = checkpoint.to_json() + "\n"
    targets = [path for path in (checkpoint_file(), extra_file) if path is not None]
    for path in targets:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as handle:
            handle.write(line)
            handle.flush()
            os.fsync(handle.fileno())
    syslog_target = getattr(settings, "AUDIT_CHECKPOINT_SYSLOG", "")
    if syslog_target:
        handler = _syslog_handler(syslog_target)
        try:
            handler.emit(
                logging.LogRecord(SYSLOG_TAG, logging.INFO, __file__, 0, f"{SYSLOG_TAG}: %s", (line.strip(),), None)
            )
        finally:
            handler.close()
    return checkpoint


def read_checkpoints(path: Path) -> list[Checkpoint]:
    """All checkpoints in a JSON-lines file or a syslog extract (text before the first ``{`` is ignored)."""
    checkpoints: list[Checkpoint] = []
    if not path.exists():
        return checkpoints
    for raw in path.read_text(encoding="utf-8").splitlines():
        start = raw.find("{")
        if start < 0:
            continue
        try:
            checkpoints.append(Checkpoint.from_dict(json.loads(raw[start:])))
        except (ValueError, TypeError):
            continue
    return checkpoints


def latest_checkpoint(path: Path | None = None) -> Checkpoint | None:
    path = path or checkpoint_file()
    if path is None:
        return None
    found = read_checkpoints(path)
    return found[-1] if found else None


def verify_against(checkpoint: Checkpoint) -> list[str]:
    """Compare the database with a checkpoint: the head it names must still be there, with as many events
    up to it as it counted. Events written after the checkpoint are not covered (they are by the next one)."""
    problems: list[str] = []
    if not hmac.compare_digest(checkpoint.mac or "", checkpoint.expected_mac()):
        problems.append(f"Kontrollpunkt vom {checkpoint.at}: Signatur ungültig (Kontrollpunkt verändert oder fremd).")
        return problems
    if checkpoint.last_id is None:
        return problems
    head = AuditEvent.objects.filter(pk=checkpoint.last_id).values_list("hash", flat=True).first()
    if head is None:
        missing = checkpoint.count - AuditEvent.objects.filter(pk__lte=checkpoint.last_id).count()
        problems.append(
            f"Die neuesten Einträge fehlen: Der Kontrollpunkt vom {checkpoint.at} nennt Eintrag "
            f"{checkpoint.last_id} als letzten, er ist nicht mehr vorhanden ({missing} Einträge fehlen)."
        )
        return problems
    if head != checkpoint.head:
        problems.append(
            f"Eintrag {checkpoint.last_id} hat nicht die Prüfsumme des Kontrollpunkts vom {checkpoint.at} (verändert)."
        )
    present = AuditEvent.objects.filter(pk__lte=checkpoint.last_id).count()
    if present != checkpoint.count:
        problems.append(
            f"Bis Eintrag {checkpoint.last_id} zählte der Kontrollpunkt vom {checkpoint.at} {checkpoint.count} "
            f"Einträge, vorhanden sind {present}."
        )
    return problems


ANCHOR_KINDS = {"retention", "restore"}


def verify_all(path: Path | None = None) -> tuple[int, list[str], list[str]]:
    """Chain plus latest checkpoint. Returns (events checked, problems, notes)."""
    notes: list[str] = []
    path = path or checkpoint_file()
    checkpoints = read_checkpoints(path) if path else []
    anchors = [c for c in checkpoints if c.kind in ANCHOR_KINDS and c.first_id is not None]
    anchor = (anchors[-1].first_id, anchors[-1].first_prev) if anchors else None
    count, problems = verify_chain(start_anchor=anchor)
    if checkpoints:
        problems.extend(verify_against(checkpoints[-1]))
        notes.append(f"Verglichen mit dem Kontrollpunkt vom {checkpoints[-1].at} ({checkpoints[-1].count} Einträge).")
    else:
        notes.append(
            "Kein Kontrollpunkt gefunden: gelöschte neueste Einträge wären nicht erkennbar "
            "(manage.py audit_checkpoint regelmäßig ausführen)."
        )
    return count, problems, notes
