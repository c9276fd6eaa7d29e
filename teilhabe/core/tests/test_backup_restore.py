"""Backup → erase a case → restore into an empty installation: the case stays erased, the audit chain
verifies against the backup's checkpoint, the restore is an audit event (PostgreSQL, real pg_dump/pg_restore)."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.conf import settings as django_settings
from django.db import connection

from teilhabe.accounts.roles import Role
from teilhabe.core.backup import BackupError, backup, restore
from teilhabe.core.erasure_journal import entries
from teilhabe.core.testing import Personas, make_user

ROOT = Path(__file__).resolve().parents[3]
TARGET_DB = "h2_restore"


def _psql(sql: str) -> None:
    db = connection.settings_dict
    subprocess.run(
        [
            "psql",
            "-h",
            str(db["HOST"] or "127.0.0.1"),
            "-p",
            str(db["PORT"] or 5432),
            "-U",
            str(db["USER"]),
            "-d",
            "postgres",
            "-c",
            sql,
        ],
        check=True,
        capture_output=True,
    )


def _manage(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600
    )


@pytest.fixture
def files(settings, tmp_path: Path) -> dict[str, Path]:  # type: ignore[no-untyped-def]
    paths = {
        "checkpoints": tmp_path / "audit" / "checkpoints.jsonl",
        "journal": tmp_path / "journal" / "erasure.jsonl",
        "population": tmp_path / "src" / "population",
        "media": tmp_path / "src" / "media",
        "out": tmp_path / "backups",
    }
    settings.AUDIT_CHECKPOINT_FILE = str(paths["checkpoints"])
    settings.ERASURE_JOURNAL_FILE = str(paths["journal"])
    settings.POPULATION_DIR = paths["population"]
    settings.MEDIA_ROOT = paths["media"]
    settings.BACKUP_KEYS = [Fernet.generate_key().decode()]
    paths["population"].mkdir(parents=True)
    (paths["population"] / "register-2025-12-31.parquet").write_bytes(b"PAR1 demo PAR1")
    return paths


def _case(personas: Personas):  # type: ignore[no-untyped-def]
    from teilhabe.registry import services
    from teilhabe.registry.legal import LegalBasis

    return services.case_create(
        acting_user=personas.alice,
        owner=personas.org_a,
        data={
            "family_name": "Beispiel",
            "given_names": "Erika",
            "family_name_latin": "Beispiel",
            "given_names_latin": "Erika",
            "birth_year": 1990,
            "birth_month": 5,
            "birth_day": None,
            "sex": "w",
            "nationalities": ["475"],
            "arrival_date": date(2022, 3, 1),
            "legal_basis": LegalBasis.ART6_1_E,
        },
    )


def test_a_backup_without_key_is_refused_and_a_wrong_key_cannot_read(files, settings, db) -> None:  # type: ignore[no-untyped-def]
    settings.BACKUP_KEYS = []
    with pytest.raises(BackupError, match="TEILHABE_BACKUP_KEYS"):
        backup(files["out"])


@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"), reason="pg_dump/pg_restore: PostgreSQL-Lauf"
)
@pytest.mark.django_db(transaction=True)
def test_backup_erase_restore_keeps_the_erasure_and_the_audit_chain(files, personas: Personas, settings) -> None:  # type: ignore[no-untyped-def]
    from teilhabe.registry import services
    from teilhabe.registry.models import Case

    dora = make_user("dora", personas.org_a, Role.FALLAUFSICHT)
    kept, erased = _case(personas), _case(personas)
    path = backup(files["out"])
    assert path.read_bytes().startswith(b"TEILHABE-BACKUP-1\n") and b"Erika" not in path.read_bytes()
    services.case_erase(acting_user=dora, case=Case.objects.get(pk=erased.pk), reason="Antrag nach Art. 17 DSGVO")
    assert [e["id"] for e in entries()] == [erased.pk]
    with pytest.raises(BackupError, match="nicht leer"):
        restore(path)  # this installation is not empty

    _psql(f"DROP DATABASE IF EXISTS {TARGET_DB}")
    _psql(f"CREATE DATABASE {TARGET_DB}")
    db = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{TARGET_DB}",
        "TEILHABE_SECRET_KEY": django_settings.SECRET_KEY,
        "TEILHABE_BACKUP_KEYS": settings.BACKUP_KEYS[0],
        "TEILHABE_AUDIT_CHECKPOINT_FILE": str(files["checkpoints"]),
        "TEILHABE_ERASURE_JOURNAL_FILE": str(files["journal"]),
        "TEILHABE_POPULATION_DIR": str(files["out"].parent / "dst" / "population"),
        "TEILHABE_MEDIA_ROOT": str(files["out"].parent / "dst" / "media"),
    }
    try:
        done = _manage(env, "restore", str(path))
        assert done.returncode == 0, done.stderr
        assert "1 Löschung(en) aus dem Löschjournal erneut ausgeführt" in done.stdout
        verified = _manage(env, "verify_audit")
        assert verified.returncode == 0, verified.stderr + verified.stdout
        probe = _manage(
            env,
            "shell",
            "-c",
            "from teilhabe.registry.models import Case; from teilhabe.audit.models import AuditEvent; "
            f"print(Case.objects.filter(pk={erased.pk}).exists(), Case.objects.filter(pk={kept.pk}).exists(), "
            "AuditEvent.objects.filter(action='system.restore').count(), AuditEvent.objects.filter(action='case.erase_replay').count())",
        )
        assert probe.stdout.split()[-4:] == ["False", "True", "1", "1"], probe.stdout + probe.stderr
        assert (
            files["out"].parent / "dst" / "population" / "register-2025-12-31.parquet"
        ).read_bytes() == b"PAR1 demo PAR1"
        again = _manage(env, "restore", str(path))
        assert again.returncode != 0 and "nicht leer" in again.stderr
    finally:
        _psql(f"DROP DATABASE IF EXISTS {TARGET_DB}")
