"""`make stack-test` inside the suite: the production stack on loopback with its smoke test (TOTP login,
register import, report build by the worker, public search, health, JSON logs) — once, in the PostgreSQL
run, against a throw-away database next to the test database (scripts/stack_test.py)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[3]
pytestmark = [
    pytest.mark.stack,
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith("postgres"), reason="Produktionsstapel: PostgreSQL-Lauf"
    ),
]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.mark.django_db
def test_the_production_stack_passes_its_smoke_test() -> None:
    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}_stack"
    env = {**os.environ, "DATABASE_URL": url, "TEILHABE_STACK_PORT": str(free_port())}
    done = subprocess.run(
        [sys.executable, "scripts/stack_test.py"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=900
    )
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-4000:]
    assert "Stack-Test bestanden." in done.stdout
