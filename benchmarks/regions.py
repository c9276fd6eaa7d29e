"""Budget: loading all of Germany's regions (≤ 30 s on the 2-core machine).

Run: TEILHABE_DEBUG=1 .venv/bin/python benchmarks/regions.py  (uses a throw-away SQLite file)
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> None:
    directory = tempfile.mkdtemp(prefix="teilhabe-bench-")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{directory}/bench.sqlite3")
    os.environ.setdefault("TEILHABE_DEBUG", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "teilhabe.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from teilhabe.regions.loader import load_regions

    call_command("migrate", verbosity=0)
    timings = []
    for run in range(3):
        started = time.perf_counter()
        report = load_regions()
        timings.append(time.perf_counter() - started)
        print(
            f"run {run + 1}: {timings[-1]:.1f} s ({report.gemeinden} Gemeinden, {report.reference_values} Referenzwerte)"
        )
    print(
        f"load_regions, all of Germany on {os.environ['DATABASE_URL'].split(':')[0]}: best {min(timings):.1f} s, worst {max(timings):.1f} s (budget 30 s)"
    )


if __name__ == "__main__":
    main()
