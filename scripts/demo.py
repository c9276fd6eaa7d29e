"""`make demo`: migrate, load all of Germany's regions, build the demo district, then run every process the
platform needs — web server, task worker (report builds) and scheduler (audit checkpoint, retention, stale
offers, inactive accounts) — together on 127.0.0.1:8000. Ctrl+C (or SIGTERM) stops all of them; when one
of them ends, the others are stopped too.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PORT = os.environ.get("TEILHABE_DEMO_PORT", "8000")
STOP_GRACE_SECONDS = 10


def manage(*args: str) -> None:
    subprocess.check_call([sys.executable, "manage.py", *args], cwd=ROOT)


def processes() -> dict[str, list[str]]:
    python = [sys.executable, "manage.py"]
    return {
        "web": [*python, "runserver", "--noreload", f"127.0.0.1:{PORT}"],
        "worker": [*python, "run_worker", "--interval", "1"],
        "scheduler": [*python, "run_scheduler"],
    }


def stop_all(children: dict[str, subprocess.Popen[bytes]]) -> None:
    for child in children.values():
        if child.poll() is None:
            child.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + STOP_GRACE_SECONDS
    for child in children.values():
        try:
            child.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()


def run_together(commands: dict[str, list[str]]) -> int:
    """Start every command; return when one ends or on SIGINT/SIGTERM, after stopping all of them."""
    stopping = {"signal": 0}

    def on_signal(signum: int, frame: object) -> None:
        stopping["signal"] = signum

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    # Children ignore the terminal's Ctrl+C (own process group); the parent stops them in order.
    children = {name: subprocess.Popen(cmd, cwd=ROOT, start_new_session=True) for name, cmd in commands.items()}
    code = 0
    try:
        while not stopping["signal"]:
            ended = [(name, child.returncode) for name, child in children.items() if child.poll() is not None]
            if ended:
                name, code = ended[0]
                print(f"\nProzess „{name}“ wurde beendet (Code {code}); die anderen werden gestoppt.", flush=True)
                break
            time.sleep(0.3)
    finally:
        stop_all(children)
    return code


def main() -> None:
    os.environ["TEILHABE_DEMO"] = "1"
    os.environ.setdefault("TEILHABE_STATIC_MANIFEST", "1")
    # Printed addresses (login, staff links in the demo notes) point at the port actually served.
    os.environ.setdefault("TEILHABE_SITE_URL", f"http://127.0.0.1:{PORT}")
    manage("migrate", "--no-input", "-v", "0")
    manage("load_regions")
    manage("collectstatic", "--no-input", "-v", "0")
    manage("load_demo")
    print(
        f"\nTeilhabe läuft auf http://127.0.0.1:{PORT}/ mit Hintergrunddienst und Zeitplaner (Strg+C beendet alle).",
        flush=True,
    )
    sys.exit(run_together(processes()))


if __name__ == "__main__":
    main()
