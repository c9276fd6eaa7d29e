"""Benchmark of the integration monitoring (issue 4 budgets). Prints figures; not a test.

What it measures (stated plainly, because the register source of issue 3 is not available yet):
1. Full computation of all catalogue indicators for Landkreis Karlsruhe (08215: 32 Gemeinden, ≈ 450 000
   residents) and 3 years, from scratch. Inputs are the synthetic agency aggregates of the demo generator
   (≈ 80 source keys × 32 Gemeinden × 3 years, population counts included); register-only indicators
   (religion, DEM-08) have no input and are skipped, as they would be without a register extract.
   Budget: ≤ 10 s.
2. Incremental recomputation after one agency value changes (service path incl. audit event). Budget ≤ 1 s.
3. Public dashboard pages under load: gunicorn (4 sync workers) on the configured database, 20 concurrent
   clients, a bounded number of requests from this machine. Budget: p95 ≤ 200 ms.

Usage (PostgreSQL recommended; the database is emptied and rebuilt):
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/indicators_bench .venv/bin/python benchmarks/indicators.py
Options: --requests N (default 600), --skip-load.
"""

from __future__ import annotations

import argparse
import http.client
import os
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
KREIS = "08215"
PORT = 8765

os.environ.setdefault("DATABASE_URL", "sqlite:////tmp/teilhabe-bench-indicators.sqlite3")
os.environ.setdefault("TEILHABE_SECRET_KEY", "benchmark-only-secret-key-0123456789-abcdefghijklmnop")
os.environ["TEILHABE_KREIS"] = KREIS
os.environ.setdefault("TEILHABE_SSL_REDIRECT", "0")
os.environ.setdefault("TEILHABE_STATIC_MANIFEST", "0")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "teilhabe.settings")


def setup() -> None:
    import django

    django.setup()
    from django.core.management import call_command

    if _has_tables():
        call_command("flush", "--no-input", verbosity=0)
    call_command("migrate", "--no-input", verbosity=0)


def _has_tables() -> bool:
    from django.db import connection

    return "indicators_indicator" in connection.introspection.table_names()


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def bench_compute() -> tuple[str, list[str]]:
    from teilhabe.accounts.models import Organisation, OrganisationKind
    from teilhabe.indicators.compute import compute
    from teilhabe.indicators.demo import load_synthetic_values
    from teilhabe.indicators.models import AgencyValue, Indicator, IndicatorValue
    from teilhabe.indicators.services import agency_value_save, catalogue_sync
    from teilhabe.regions.loader import load_regions
    from teilhabe.regions.models import Gemeinde, Kreis

    started = time.perf_counter()
    load_regions(only_kreis=KREIS)
    catalogue_sync()
    kreis = Kreis.objects.get(ags=KREIS)
    owner = Organisation.objects.create(name="Benchmark Landkreis", kind=OrganisationKind.LANDKREIS)
    rows = load_synthetic_values(kreis, owner=owner)
    gemeinden = Gemeinde.objects.filter(kreis=kreis, is_gemeinde=True)
    print(
        f"Setup: {gemeinden.count()} Gemeinden, {sum(g.population or 0 for g in gemeinden):,} Einwohner, "
        f"{rows} Behördenaggregate, {Indicator.objects.count()} Indikatoren "
        f"({time.perf_counter() - started:.1f} s)"
    )

    full = []
    for _ in range(3):
        IndicatorValue.objects.all().delete()
        report = compute(kreis=kreis)
        full.append(report.seconds)
    print(
        f"1. Vollständige Berechnung: {report.created} Werte, {report.indicators} Indikatoren; "
        f"Median {statistics.median(full):.2f} s, max {max(full):.2f} s (Budget 10 s)"
    )
    Indicator.objects.filter(pk__in=IndicatorValue.objects.values("indicator_id")).update(is_published=True)

    incremental = []
    value = (
        AgencyValue.objects.filter(source_key="ba_beschaeftigte_auslaender", level="gemeinde", year=2024)
        .order_by("ags")
        .first()
    )
    assert value is not None
    for step in range(5):
        started = time.perf_counter()
        agency_value_save(
            acting_user=None,
            organisation=owner,
            source_key=value.source_key,
            level=value.level,
            ags=value.ags,
            year=value.year,
            value=value.value + step + 1,
            source_document="Benchmark",
        )
        incremental.append(time.perf_counter() - started)
    print(
        f"2. Inkrementell nach einer Änderung (Service inkl. Audit): Median "
        f"{statistics.median(incremental) * 1000:.0f} ms, max {max(incremental) * 1000:.0f} ms (Budget 1 s)"
    )
    top = gemeinden.order_by("-population").first()
    assert top is not None
    pages = [
        "/monitoring/",
        "/monitoring/indikator/ARB-01/",
        "/monitoring/indikator/DEM-01/",
        f"/monitoring/gemeinde/{top.ags}/",
    ]
    single_client(pages)
    from django.db import connections

    connections.close_all()
    return KREIS, pages


