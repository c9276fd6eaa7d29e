"""Encrypted backup and restore of a whole installation (``manage.py backup`` / ``manage.py restore``).

A backup file (``teilhabe-backup-<UTC time>.tbk``) is a tar archive, encrypted with Fernet
(``cryptography``) in pieces of ``PIECE`` bytes: ``MAGIC`` then, per piece, 8 bytes length + token. Inside:

* ``db.dump`` (``pg_dump -Fc``) or ``db.sqlite3`` (SQLite online backup),
* ``stores/population/…`` and ``stores/media/…`` (Parquet store, uploads),
* ``config.json``: every ``TEILHABE_*`` variable except secrets (keys, passwords, tokens),
* ``checkpoint.json``: the audit chain head taken with the backup (also written to the checkpoint file),
* ``manifest.json``: time, database vendor, applied migrations, SHA-256 of every file.

Keys (``TEILHABE_BACKUP_KEYS``) and the erasure journal are never inside a backup. ``restore()`` refuses a
non-empty installation, restores database and stores, migrates to the current code, verifies the audit
chain against the backup's checkpoint, replays the erasure journal, records the restore as an audit event
and writes a new checkpoint — all before the platform serves again.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import struct
import subprocess
import tarfile
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, BinaryIO

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder

from teilhabe.audit.checkpoint import Checkpoint, verify_against, write_checkpoint
from teilhabe.audit.services import record, verify_chain

MAGIC = b"TEILHABE-BACKUP-1\n"
PIECE = 16 * 1024 * 1024
SECRET_MARKERS = ("KEY", "SECRET", "PASSWORD", "TOKEN", "DATABASE_URL", "REDIS_URL")


class BackupError(RuntimeError):
    """German message for the operator."""


def _fernet() -> MultiFernet:
    keys = settings.BACKUP_KEYS
    if not keys:
        raise BackupError(
            "TEILHABE_BACKUP_KEYS ist nicht gesetzt: ohne Schlüssel wird keine Sicherung geschrieben oder gelesen."
        )
    try:
        return MultiFernet([Fernet(key.strip().encode()) for key in keys])
    except ValueError as exc:
        raise BackupError("TEILHABE_BACKUP_KEYS enthält keinen gültigen Fernet-Schlüssel.") from exc


def store_dirs() -> dict[str, Path]:
    from teilhabe.core.ops_views import store_dirs as dirs

    return dirs()


def _pg_env(db: dict[str, Any]) -> tuple[list[str], dict[str, str]]:
    args = [
        "-h",
        str(db.get("HOST") or "127.0.0.1"),
        "-p",
        str(db.get("PORT") or 5432),
        "-U",
        str(db.get("USER") or "postgres"),
    ]
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return args, env


def _program(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(f"{name} fehlt (Debian: apt-get install postgresql-client).")
    return found


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while piece := handle.read(1024 * 1024):
            digest.update(piece)
    return digest.hexdigest()


def _config() -> dict[str, str]:
    return {
        name: value
        for name, value in sorted(os.environ.items())
        if name.startswith("TEILHABE_") and not any(marker in name for marker in SECRET_MARKERS)
    }


def _encrypt(source: BinaryIO, target: BinaryIO) -> None:
    fernet = _fernet()
    target.write(MAGIC)
    while piece := source.read(PIECE):
        token = fernet.encrypt(piece)
        target.write(struct.pack(">Q", len(token)))
        target.write(token)


def _decrypt(source: BinaryIO, target: BinaryIO) -> None:
    fernet = _fernet()
    if source.read(len(MAGIC)) != MAGIC:
        raise BackupError("Das ist keine Teilhabe-Sicherung (Kennung fehlt).")
    while header := source.read(8):
        (length,) = struct.unpack(">Q", header)
        try:
            target.write(fernet.decrypt(source.read(length)))
        except InvalidToken as exc:
            raise BackupError(
                "Die Sicherung lässt sich mit den eingestellten Schlüsseln nicht entschlüsseln (oder ist beschädigt)."
            ) from exc


def backup(out_dir: Path) -> Path:
    """Write an encrypted backup into ``out_dir``; returns its path. Atomic: temporary file, then rename."""
    _fernet()
    out_dir.mkdir(parents=True, exist_ok=True)
    created = datetime.now(UTC)
    record("system.backup", username="system", object_type="system", extra={"at": created.isoformat()})
    checkpoint = write_checkpoint("backup")
    db = connection.settings_dict
    with tempfile.TemporaryDirectory(dir=out_dir, prefix=".backup-") as tmp:
        work = Path(tmp) / "content"
        work.mkdir()
        if connection.vendor == "postgresql":
            args, env = _pg_env(db)
            dump = [_program("pg_dump"), *args, "-Fc", "-f", str(work / "db.dump"), str(db["NAME"])]
            subprocess.run(dump, check=True, env=env)  # noqa: S603 - fixed program, arguments from settings
        else:
            source = sqlite3.connect(str(db["NAME"]))
            target = sqlite3.connect(str(work / "db.sqlite3"))
            with target:
                source.backup(target)
            source.close()
            target.close()
        for name, path in store_dirs().items():
            if path.exists():
                shutil.copytree(path, work / "stores" / name, ignore=shutil.ignore_patterns("*.tmp", "*.lock"))
        (work / "config.json").write_text(json.dumps(_config(), indent=2, ensure_ascii=False))
        (work / "checkpoint.json").write_text(checkpoint.to_json())
        files = {str(p.relative_to(work)): _sha256(p) for p in sorted(work.rglob("*")) if p.is_file()}
        manifest = {
            "created_at": created.isoformat(),
            "vendor": connection.vendor,
            "migrations": sorted(f"{a}.{n}" for a, n in MigrationRecorder(connection).applied_migrations()),
            "files": files,
        }
        (work / "manifest.json").write_text(json.dumps(manifest, indent=2))
        archive = Path(tmp) / "backup.tar"
        with tarfile.open(archive, "w") as tar:
            tar.add(work, arcname="teilhabe-backup")
        final = out_dir / f"teilhabe-backup-{created:%Y%m%dT%H%M%SZ}.tbk"
        partial = Path(tmp) / final.name
        with archive.open("rb") as source_file, partial.open("wb") as target_file:
            _encrypt(source_file, target_file)
            target_file.flush()
            os.fsync(target_file.fileno())
        os.replace(partial, final)
    return final


def _installation_is_empty() -> bool:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema()")
        else:
            cursor.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
        row = cursor.fetchone()
    return (
        row is not None
        and row[0] == 0
        and not any(path.exists() and any(path.iterdir()) for path in store_dirs().values())
    )


def restore(path: Path) -> dict[str, Any]:
    """Restore a backup into an empty installation. Returns a summary; raises ``BackupError`` (German)."""
    if not _installation_is_empty():
        raise BackupError(
            "Die Installation ist nicht leer (Datenbank oder Ablagen). Wiederhergestellt wird nur in eine leere Installation."
        )
    with tempfile.TemporaryDirectory(prefix="teilhabe-restore-") as tmp:
        archive = Path(tmp) / "backup.tar"
        with path.open("rb") as source, archive.open("wb") as target:
            _decrypt(source, target)
        with tarfile.open(archive) as tar:
            tar.extractall(tmp, filter="data")
        work = Path(tmp) / "teilhabe-backup"
        manifest = json.loads((work / "manifest.json").read_text())
        for name, digest in manifest["files"].items():
            if name != "manifest.json" and _sha256(work / name) != digest:
                raise BackupError(f"Die Sicherung ist beschädigt: {name} passt nicht zur Prüfsumme.")
        if manifest["vendor"] != connection.vendor:
            raise BackupError(
                f"Die Sicherung stammt aus {manifest['vendor']}, diese Installation nutzt {connection.vendor}."
            )
        db = connection.settings_dict
        connection.close()
        if connection.vendor == "postgresql":
            args, env = _pg_env(db)
            command = [
                _program("pg_restore"),
                *args,
                "--no-owner",
                "--no-privileges",
                "--exit-on-error",
                "-d",
                str(db["NAME"]),
                str(work / "db.dump"),
            ]
            subprocess.run(command, check=True, env=env)  # noqa: S603 - fixed program, arguments from settings
        else:
            shutil.copyfile(work / "db.sqlite3", str(db["NAME"]))
        for name, target_dir in store_dirs().items():
            source_dir = work / "stores" / name
            if source_dir.exists():
                shutil.copytree(source_dir, target_dir, dirs_exist_ok=True)
        checkpoint = Checkpoint.from_dict(json.loads((work / "checkpoint.json").read_text()))
    call_command("migrate", verbosity=0, interactive=False)
    count, problems = verify_chain(start_anchor=(checkpoint.first_id, checkpoint.first_prev))
    problems += verify_against(checkpoint)
    if problems:
        raise BackupError(
            "Das Audit-Protokoll der Sicherung passt nicht zu ihrem Kontrollpunkt: " + " ".join(problems[:3])
        )
    from teilhabe.core.erasure_journal import replay

    replayed = replay(datetime.fromisoformat(manifest["created_at"]))
    record(
        "system.restore",
        username="system",
        object_type="system",
        extra={
            "backup_created_at": manifest["created_at"],
            "audit_events": count,
            **{f"erasures_{k}": v for k, v in replayed.items()},
        },
    )
    write_checkpoint("restore")
    return {"backup_created_at": manifest["created_at"], "audit_events": count, **replayed}
