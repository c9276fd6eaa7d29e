"""Benchmark of the Integrationsmonitoring report (issue 5 budget). Prints figures; not a test.

Full report for Landkreis Karlsruhe (08215: 32 Gemeinden): all catalogue indicators the synthetic sources
can compute, 3 years (2022–2024), one chapter per field of action, a line chart and a choropleth map per
indicator, Gemeinde tables. Measured: the build from the data snapshot to the PDF (``run_build``: snapshot,
content, 2 Vega-Lite SVGs per indicator via vl-convert, Typst compile with PDF/UA-1), cold (first build in
the process, which starts the JS engine) and warm (a rebuild from the same snapshot; the chart SVG cache is
cleared so charts are rendered again). Budget: ≤ 30 s to PDF, ≤ 20 MB.

Usage (the database is emptied and rebuilt):
    DATABASE_URL=sqlite:////tmp/teilhabe-bench-report.sqlite3 .venv/bin/python benchmarks/report.py
Options: --out FILE (write the PDF), --pages N (render the first N pages as PNG next to it, pdftoppm).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
KREIS = "08215"

os.environ.setdefault("DATABASE_URL", "sqlite:////tmp/teilhabe-bench-report.sqlite3")
os.environ.setdefault("TEILHABE_SECRET_KEY", "benchmark-only-secret-key-0123456789-abcdefghijklmnop")
os.environ["TEILHABE_KREIS"] = KREIS
os.environ.setdefault("TEILHABE_SSL_REDIRECT", "0")
os.environ.setdefault("TEILHABE_STATIC_MANIFEST", "0")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "teilhabe.settings")


def setup() -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    if "reports_reportbuild" in connection.introspection.table_names():
        call_command("flush", "--no-input", verbosity=0)
    call_command("migrate", "--no-input", verbosity=0)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", default=str(ROOT / "var" / "report-08215.pdf"))
    parser.add_argument("--pages", type=int, default=0)
    args = parser.parse_args()
    setup()
    from django.core.cache import cache

    from teilhabe.accounts.models import Organisation, OrganisationKind
    from teilhabe.indicators.demo import load_synthetic_values
    from teilhabe.indicators.models import Indicator, IndicatorValue
    from teilhabe.indicators.services import catalogue_sync, recompute_all
    from teilhabe.regions.loader import load_regions
    from teilhabe.regions.models import Gemeinde, Kreis
    from teilhabe.reports import services
    from teilhabe.reports.models import BuildStatus

    started = time.perf_counter()
    load_regions(only_kreis=KREIS)
    catalogue_sync()
    kreis = Kreis.objects.get(ags=KREIS)
    owner = Organisation.objects.create(name="Benchmark Landkreis", kind=OrganisationKind.LANDKREIS)
    load_synthetic_values(kreis, owner=owner)
    recompute_all(acting_user=None)
    Indicator.objects.filter(pk__in=IndicatorValue.objects.values("indicator_id")).update(is_published=True)
    gemeinden = Gemeinde.objects.filter(kreis=kreis, is_gemeinde=True).count()
    print(
        f"Setup: {gemeinden} Gemeinden, {Indicator.objects.published().count()} Indikatoren mit Werten von "
        f"{Indicator.objects.count()} im Katalog, {IndicatorValue.objects.count()} Indikatorwerte "
        f"({time.perf_counter() - started:.1f} s)"
    )
    definition = services.definition_create(
        acting_user=None, owner=owner, kreis_ags=KREIS, title=f"Integrationsmonitoring {kreis.name}"
    )
    edition = services.edition_create(
        acting_user=None,
        definition=definition,
        title=f"Integrationsbericht {kreis.name} 2024",
        slug="benchmark-2024",
        stichtag=date(2024, 12, 31),
        years=[2022, 2023, 2024],
        foreword="Benchmark.",
        summary="## Kernaussagen\n- Benchmark",
    )
    results = []
    for label in ("kalt (erste Erstellung, neue Momentaufnahme)", "warm (Neuerstellung aus der Momentaufnahme)"):
        cache.clear()
        build = services.build_request(acting_user=None, edition=edition, enqueue=False)
        t0 = time.perf_counter()
        build = services.run_build(build.pk)
        seconds = time.perf_counter() - t0
        if build.status != BuildStatus.DONE:
            print(f"Fehler: {build.error}")
            return 1
        results.append(seconds)
        sections = len(build.snapshot["indicators"]) if build.snapshot else 0
        print(
            f"{label}: {seconds:.1f} s, PDF {build.pdf_size / 1e6:.2f} MB ({build.pdf_standard}), "
            f"{sections} Indikatoren, {2 * sections} Diagramme/Karten"
        )
    pdf = bytes(build.pdf or b"")
    Path(args.out).write_bytes(pdf)
    pages = subprocess.run(["pdfinfo", args.out], capture_output=True, text=True, check=False).stdout
    page_count = next((line.split()[-1] for line in pages.splitlines() if line.startswith("Pages")), "?")
    print(f"PDF: {args.out}, {page_count} Seiten")
    ok_time = max(results) <= 30
    ok_size = len(pdf) <= 20 * 1024 * 1024
    print(
        f"Budget: ≤ 30 s → max {max(results):.1f} s {'eingehalten' if ok_time else 'ÜBERSCHRITTEN'}; "
        f"≤ 20 MB → {len(pdf) / 1e6:.2f} MB {'eingehalten' if ok_size else 'ÜBERSCHRITTEN'}"
    )
    try:
        load = os.getloadavg()
        print(f"Systemlast (1/5/15 min): {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} auf {os.cpu_count()} Kernen")
    except OSError:
        pass
    if args.pages:
        subprocess.run(
            ["pdftoppm", "-r", "60", "-png", "-f", "1", "-l", str(args.pages), args.out, args.out[:-4]], check=False
        )
    return 0 if ok_time and ok_size else 2


if __name__ == "__main__":
    raise SystemExit(main())