def single_client(pages: list[str]) -> None:
    """Server time per page without load: first view (charts rendered) and repeat view (cached body)."""
    from django.core.cache import cache
    from django.test import Client

    client = Client()
    cold, warm = [], []
    for page in pages:
        cache.clear()
        started = time.perf_counter()
        assert client.get(page, HTTP_HOST="127.0.0.1").status_code == 200
        cold.append(time.perf_counter() - started)
        for _ in range(10):
            started = time.perf_counter()
            client.get(page, HTTP_HOST="127.0.0.1")
            warm.append(time.perf_counter() - started)
    print(
        f"   Ohne Last, ein Client: erster Aufruf max {max(cold) * 1000:.0f} ms, "
        f"Wiederholung p95 {percentile(warm, 0.95) * 1000:.1f} ms"
    )


def bench_load(pages: list[str], total: int, concurrency: int = 20, workers: int = 4) -> None:
    env = {**os.environ, "TEILHABE_DEBUG": "0"}
    server = subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "teilhabe.wsgi",
            "-w",
            str(workers),
            "-b",
            f"127.0.0.1:{PORT}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        for _ in range(100):
            try:
                conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=2)
                conn.request("GET", "/monitoring/")
                conn.getresponse().read()
                break
            except OSError:
                time.sleep(0.2)
        # Warm-up: one request per page and worker so that chart SVGs are cached as in steady state.
        for page in pages * 4:
            conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
            conn.request("GET", page)
            conn.getresponse().read()
        latencies: list[float] = []
        errors: list[int] = []
        lock = threading.Lock()
        counter = iter(range(total))

        def worker() -> None:
            conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
            for index in counter:
                page = pages[index % len(pages)]
                started = time.perf_counter()
                conn.request("GET", page)
                response = conn.getresponse()
                response.read()
                elapsed = time.perf_counter() - started
                with lock:
                    latencies.append(elapsed)
                    if response.status != 200:
                        errors.append(response.status)

        threads = [threading.Thread(target=worker) for _ in range(concurrency)]
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        wall = time.perf_counter() - started
        p50, p95 = percentile(latencies, 0.5) * 1000, percentile(latencies, 0.95) * 1000
        print(
            f"3. Öffentliche Seiten, {concurrency} parallele Clients, {len(latencies)} Anfragen, "
            f"gunicorn {workers} Worker: p50 {p50:.0f} ms, p95 {p95:.0f} ms, "
            f"max {max(latencies) * 1000:.0f} ms, {len(latencies) / wall:.0f} Anfragen/s, "
            f"Fehler {len(errors)} (Budget p95 200 ms)"
        )
    finally:
        server.terminate()
        server.wait(timeout=10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=600)
    parser.add_argument("--skip-load", action="store_true")
    parser.add_argument("--workers", type=int, default=4)
    args = parser.parse_args()
    print(f"Datenbank: {os.environ['DATABASE_URL'].split('@')[-1]}")
    setup()
    _kreis, pages = bench_compute()
    if not args.skip_load:
        bench_load(pages, args.requests, workers=args.workers)


if __name__ == "__main__":
    main()
