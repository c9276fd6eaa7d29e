"""Upgrade test: a database built by an earlier release (default: commit c808fff, the last one before the
operations work) is migrated to this checkout with its data intact.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/teilhabe_upgrade .venv/bin/python scripts/upgrade_test.py [COMMIT]

Steps: export the old release with `git archive` into a temporary directory (the repository and its
worktrees stay untouched), drop and create the database, `migrate` and seed it with the *old* code
(accounts, organisations, memberships, audit events through its own `record()`), then `migrate` with the
current code and compare: row counts per table unchanged, `verify_audit` passes, the seeded accounts
still authenticate. Prints the figures; exit code 0 only if all hold.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tarfile
import tempfile
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
SEED = """
from teilhabe.accounts.models import Organisation, OrganisationKind, Membership, User
from teilhabe.accounts.roles import Role
from teilhabe.audit.services import record
org = Organisation.objects.create(name="Jobcenter Upgrade", kind=OrganisationKind.JOBCENTER)
for i in range(5):
    user = User.objects.create_user(username=f"upgrade{i}", password="Upgrade-Passwort-2026!")
    Membership.objects.create(user=user, organisation=org, role=Role.FALLBEARBEITUNG)
    record("read", actor=user, organisation=org, object_type="registry.case", object_id=i)
"""
COUNT = """
import json
from django.apps import apps
counts = {m._meta.db_table: m.objects.count() for m in apps.get_models() if m._meta.db_table.split("_")[0] in
          ("accounts", "audit", "regions", "directory", "indicators", "registry", "population", "reports")}
print(json.dumps(counts))
"""
CHECK_LOGIN = """
from teilhabe.accounts.models import User
print(all(User.objects.get(username=f"upgrade{i}").check_password("Upgrade-Passwort-2026!") for i in range(5)))
"""


def run(cwd: Path, env: dict[str, str], *args: str) -> str:
    done = subprocess.run([PYTHON, "manage.py", *args], cwd=cwd, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"{cwd.name}: manage.py {' '.join(args[:2])} fehlgeschlagen:\n{done.stderr[-3000:]}")
    return done.stdout


def main() -> int:
    commit = sys.argv[1] if len(sys.argv) > 1 else "c808fff"
    url = os.environ.get("DATABASE_URL", "")
    parts = urllib.parse.urlparse(url)
    name = parts.path.lstrip("/")
    if not url.startswith("postgres") or name in {"postgres", "teilhabe"}:
        raise SystemExit("DATABASE_URL muss auf eine Wegwerf-PostgreSQL-Datenbank zeigen.")
    psql = [
        "psql",
        "-h",
        parts.hostname or "127.0.0.1",
        "-p",
        str(parts.port or 5432),
        "-U",
        parts.username or "postgres",
        "-d",
        "postgres",
        "-qc",
    ]
    subprocess.run([*psql, f"DROP DATABASE IF EXISTS {name}"], check=True)
    subprocess.run([*psql, f"CREATE DATABASE {name}"], check=True)
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "TEILHABE_SECRET_KEY": "upgrade-test-key",
        "TEILHABE_AUDIT_CHECKPOINT_FILE": "",
    }
    with tempfile.TemporaryDirectory(prefix="teilhabe-old-") as tmp:
        old = Path(tmp) / "old"
        old.mkdir()
        archive = Path(tmp) / "old.tar"
        subprocess.run(["git", "archive", "--format=tar", "-o", str(archive), commit], cwd=ROOT, check=True)
        with tarfile.open(archive) as tar:
            tar.extractall(old, filter="data")
        (old / "static_src").mkdir(exist_ok=True)
        run(old, env, "migrate", "--no-input", "-v", "0")
        run(old, env, "load_regions")
        run(old, env, "shell", "-c", SEED)
        before = json.loads(run(old, env, "shell", "-c", COUNT).strip().splitlines()[-1])
    run(ROOT, env, "migrate", "--no-input", "-v", "0")
    after = json.loads(run(ROOT, env, "shell", "-c", COUNT).strip().splitlines()[-1])
    changed = {table: (count, after.get(table)) for table, count in before.items() if after.get(table) != count}
    verify = subprocess.run([PYTHON, "manage.py", "verify_audit"], cwd=ROOT, env=env, capture_output=True, text=True)
    logins = run(ROOT, env, "shell", "-c", CHECK_LOGIN).strip().splitlines()[-1] == "True"
    rows = sum(before.values())
    print(
        f"Upgrade {commit} → Arbeitsstand: {len(before)} Tabellen, {rows} Zeilen vorher; geänderte Zählungen: {changed or 'keine'}"
    )
    print(f"verify_audit: {verify.stdout.strip().splitlines()[-1] if verify.stdout else verify.stderr.strip()}")
    print(f"Anmeldungen der alten Konten: {'ok' if logins else 'FEHLER'}")
    ok = not changed and verify.returncode == 0 and logins
    print("Upgrade-Test " + ("bestanden." if ok else "fehlgeschlagen."))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
