"""`make test`: lint, then the whole suite on SQLite and on PostgreSQL. Exits non-zero if anything fails.

PostgreSQL: TEILHABE_TEST_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432/test). If no server
answers, a throw-away cluster is started with initdb/pg_ctl when they are installed; otherwise the
PostgreSQL run is skipped with a loud warning. With CI=true PostgreSQL and Chromium are mandatory.
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/test"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


def banner(text: str) -> None:
    print(f"\n{'=' * 78}\n{text}\n{'=' * 78}", flush=True)


def run(cmd: list[str], env: dict[str, str] | None = None) -> int:
    print("$ " + " ".join(cmd), flush=True)
    return subprocess.call(cmd, cwd=ROOT, env={**os.environ, **(env or {})})


def lint() -> bool:
    env = {"TEILHABE_SECRET_KEY": "lint-only-secret", "DATABASE_URL": "sqlite:///:memory:"}
    ok = run([str(VENV_BIN / "ruff"), "check", "."]) == 0
    ok &= run([str(VENV_BIN / "mypy"), "teilhabe", "scripts", "benchmarks"], env) == 0
    ok &= run([sys.executable, "manage.py", "makemigrations", "--check", "--dry-run"], env) == 0
    return ok


def pytest(database_url: str, label: str, extra: list[str]) -> bool:
    banner(f"Tests auf {label}")
    workers = os.environ.get("TEILHABE_TEST_WORKERS", "auto")
    # worksteal: idle workers take queued tests from busy ones, so one long walk does not leave a core idle.
    command = [sys.executable, "-m", "pytest", "-n", workers, "--dist", "worksteal", "-q", "--durations=15", *extra]
    return run(command, {"DATABASE_URL": database_url}) == 0


def port_open(url: str) -> bool:
    parsed = urlparse(url)
    try:
        with socket.create_connection((parsed.hostname or "127.0.0.1", parsed.port or 5432), timeout=2):
            return True
    except OSError:
        return False


def start_throwaway_cluster() -> tuple[str, object] | None:
    initdb, pg_ctl = shutil.which("initdb"), shutil.which("pg_ctl")
    if not (initdb and pg_ctl):
        return None
    prefix: list[str] = []
    if os.geteuid() == 0:  # initdb refuses to run as root
        if not shutil.which("runuser"):
            return None
        prefix = ["runuser", "-u", "postgres", "--"]
    directory = tempfile.mkdtemp(prefix="teilhabe-pg-")
    os.chmod(directory, 0o777)  # noqa: S103 - the postgres user must write its socket here
    data = Path(directory) / "data"
    port = 54329
    if (
        subprocess.call(
            [*prefix, initdb, "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8"],
            stdout=subprocess.DEVNULL,
        )
        != 0
    ):
        return None
    subprocess.check_call(
        [
            *prefix,
            pg_ctl,
            "-D",
            str(data),
            "-o",
            f"-p {port} -k {directory} -h 127.0.0.1",
            "-l",
            str(Path(directory) / "log"),
            "-w",
            "start",
        ]
    )

    def stop() -> None:
        subprocess.call([*prefix, pg_ctl, "-D", str(data), "-m", "fast", "stop"], stdout=subprocess.DEVNULL)
        shutil.rmtree(directory, ignore_errors=True)

    return f"postgres://postgres@127.0.0.1:{port}/postgres", stop


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lint-only", action="store_true")
    parser.add_argument("pytest_args", nargs="*")
    args = parser.parse_args()
    started = time.time()

    banner("ruff, mypy, makemigrations --check")
    results = {"lint": lint()}
    if args.lint_only:
        return 0 if results["lint"] else 1

    if not Path(CHROMIUM).exists():
        if CI:
            print(f"FEHLER: {CHROMIUM} fehlt; unter CI=true sind Browser-Tests Pflicht (apt-get install chromium).")
            return 1
        print(f"\n!!! {CHROMIUM} nicht gefunden: Browser-Tests werden übersprungen (apt-get install chromium).\n")

    results["sqlite"] = pytest("sqlite:///:memory:", "SQLite", args.pytest_args)

    pg_url = os.environ.get("TEILHABE_TEST_POSTGRES_URL", DEFAULT_PG)
    stop = None
    if not port_open(pg_url):
        cluster = start_throwaway_cluster()
        if cluster:
            pg_url, stop = cluster
            print(f"Kein PostgreSQL erreichbar; Wegwerf-Cluster gestartet: {pg_url}")
    if port_open(pg_url):
        try:
            results["postgresql"] = pytest(pg_url, "PostgreSQL", args.pytest_args)
        finally:
            if stop:
                stop()  # type: ignore[operator]
    elif CI:
        print("FEHLER: PostgreSQL ist unter CI=true Pflicht, aber nicht erreichbar.")
        results["postgresql"] = False
    else:
        banner("!!! PostgreSQL nicht erreichbar und kein initdb/pg_ctl: der PostgreSQL-Lauf wurde ÜBERSPRUNGEN !!!")

    banner(
        "Ergebnis: "
        + ", ".join(f"{name} {'ok' if ok else 'FEHLGESCHLAGEN'}" for name, ok in results.items())
        + f" ({time.time() - started:.0f} s)"
    )
    return 0 if all(results.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
