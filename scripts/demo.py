"""`make demo`: migrate, load all of Germany's regions, build the demo district, serve on 127.0.0.1:8000."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def manage(*args: str) -> None:
    subprocess.check_call([sys.executable, "manage.py", *args], cwd=ROOT)


def main() -> None:
    os.environ["TEILHABE_DEMO"] = "1"
    os.environ.setdefault("TEILHABE_STATIC_MANIFEST", "1")
    manage("migrate", "--no-input", "-v", "0")
    manage("load_regions")
    manage("collectstatic", "--no-input", "-v", "0")
    manage("load_demo")
    print("\nTeilhabe läuft auf http://127.0.0.1:8000/ (Strg+C beendet).", flush=True)
    os.execv(sys.executable, [sys.executable, "manage.py", "runserver", "--noreload", "127.0.0.1:8000"])


if __name__ == "__main__":
    main()
