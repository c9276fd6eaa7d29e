"""`make stack-test`: the whole production stack on loopback from this checkout, then a smoke test.

Starts gunicorn (2 workers), the task worker and the scheduler against a fresh PostgreSQL database, with
JSON logs, as systemd would (deploy/), and checks over HTTP only:
  1. /readyz and /healthz answer 200;
  2. login with password and TOTP (first login: enrolment, code computed from the new device's secret);
  3. a register import (synthetic extract, check → commit) as the Kommunalstatistik account;
  4. a report build started from the staff area finishes (the worker picks it up) and its PDF downloads;
  5. a public search of the offer directory answers with results.
Prints the time of each step; exit code 0 only if everything passed. Everything is stopped at the end.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/teilhabe_stack .venv/bin/python scripts/stack_test.py

The database named in DATABASE_URL is dropped and created again (it must not be a real one). Port:
TEILHABE_STACK_PORT (default 8103). Loads only the Länder, the demo Kreis and a small demo (offers,
monitoring, one draft report edition); ``--full`` loads all regions and the whole demo as `make demo`.
"""

from __future__ import annotations

import http.cookiejar
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
PORT = int(os.environ.get("TEILHABE_STACK_PORT", "8103"))
BASE = f"http://127.0.0.1:{PORT}"
DEMO_PASSWORD = "Teilhabe-Demo-2026!"  # noqa: S105 - the demo accounts' published password


def step(title: str, started: list[float]) -> None:
    now = time.monotonic()
    print(f"[{now - started[0]:7.1f} s] {title}", flush=True)


def recreate_database(url: str) -> None:
    parts = urllib.parse.urlparse(url)
    name = parts.path.lstrip("/")
    if not re.fullmatch(r"[a-z0-9_]+", name) or name in {"postgres", "teilhabe"}:
        raise SystemExit(f"Datenbankname {name!r} ist für den Stack-Test nicht erlaubt.")
    args = [
        "psql",
        "-h",
        parts.hostname or "127.0.0.1",
        "-p",
        str(parts.port or 5432),
        "-U",
        parts.username or "postgres",
    ]
    for sql in (f"DROP DATABASE IF EXISTS {name}", f"CREATE DATABASE {name}"):
        subprocess.run([*args, "-d", "postgres", "-qc", sql], check=True)


SMALL_DEMO = "directory,indicators,reports"
KREIS = "12073"


def prepare(env: dict[str, str], *, full: bool = False, parts: str = SMALL_DEMO) -> None:
    """Recreate the database and load what the smoke test needs. Default (CI): the Länder, the demo Kreis and
    its Gemeinden, and the demo parts ``parts`` (offers, monitoring, one draft report edition) — about a
    tenth of the time of ``full`` (all German regions and the whole demo, as `make demo`)."""
    recreate_database(env["DATABASE_URL"])
    small_env = {**env, "TEILHABE_KREIS": KREIS, "TEILHABE_DEMO_PARTS": "" if full else parts}
    for args in (
        ["migrate", "--no-input", "-v", "0"],
        ["load_regions"] if full else ["load_regions", "--only-kreis", KREIS],
        ["load_demo"],
    ):
        subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=small_env, check=True, stdout=subprocess.DEVNULL)


class Browser:
    """Cookies, CSRF token and form posts over plain HTTP (what a browser does for these pages)."""

    def __init__(self) -> None:
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def get(self, path: str) -> tuple[int, str, str]:
        try:
            with self.opener.open(BASE + path, timeout=60) as response:
                return response.status, response.geturl(), response.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as error:
            return error.code, path, error.read().decode("utf-8", "replace")

    def csrf(self) -> str:
        return next((c.value for c in self.jar if c.name.endswith("csrftoken") and c.value), "")

    def post(
        self, path: str, fields: dict[str, str], files: dict[str, tuple[str, bytes]] | None = None
    ) -> tuple[int, str, str]:
        fields = {"csrfmiddlewaretoken": self.csrf(), **fields}
        if files:
            boundary = uuid.uuid4().hex
            body = b""
            for key, value in fields.items():
                body += f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'.encode()
            for key, (filename, data) in files.items():
                body += (
                    (
                        f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"; filename="{filename}"\r\n'
                        "Content-Type: text/csv\r\n\r\n"
                    ).encode()
                    + data
                    + b"\r\n"
                )
            body += f"--{boundary}--\r\n".encode()
            content_type = f"multipart/form-data; boundary={boundary}"
        else:
            body = urllib.parse.urlencode(fields).encode()
            content_type = "application/x-www-form-urlencoded"
        request = urllib.request.Request(  # noqa: S310 - loopback http only
            BASE + path, data=body, headers={"Content-Type": content_type, "Referer": BASE + path}
        )
        try:
            with self.opener.open(request, timeout=300) as response:
                return response.status, response.geturl(), response.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as error:
            return error.code, path, error.read().decode("utf-8", "replace")


