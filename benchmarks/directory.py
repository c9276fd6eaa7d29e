"""Budget (issue #6): with 5,000 offers in 7 languages, public search p95 ≤ 150 ms and ≥ 100 requests/s
at 50 concurrent clients (gunicorn + PostgreSQL on this machine, bounded load script on loopback).

Run: .venv/bin/python benchmarks/directory.py [--offers 5000] [--clients 50] [--requests 3000] [--workers 3]
Needs PostgreSQL at 127.0.0.1:5432 (user postgres); creates and drops the database ``directory_bench``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DB = "directory_bench"
PORT = 8766
# Mix of what visitors do: free text, filters, languages, near-me, paging.
QUERIES = [
    "/angebote/?q=Deutschkurs",
    "/angebote/?q=Beratung&sprache=ar",
    "/angebote/?typ=leisure",
    "/angebote/?typ=counselling&kostenlos=on",
    "/angebote/?zielgruppe=women&barrierefrei=on",
    "/angebote/?q=Sprachcaf%C3%A9",
    "/angebote/?q=%D0%BA%D1%83%D1%80%D1%81",  # "курс"
    "/angebote/?q=%D8%AF%D9%88%D8%B1%D8%A9",  # "دورة"
    "/angebote/?nahe=12073452&umkreis=10",
    "/angebote/?seite=3",
    "/angebote/?q=Hausaufgabenhilfe&gemeinde=12073452",
    "/angebote/?sprache=uk&typ=childcare",
]


def env() -> dict[str, str]:
    values = dict(os.environ)
    values.update(
        DATABASE_URL=f"postgres://postgres@127.0.0.1:5432/{DB}",
        TEILHABE_SECRET_KEY="bench-only-key",  # noqa: S106 - throw-away benchmark database
        TEILHABE_STATIC_MANIFEST="0",
        TEILHABE_DB_CONN_MAX_AGE="600",
        TEILHABE_DEBUG="0",
        DJANGO_SETTINGS_MODULE="teilhabe.settings",
    )
    return values


def psql(*args: str) -> None:
    subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-q", *args], check=True)


def prepare(offers: int) -> None:
    psql("-c", f"DROP DATABASE IF EXISTS {DB}")
    psql("-c", f"CREATE DATABASE {DB}")
    os.environ.update(env())
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    from teilhabe.accounts.models import Organisation, OrganisationKind
    from teilhabe.directory.demo import generate_directory
    from teilhabe.regions.loader import load_regions
    from teilhabe.regions.models import Gemeinde

    call_command("migrate", verbosity=0)
    load_regions(only_kreis=settings.TEILHABE_KREIS)
    gemeinden = list(Gemeinde.objects.filter(kreis_id=settings.TEILHABE_KREIS, is_gemeinde=True))
    owners = [
        (
            Organisation.objects.create(name=f"Träger {i}", kind=OrganisationKind.VEREIN),
            gemeinden[i % len(gemeinden)],
        )
        for i in range(80)
    ]
    started = time.perf_counter()
    count = generate_directory(gemeinden=gemeinden, owners=owners, offers=offers, all_languages=True, events=200)
    print(f"data: {count} offers × 7 languages in {time.perf_counter() - started:.1f} s", flush=True)
    psql("-d", DB, "-c", "VACUUM ANALYZE")


def load(clients: int, total: int) -> tuple[list[float], float, int]:
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    counter = iter(range(total))

    def worker() -> None:
        nonlocal errors
        while True:
            with lock:
                index = next(counter, None)
            if index is None:
                return
            url = f"http://127.0.0.1:{PORT}{QUERIES[index % len(QUERIES)]}"
            started = time.perf_counter()
            try:
                with urllib.request.urlopen(url, timeout=30) as response:
                    response.read()
                    ok = response.status == 200
            except Exception:
                ok = False
            elapsed = time.perf_counter() - started
            with lock:
                latencies.append(elapsed)
                errors += 0 if ok else 1

    threads = [threading.Thread(target=worker) for _ in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, time.perf_counter() - started, errors


def percentile(values: list[float], q: float) -> float:
    return values[min(len(values) - 1, int(q * len(values)))] * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--offers", type=int, default=5000)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--skip-prepare", action="store_true", help="reuse the existing directory_bench database")
    parser.add_argument("--no-cache", action="store_true", help="disable the search result cache (worst case)")
    args = parser.parse_args()
    if args.no_cache:
        os.environ["TEILHABE_DIRECTORY_SEARCH_CACHE_SECONDS"] = "0"
    if not args.skip_prepare:
        prepare(args.offers)
    server = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "teilhabe.wsgi",
            "-w",
            str(args.workers),
            "-b",
            f"127.0.0.1:{PORT}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env(),
    )
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{PORT}/angebote/", timeout=5).read()
                break
            except Exception:
                time.sleep(0.2)
        load(10, 200)  # warm-up: database connections, template caches
        latencies, duration, errors = load(args.clients, args.requests)
    finally:
        server.terminate()
        server.wait(timeout=20)
    latencies.sort()
    p95 = percentile(latencies, 0.95)
    rps = len(latencies) / duration
    print(
        f"public search{' (result cache off)' if args.no_cache else ''}, {args.offers} offers × 7 languages, "
        f"PostgreSQL, gunicorn -w {args.workers}, "
        f"{args.clients} concurrent clients, {len(latencies)} requests, {errors} errors"
    )
    print(
        f"p50 {percentile(latencies, 0.5):.0f} ms, p95 {p95:.0f} ms, "
        f"p99 {percentile(latencies, 0.99):.0f} ms, "
        f"mean {statistics.mean(latencies) * 1000:.0f} ms, throughput {rps:.0f} req/s "
        f"(budget p95 ≤ 150 ms, ≥ 100 req/s: {'met' if p95 <= 150 and rps >= 100 else 'NOT met'})"
    )


if __name__ == "__main__":
    main()
