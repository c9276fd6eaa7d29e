"""Budget (issues #6, #14): public directory search with 5,000 offers × 7 languages on PostgreSQL, gunicorn with
2 workers, requests sent open-loop at a fixed 100 requests/s for 60 s: p95 ≤ 150 ms and no errors — with every
query distinct (no cache hit) and, for comparison, with 12 repeated queries and the page cache on. Also finds
the highest fixed rate that still holds p95 ≤ 150 ms (uncached).

Run: .venv/bin/python benchmarks/directory.py [--offers 5000] [--rate 100] [--duration 60] [--workers 2]
     [--db directory_bench] [--port 8766] [--skip-prepare] [--max-rate [--max-start R --max-step S]] [--api]
Needs PostgreSQL at 127.0.0.1:5432 (user postgres); (re)creates the database ``--db``.
The load driver (benchmarks/loaddriver.py) runs on the same machine and shares its cores with the server.
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import os
import random
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.loaddriver import highest_rate, run_open_loop  # noqa: E402

P95_BUDGET_MS = 150.0
# Repeated mix for the cached figure (the page cache answers after the first request of each).
REPEATED = [
    "q=Deutschkurs",
    "q=Beratung&sprache=ar",
    "typ=leisure",
    "typ=counselling&kostenlos=on",
    "zielgruppe=women&barrierefrei=on",
    "q=Sprachcaf%C3%A9",
    "q=%D0%BA%D1%83%D1%80%D1%81",  # "курс"
    "q=%D8%AF%D9%88%D8%B1%D8%A9",  # "دورة"
    "nahe=12073452&umkreis=10",
    "seite=3",
    "q=Hausaufgabenhilfe&gemeinde=12073452",
    "sprache=uk&typ=childcare",
]


def env(db: str, cache_seconds: int | None = None) -> dict[str, str]:
    values = dict(os.environ)
    values.update(
        DATABASE_URL=f"postgres://postgres@127.0.0.1:5432/{db}",
        TEILHABE_SECRET_KEY="bench-only-key",  # noqa: S106 - throw-away benchmark database
        TEILHABE_STATIC_MANIFEST="0",
        TEILHABE_DB_CONN_MAX_AGE="600",
        TEILHABE_DEBUG="0",
        DJANGO_SETTINGS_MODULE="teilhabe.settings",
    )
    if cache_seconds is not None:
        values["TEILHABE_DIRECTORY_SEARCH_CACHE_SECONDS"] = str(cache_seconds)
    return values


def psql(*args: str) -> None:
    subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-q", *args], check=True)


def prepare(db: str, offers: int) -> None:
    psql("-c", f"DROP DATABASE IF EXISTS {db}")
    psql("-c", f"CREATE DATABASE {db}")
    os.environ.update(env(db))
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    from teilhabe.accounts.models import Organisation, OrganisationKind
    from teilhabe.directory.demo import generate_directory
    from teilhabe.directory.models import SearchTerm
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
    print(
        f"data: {count} offers × 7 languages, {SearchTerm.objects.count():,} index rows, "
        f"built in {time.perf_counter() - started:.1f} s",
        flush=True,
    )
    psql("-d", db, "-c", "VACUUM ANALYZE")


def gemeinde_codes(db: str) -> list[str]:
    out = subprocess.run(
        [
            "psql", "-h", "127.0.0.1", "-U", "postgres", "-d", db, "-At", "-c",
            "SELECT ags FROM regions_gemeinde WHERE is_gemeinde ORDER BY ags",
        ],
        check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip
    return [line for line in out.split() if line]


def distinct_queries(gemeinden: list[str], seed: int = 14) -> list[str]:
    """Many distinct query strings: judged queries × filters × pages, shuffled (no two alike)."""
    import yaml

    judged = yaml.safe_load((ROOT / "teilhabe/directory/tests/judged_queries.yaml").read_text(encoding="utf-8"))
    words = [row["q"] for row in judged]
    filters = (
        [""]
        + [f"gemeinde={g}" for g in gemeinden]
        + [f"sprache={s}" for s in ("ar", "uk", "ru", "tr", "fa", "en")]
        + [f"typ={t}" for t in ("counselling", "language_course", "childcare", "leisure")]
        + [f"nahe={g}&umkreis=20" for g in gemeinden[:10]]
        + ["kostenlos=on", "barrierefrei=on", "seite=2"]
    )
    result = [
        "&".join(p for p in (f"q={urllib.parse.quote(word)}", extra) if p)
        for word, extra in itertools.product(words, filters)
    ]
    random.Random(seed).shuffle(result)
    return result


def cpu_per_request(db: str, count: int = 300) -> None:
    """CPU seconds per uncached request, measured in process (independent of other load on the machine):
    ``search()`` alone, the JSON API and the HTML page, each over ``count`` distinct queries."""
    os.environ.update(env(db, cache_seconds=0))
    import django

    django.setup()
    from django.test import Client

    from teilhabe.directory.forms import SearchForm
    from teilhabe.directory.search import search
    from teilhabe.directory.searchmemory import preload

    started, cpu = time.perf_counter(), time.process_time()
    preload()  # what the gunicorn master does before forking (deploy/gunicorn.conf.py)
    print(
        f"preload (index, page parts, German cards and API offers): {time.perf_counter() - started:.1f} s wall, "
        f"{time.process_time() - cpu:.1f} s CPU, peak RSS {_peak_rss_mb():.0f} MB; load average {_load()}",
        flush=True,
    )
    queries = distinct_queries(gemeinde_codes(db))
    client = Client(HTTP_HOST="127.0.0.1")
    for label, run in (
        ("search() alone", lambda q: search(_cleaned(SearchForm, q))),
        ("JSON API", lambda q: client.get("/api/v1/directory/offers/?" + q)),
        ("HTML page", lambda q: client.get("/angebote/?" + q)),
    ):
        costs = []
        for query in queries[:count]:
            cpu = time.process_time()
            response = run(query)
            status = getattr(response, "status_code", 200)
            if status != 200:
                raise RuntimeError(f"{label} {query}: HTTP {status}")
            costs.append((time.process_time() - cpu) * 1000)
        costs.sort()
        from teilhabe.directory import fragments

        print(
            f"  fragment caches so far: cards {fragments.cards_cache.hits} hits / {fragments.cards_cache.misses} "
            f"misses, offer JSON {fragments.json_cache.hits} / {fragments.json_cache.misses}",
            flush=True,
        )
        print(
            f"{label}: CPU per uncached request mean {sum(costs) / len(costs):.1f} ms, "
            f"p50 {costs[len(costs) // 2]:.1f} ms, p95 {costs[int(0.95 * len(costs))]:.1f} ms ({count} distinct queries; "
            f"peak RSS {_peak_rss_mb():.0f} MB, load average {_load()})",
            flush=True,
        )


def answers(db: str, path: Path, count: int = 150) -> None:
    """Byte-identical check of sample answers: the HTML page (in German and Arabic) and the JSON API for
    ``count`` distinct queries. Writes ``path`` (JSON lines: url, sha256 of the body) if it does not exist,
    else compares with it and exits non-zero on any difference. Run it before and after a change."""
    import hashlib
    import json

    os.environ.update(env(db, cache_seconds=0))
    import django

    django.setup()
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    queries = distinct_queries(gemeinde_codes(db))[:count]
    urls = [f"{prefix}/angebote/?{q}" for q in queries for prefix in ("", "/ar")]
    urls += [f"/api/v1/directory/offers/?{q}" for q in queries]
    urls += [f"/api/v1/directory/offers/?{q}&lang=uk" for q in queries[:30]]
    current = {}
    for url in urls:
        response = client.get(url)
        if response.status_code != 200:
            raise SystemExit(f"{url}: HTTP {response.status_code}")
        current[url] = hashlib.sha256(response.content).hexdigest()
    if not path.exists():
        path.write_text("".join(json.dumps({"url": u, "sha256": h}) + "\n" for u, h in current.items()))
        print(f"answers: {len(current)} written to {path}")
        return
    before = {row["url"]: row["sha256"] for row in map(json.loads, path.read_text().splitlines())}
    differ = [u for u in before if current.get(u) != before[u]]
    print(f"answers: {len(before) - len(differ)} of {len(before)} byte-identical with {path}")
    for url in differ[:10]:
        print(f"  differs: {url}")
    if differ:
        raise SystemExit(1)


def _peak_rss_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def _cleaned(form_class: Any, query: str) -> dict[str, Any]:
    params: dict[str, str] = {k: v[-1] for k, v in urllib.parse.parse_qs(query).items()}
    form = form_class(params)
    return form.cleaned_data if form.is_valid() else {}


class Server:
    def __init__(self, db: str, port: int, workers: int, cache_seconds: int) -> None:
        self.port = port
        self.process = subprocess.Popen(
            [
                str(ROOT / ".venv/bin/gunicorn"), "-c", str(ROOT / "deploy/gunicorn.conf.py"), "teilhabe.wsgi:application",
                "-w", str(workers), "-b", f"127.0.0.1:{port}", "--log-level", "warning",
            ],
            cwd=ROOT,
            env=env(db, cache_seconds),
        )  # fmt: skip

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def warm_up(self, paths: list[str]) -> None:
        for _ in range(1500):  # the master preloads first (index, page parts, cards): up to 5 minutes when busy
            try:
                urllib.request.urlopen(self.url("/angebote/"), timeout=30).read()  # noqa: S310 - loopback http
                break
            except OSError:
                time.sleep(0.2)
        # The master loaded the index before forking (deploy/gunicorn.conf.py); a few requests in parallel
        # reach both workers.
        from concurrent.futures import ThreadPoolExecutor

        def fetch(path: str) -> None:
            urllib.request.urlopen(self.url(path), timeout=120).read()  # noqa: S310 - loopback http

        with ThreadPoolExecutor(max_workers=4) as pool:
            list(pool.map(fetch, paths))

    def drain(self, path: str, limit_s: float = 300.0) -> float:
        """Wait until the server answers ``path`` within a second again (an overloaded run leaves thousands of
        queued connections behind); returns the seconds waited."""
        started = time.perf_counter()
        while time.perf_counter() - started < limit_s:
            sent = time.perf_counter()
            with contextlib.suppress(OSError):
                urllib.request.urlopen(self.url(path), timeout=30).read()  # noqa: S310 - loopback http
            if time.perf_counter() - sent < 1.0:
                break
            time.sleep(1.0)
        return time.perf_counter() - started

    def usage(self) -> tuple[float, float, float]:
        """(CPU seconds the workers used so far, their resident memory in MB, the master's in MB)."""
        import psutil

        master = psutil.Process(self.process.pid)
        workers = master.children()
        cpu = sum(w.cpu_times().user + w.cpu_times().system for w in workers)
        return cpu, sum(w.memory_info().rss for w in workers) / 2**20, master.memory_info().rss / 2**20

    def report_usage(self, before: tuple[float, float, float], requests: int) -> None:
        cpu, rss, master = self.usage()
        print(
            f"  server CPU per request {(cpu - before[0]) * 1000 / max(requests, 1):.1f} ms (workers' CPU during the "
            f"run and its queue / {requests} requests); RSS workers {rss:.0f} MB together, master {master:.0f} MB "
            f"(shared copy-on-write); load average {_load()}",
            flush=True,
        )

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--offers", type=int, default=5000)
    parser.add_argument("--rate", type=float, default=100.0)
    parser.add_argument("--duration", type=float, default=60.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--db", default="directory_bench")
    parser.add_argument("--port", type=int, default=8766)
    parser.add_argument("--skip-prepare", action="store_true", help="reuse the existing database")
    parser.add_argument("--max-rate", action="store_true", help="also search the highest rate holding the budget")
    parser.add_argument("--max-start", type=float, help="first rate of the --max-rate search (default rate / 2)")
    parser.add_argument("--max-step", type=float, help="step of the --max-rate search (default rate / 4)")
    parser.add_argument("--api", action="store_true", help="load the JSON API instead of the HTML page")
    parser.add_argument("--cached-only", action="store_true")
    parser.add_argument("--cpu", action="store_true", help="only measure CPU per uncached request in process")
    parser.add_argument("--answers", type=Path, help="only write (or compare with) hashes of sample answers")
    args = parser.parse_args()
    if not args.skip_prepare:
        prepare(args.db, args.offers)
    if args.answers:
        answers(args.db, args.answers)
        return
    if args.cpu:
        cpu_per_request(args.db)
        return
    base = "/api/v1/directory/offers/?" if args.api else "/angebote/?"
    queries = distinct_queries(gemeinde_codes(args.db))
    print(f"{len(queries):,} distinct queries available; {'JSON API' if args.api else 'HTML page'} {base}")
    cursor = itertools.count()

    def fresh(count: int) -> list[str]:
        return [server.url(base + queries[next(cursor) % len(queries)]) for _ in range(count)]

    if not args.cached_only:
        server = Server(args.db, args.port, args.workers, cache_seconds=0)
        try:
            server.warm_up([base + q for q in queries[-8:]])
            before = server.usage()
            report = run_open_loop(fresh(int(args.rate * args.duration)), args.rate, args.duration)
            print(f"uncached (all queries distinct, page cache off), gunicorn -w {args.workers}: {report.summary()}")
            print(
                f"  budget p95 ≤ {P95_BUDGET_MS:.0f} ms, 0 errors: {'met' if report.holds(P95_BUDGET_MS) else 'NOT met'}"
            )
            waited = server.drain(base + "q=Deutschkurs")
            print(f"  (waited {waited:.0f} s for the server to work off the queue of the run)")
            server.report_usage(before, report.sent)
            if args.max_rate:
                best, _reports = highest_rate(
                    fresh,
                    p95_ms=P95_BUDGET_MS,
                    start=args.max_start or args.rate / 2,
                    step=args.max_step or args.rate / 4,
                )
                print(f"highest fixed rate holding p95 ≤ {P95_BUDGET_MS:.0f} ms (10 s steps, uncached): {best:.0f}/s")
        finally:
            server.stop()
    server = Server(args.db, args.port, args.workers, cache_seconds=60)
    try:
        repeated = [base + q for q in REPEATED]
        server.warm_up(repeated)
        urls = [server.url(p) for p in repeated]
        before = server.usage()
        report = run_open_loop(urls, args.rate, args.duration)
        print(f"cached (12 repeated queries, page cache on), gunicorn -w {args.workers}: {report.summary()}")
        server.drain(repeated[0])
        server.report_usage(before, report.sent)
    finally:
        server.stop()


if __name__ == "__main__":
    main()
