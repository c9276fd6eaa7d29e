"""Test helpers shared by every app: personas across the organisation boundary and verified logins."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_tasks import task

from teilhabe.accounts.models import Membership, Organisation, OrganisationKind, User
from teilhabe.accounts.roles import Role

PASSWORD = "Sehr-geheimes-Passwort-2026"  # noqa: S105 - test accounts only


def make_user(
    username: str, organisation: Organisation | None = None, role: str = Role.FALLBEARBEITUNG, *, with_totp: bool = True
) -> User:
    user = User.objects.create_user(username=username, password=PASSWORD, first_name=username.capitalize())
    if organisation is not None:
        Membership.objects.create(user=user, organisation=organisation, role=role)
    if with_totp:
        TOTPDevice.objects.create(user=user, name="Test", confirmed=True)
    return user


def login_verified(client: Client, user: User) -> Client:
    """Log in as if password and TOTP had both been checked (the full flow has its own tests)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or TOTPDevice.objects.create(
        user=user, name="Test", confirmed=True
    )
    client.force_login(user, backend="teilhabe.accounts.backends.ModelBackend")
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session["auth_started_at"] = time.time()
    session.save()
    return client


@dataclass
class Personas:
    """Alice and Bob in organisation A, Charlie in organisation B, plus the district's admin and DPO."""

    landkreis: Organisation
    org_a: Organisation
    org_b: Organisation
    alice: User  # caseworker in A
    bob: User  # administrator of A
    charlie: User  # caseworker in B
    kreisadmin: User  # district administration (Landkreis office)
    dpo: User  # data-protection officer (Landkreis office)


def make_personas() -> Personas:
    landkreis = Organisation.objects.create(
        name="Landkreis – Koordinierungsstelle Integration", kind=OrganisationKind.LANDKREIS
    )
    org_a = Organisation.objects.create(name="Jobcenter A", kind=OrganisationKind.JOBCENTER)
    org_b = Organisation.objects.create(name="Ausländerbehörde B", kind=OrganisationKind.AUSLAENDERBEHOERDE)
    return Personas(
        landkreis=landkreis,
        org_a=org_a,
        org_b=org_b,
        alice=make_user("alice", org_a, Role.FALLBEARBEITUNG),
        bob=make_user("bob", org_a, Role.ORG_ADMIN),
        charlie=make_user("charlie", org_b, Role.FALLBEARBEITUNG),
        kreisadmin=make_user("kreisadmin", landkreis, Role.KREIS_ADMIN),
        dpo=make_user("dsb", landkreis, Role.DATENSCHUTZ),
    )


def kill_9_while_writing(code: str, table: str, timeout: float = 300) -> None:
    """Run ``code`` in a second process (``manage.py shell -c``) against the test database and kill -9 it as
    soon as its open transaction has written to ``table`` (PostgreSQL: a RowExclusiveLock held by another
    backend). Raises AssertionError if the process ended before writing. PostgreSQL and transactional tests
    only (the second process must see the committed fixtures)."""
    import os
    import signal
    import subprocess
    import sys
    from pathlib import Path

    from django.conf import settings
    from django.db import connection

    db = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        "TEILHABE_PSEUDONYM_KEY": settings.PSEUDONYM_KEY,
    }
    root = Path(__file__).resolve().parents[2]
    process = subprocess.Popen([sys.executable, "manage.py", "shell", "-c", code], cwd=root, env=env)  # noqa: S603 - test code
    query = (
        "SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation "
        "WHERE c.relname = %s AND l.mode = 'RowExclusiveLock' AND l.pid <> pg_backend_pid() "
        "AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())"
    )
    deadline = time.monotonic() + timeout
    writing = False
    with connection.cursor() as cursor:
        while time.monotonic() < deadline and process.poll() is None:
            cursor.execute(query, [table])
            if cursor.fetchone()[0]:
                writing = True
                break
            time.sleep(0.01)
    if writing:
        os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=60)
    assert writing, f"the second process ended (exit {process.returncode}) before it wrote to {table}"
    # The server ends the killed client's backend (and rolls its transaction back) when it notices the
    # closed socket; wait for that so the re-run does not queue behind its locks.
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute(query, [table])
            if not cursor.fetchone()[0]:
                break
            time.sleep(0.05)


def start_worker_process(log: Path | None = None) -> subprocess.Popen[bytes]:
    """``manage.py run_worker`` as a separate process on the test database (PostgreSQL), polling every 0.2 s.
    ``log``: file for its output (stdout and stderr), else discarded."""
    from django.db import connection

    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    output = log.open("wb") if log is not None else subprocess.DEVNULL
    try:
        return subprocess.Popen(
            [sys.executable, "manage.py", "run_worker", "--interval", "0.2", "--no-startup-delay"],
            cwd=Path(__file__).resolve().parents[2],
            env={**os.environ, "DATABASE_URL": url},
            stdout=output,
            stderr=subprocess.STDOUT if log is not None else subprocess.DEVNULL,
        )
    finally:
        if log is not None:
            output.close()  # type: ignore[union-attr]


# Held by ``hold_memory`` so the allocation outlives the task, as Typst's or DuckDB's caches do.
_HELD: list[bytearray] = []


@task()
def hold_memory(megabytes: int) -> int:
    """Task for the worker-recycling test: allocate and keep ``megabytes`` MiB; returns the worker's PID."""
    block = bytearray(megabytes * 2**20)
    for offset in range(0, len(block), 4096):  # touch every page so it is resident
        block[offset] = 1
    _HELD.append(block)
    return os.getpid()