def totp_code(env: dict[str, str], username: str) -> str:
    """The current code of the account's authenticator app (an enrolled TOTP device; created on first use,
    as the enrolment page would). The demo accounts also hold emergency codes, so they go to the code page."""
    code = (
        "from django_otp.plugins.otp_totp.models import TOTPDevice; from django_otp.oath import TOTP; import time; "
        "from teilhabe.accounts.models import User; "
        f"u = User.objects.get(username={username!r}); "
        "d = TOTPDevice.objects.filter(user=u, confirmed=True).first() or "
        "TOTPDevice.objects.create(user=u, name='Stack-Test', confirmed=True); "
        "t = TOTP(d.bin_key, d.step, d.t0, d.digits, d.drift); t.time = time.time(); print(f'{t.token():06d}')"
    )
    out = subprocess.run(
        [PYTHON, "manage.py", "shell", "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    if out.returncode != 0:
        raise AssertionError(f"TOTP-Code für {username}: {out.stderr[-500:]}")
    return out.stdout.strip().splitlines()[-1]


def login(env: dict[str, str], username: str) -> Browser:
    token = totp_code(env, username)  # enrolled before this login
    browser = Browser()
    browser.get("/konto/anmelden/")
    status, url, _ = browser.post("/konto/anmelden/", {"username": username, "password": DEMO_PASSWORD})
    if "zweiter-faktor" not in url and "einrichten" not in url:
        raise AssertionError(f"{username}: nach dem Passwort kein zweiter Faktor ({status} {url})")
    # first login: enrol the authenticator app; later: enter the code
    target = urllib.parse.urlparse(url).path if "einrichten" in url else "/konto/zweiter-faktor/"
    status, url, _body = browser.post(target, {"token": token})
    if "/staff/" not in url or status != 200:
        raise AssertionError(f"{username}: Anmeldung mit TOTP fehlgeschlagen ({status} {url})")
    return browser


def wait_http(path: str, timeout: float = float(os.environ.get("TEILHABE_STACK_WAIT", "300"))) -> None:
    """Poll ``path`` until it answers 200. The wait covers gunicorn's workers importing the platform, which
    on a loaded machine takes more than a minute (TEILHABE_STACK_WAIT seconds, default 300)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(BASE + path, timeout=5) as response:  # noqa: S310 - loopback only
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.5)
    raise AssertionError(f"{path} antwortet nicht")


def register_import(env: dict[str, str], statistik: Browser, work: Path, stichtag: str, seed: int) -> None:
    """A synthetic extract of the demo Kreis uploaded, checked and committed through the staff pages."""
    extract = work / f"auszug-{stichtag}-{seed}.csv"
    subprocess.run(
        [PYTHON, "manage.py", "synth_register", "--kreis", KREIS, "--stichtag", stichtag, "--seed", str(seed),
         "--out", str(extract)],
        cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL,
    )  # fmt: skip
    statistik.get("/staff/bevoelkerung/")
    status, where, body = statistik.post(
        "/staff/bevoelkerung/import/", {"stichtag": stichtag}, files={"datei": (extract.name, extract.read_bytes())}
    )
    match = re.search(r"/staff/bevoelkerung/import/([0-9a-f-]+)/", where)
    if status != 200 or match is None:
        raise AssertionError(f"Registerimport: Prüfung fehlgeschlagen ({status} {where})")
    status, where, body = statistik.post(f"/staff/bevoelkerung/import/{match.group(1)}/uebernehmen/", {})
    if "wurde übernommen" not in body:
        raise AssertionError(f"Registerimport: Übernahme fehlgeschlagen ({status} {where})")
    extract.unlink()


def build_report(koordination: Browser, timeout: float = 300) -> None:
    """Starts a build of the first report edition from the staff area and waits for its PDF."""
    status, _, body = koordination.get("/staff/berichte/")
    edition = re.search(r'href="/staff/berichte/ausgaben/(\d+)/"', body)
    if edition is None:
        raise AssertionError("keine Berichtsausgabe im Mitarbeitendenbereich")
    koordination.get(f"/staff/berichte/ausgaben/{edition.group(1)}/")
    koordination.post(f"/staff/berichte/ausgaben/{edition.group(1)}/erstellen/", {})
    _, _, body = koordination.get(f"/staff/berichte/ausgaben/{edition.group(1)}/")
    build = re.search(r"/staff/berichte/laeufe/(\d+)/status/", body)
    if build is None:
        raise AssertionError("Berichtserstellung wurde nicht angelegt")
    deadline = time.monotonic() + timeout
    state: dict[str, Any] = {}
    while time.monotonic() < deadline:
        _, _, raw = koordination.get(f"/staff/berichte/laeufe/{build.group(1)}/status/")
        state = json.loads(raw)
        if state.get("status") in ("done", "failed"):
            break
        time.sleep(1)
    if state.get("status") != "done":
        raise AssertionError(f"Berichtserstellung nicht fertig: {state}")
    status, _, _pdf = koordination.get(f"/staff/berichte/laeufe/{build.group(1)}/pdf/")
    if status != 200:
        raise AssertionError(f"PDF nicht abrufbar ({status})")


def main() -> int:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        raise SystemExit("DATABASE_URL muss auf eine (Wegwerf-)PostgreSQL-Datenbank zeigen.")
    started = [time.monotonic()]
    work = Path(tempfile.mkdtemp(prefix="teilhabe-stack-"))
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "TEILHABE_DEMO": "1",
        "TEILHABE_SECRET_KEY": "stack-test-" + uuid.uuid4().hex,
        "TEILHABE_PSEUDONYM_KEY": "stack-test-pseudonym-" + uuid.uuid4().hex,
        "TEILHABE_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "TEILHABE_TRUSTED_PROXIES": "127.0.0.1",
        "TEILHABE_LOG_FORMAT": "json",
        "TEILHABE_ACCESS_LOG": "1",
        "TEILHABE_STATIC_MANIFEST": "1",
        "TEILHABE_POPULATION_DIR": str(work / "population"),
        "TEILHABE_MEDIA_ROOT": str(work / "media"),
        "TEILHABE_AUDIT_CHECKPOINT_FILE": str(work / "audit" / "checkpoints.jsonl"),
        "TEILHABE_ERASURE_JOURNAL_FILE": str(work / "journal" / "erasure.jsonl"),
    }

    def manage(*args: str) -> None:
        subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)

    if "--reuse" not in sys.argv:  # --reuse: the database of an earlier run (only for repeating the smoke test)
        prepare(env, full="--full" in sys.argv)
    manage("collectstatic", "--no-input", "-v", "0")
    step("Datenbank, Regionen, Demo-Landkreis bereit", started)
    logs = (work / "web.log").open("w")
    processes = {
        "web": subprocess.Popen(
            [
                PYTHON,
                "-m",
                "gunicorn",
                "--config",
                str(ROOT / "deploy" / "gunicorn.conf.py"),  # the production settings (2 workers, preload)
                "teilhabe.wsgi:application",
                "--bind",
                f"127.0.0.1:{PORT}",
            ],
            cwd=ROOT,
            env=env,
            stdout=logs,
            stderr=logs,
        ),
        "worker": subprocess.Popen(
            [PYTHON, "manage.py", "run_worker", "--interval", "1"], cwd=ROOT, env=env, stdout=logs, stderr=logs
        ),
        "scheduler": subprocess.Popen(
            [PYTHON, "manage.py", "run_scheduler"], cwd=ROOT, env=env, stdout=logs, stderr=logs
        ),
    }
    failures: list[str] = []
    try:
        wait_http("/readyz")
        wait_http("/healthz")
        step("gunicorn, Worker und Zeitplaner laufen; /readyz und /healthz 200", started)

        statistik = login(env, "statistik")
        step("Anmeldung mit Passwort und TOTP (statistik)", started)
        register_import(env, statistik, work, "2026-06-30", seed=7)
        step("Registerimport geprüft und übernommen", started)

        build_report(login(env, "koordination"))
        step("Bericht im Hintergrund erstellt, PDF abrufbar", started)

        status, _, body = Browser().get("/angebote/?q=Deutsch")
        if status != 200 or "Deutsch" not in body:
            raise AssertionError(f"öffentliche Suche: {status}")
        step("öffentliche Suche im Angebotsverzeichnis", started)
        with urllib.request.urlopen(BASE + "/healthz", timeout=10) as response:  # noqa: S310 - loopback only
            health = json.loads(response.read())
        if health["status"] != "ok" or health["worker"]["alive"] < 1 or not health["worker"]["scheduler_alive"]:
            raise AssertionError(f"/healthz: {health}")
    except (AssertionError, subprocess.CalledProcessError, urllib.error.URLError) as error:
        failures.append(str(error))
    finally:
        for process in processes.values():
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in processes.values():
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
        logs.close()
    json_lines = [line for line in (work / "web.log").read_text().splitlines() if line.startswith("{")]
    if not any('"request_id"' in line for line in json_lines):
        failures.append("keine JSON-Logzeilen mit request_id")
    step(f"alles gestoppt; {len(json_lines)} JSON-Logzeilen in {work / 'web.log'}", started)
    for failure in failures:
        print("FEHLER:", failure, flush=True)
    print("Stack-Test " + ("bestanden." if not failures else "fehlgeschlagen."), flush=True)
    return 0 if not failures else 1


if __name__ == "__main__":
    sys.exit(main())
