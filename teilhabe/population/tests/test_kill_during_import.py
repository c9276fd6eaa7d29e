"""kill -9 of the process committing a register import: no counts, no store file, the import stays checked
and can be committed again (PostgreSQL, a real second process, held inside its commit's transaction)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import connection

from teilhabe.population import services
from teilhabe.population.models import PopulationCount, RegisterImport
from teilhabe.population.tests.helpers import csv_text, valid_rows

ROOT = Path(__file__).resolve().parents[3]
pytestmark = [
    pytest.mark.usefixtures("regions"),
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith("postgres"), reason="zweiter Prozess: PostgreSQL-Lauf"
    ),
    pytest.mark.django_db(transaction=True),
]


def test_kill_9_while_committing_leaves_no_partial_data_and_the_import_can_be_rerun(personas: Any) -> None:
    register_import = services.register_import_check(
        acting_user=personas.kreisadmin,
        owner=personas.landkreis,
        data=csv_text(*valid_rows(3000)).encode(),
        filename="auszug.csv",
        stichtag=date(2025, 12, 31),
    )
    assert register_import.status == RegisterImport.Status.CHECKED
    base = Path(settings.POPULATION_DIR)
    db = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        "TEILHABE_POPULATION_DIR": str(base),
        "TEILHABE_PSEUDONYM_KEY": settings.PSEUDONYM_KEY,
    }
    # The second process is held at the worst moment, so the kill does not depend on the machine's speed: the store
    # file is written (under its temporary name) and the counts are inserted, but the transaction is not committed.
    marker = base / "counts-inserted"
    code = f"""
import time
from teilhabe.population import services
from teilhabe.population.models import RegisterImport
insert = services._insert_counts
def held(*args, **kwargs):
    insert(*args, **kwargs)
    open({str(marker)!r}, "w").close()
    time.sleep(600)
services._insert_counts = held
services.register_import_commit(acting_user=None, register_import=RegisterImport.objects.get(pk={str(register_import.pk)!r}))
"""
    process = subprocess.Popen([sys.executable, "manage.py", "shell", "-c", code], cwd=ROOT, env=env)
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and not marker.exists() and process.poll() is None:
        time.sleep(0.01)
    assert marker.exists(), "the commit never reached the insertion of its counts"
    assert list(base.glob("*.parquet.tmp")), "the store file was not written before the counts"
    marker.unlink()
    os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=30)
    register_import.refresh_from_db()
    assert register_import.status == RegisterImport.Status.CHECKED
    assert not PopulationCount.objects.filter(register_import=register_import).exists()
    assert not list(base.glob("*.parquet"))  # only the temporary file, never a half store file
    assert services.remove_orphans(max_age_seconds=0) >= 1
    assert not list(base.glob("*.parquet.tmp"))
    services.register_import_commit(acting_user=personas.kreisadmin, register_import=register_import)
    register_import.refresh_from_db()
    assert register_import.status == RegisterImport.Status.COMMITTED
    assert PopulationCount.objects.filter(register_import=register_import).exists()
    assert len(list(base.glob("*.parquet"))) == 1
