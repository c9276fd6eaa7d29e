"""Budget (issue 17): monitoring, population, Gemeinde and report pages, public and staff, all-distinct URLs on
PostgreSQL behind gunicorn, sent open-loop at a fixed 50 requests/s for 60 s, first loads included:
p95 ≤ 100 ms and 0 errors; plus the highest fixed rate that holds it.

Run (PostgreSQL with the demo loaded; ``--setup`` migrates, loads regions and the demo if nothing is
published, collects static files and runs the prerender jobs the task worker runs after a data change)::

    TEILHABE_DEMO=1 TEILHABE_SECRET_KEY=x DATABASE_URL=postgres://postgres@127.0.0.1:5432/h4 \
        .venv/bin/python benchmarks/pages.py --setup --port 8401

Every URL is requested once (a distinct query parameter is appended), so no page is served from a URL-keyed
cache it was warmed into (the pages answer from HTML stored when their data changed, not from a URL cache);
staff pages are requested with the session of a verified demo user. The machine's load average is printed
before and after each run (the 2-core machine is shared), and the CPU time the gunicorn workers used per
request (from /proc, so other load on the machine does not inflate it) and their peak RSS.
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

LANGUAGES = ["", "en/", "ar/", "fa/", "uk/", "ru/", "tr/"]


def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "teilhabe.settings")
    import django

    django.setup()


def setup() -> None:
    from django.core.management import call_command

    from teilhabe.population.models import RegisterImport
    from teilhabe.regions.models import Kreis

    call_command("migrate", verbosity=0)
    if not Kreis.objects.exists():
        call_command("load_regions")
    if not RegisterImport.objects.filter(published_at__isnull=False).exists():
        call_command("load_demo")
    call_command("collectstatic", "--no-input", verbosity=0)
    prerender()


def prerender() -> None:
    """What the task worker does after a recomputation, a publication or a register import: store the
    rendered pages (only missing or outdated ones are rendered)."""
    from teilhabe.indicators.prerender import prerender_public
    from teilhabe.population import table_pages

    started, cpu = time.perf_counter(), time.process_time()
    areas = sum(table_pages.prerender(i) for i in published_imports())
    result = prerender_public()
    print(
        f"prerender: {areas} population table areas, {result['pages']} public page jobs, "
        f"{time.perf_counter() - started:.1f} s wall, {time.process_time() - cpu:.1f} s CPU",
        flush=True,
    )


def published_imports() -> Any:
    from teilhabe.population.models import RegisterImport

    return RegisterImport.objects.filter(status=RegisterImport.Status.COMMITTED, published_at__isnull=False)


def staff_cookie() -> str:
    """Session cookie of a verified demo user who may read the district's population tables."""
    from django.test import Client

    from teilhabe.accounts.access import has_permission
    from teilhabe.accounts.models import User
    from teilhabe.core.testing import login_verified

    user = next(u for u in User.objects.filter(is_active=True) if has_permission(u, "population.view"))
    client = login_verified(Client(), user)
    return f"sessionid={client.cookies['sessionid'].value}"


def page_paths() -> tuple[list[str], list[str]]:
    """(public, staff) paths: monitoring, indicator, Gemeinde and report pages in every language; population
    tables for every Stichtag, level and area; monitoring staff pages."""
    from teilhabe.indicators.models import Indicator
    from teilhabe.population.models import PublishedTable, RegisterImport
    from teilhabe.regions.models import Gemeinde
    from teilhabe.reports.models import ReportEdition

    kreis = os.environ.get("TEILHABE_KREIS", "12073")
    gemeinden = list(Gemeinde.objects.filter(kreis_id=kreis, is_gemeinde=True).values_list("ags", flat=True))
    codes = list(Indicator.objects.filter(is_published=True).values_list("code", flat=True))
    public: list[str] = []
    for language in LANGUAGES:
        public.append(f"/{language}monitoring/")
        public += [f"/{language}monitoring/gemeinde/{ags}/" for ags in gemeinden]
        public += [f"/{language}monitoring/indikator/{code}/" for code in codes]
        public.append(f"/{language}berichte/")
    for edition in ReportEdition.objects.filter(published_build__isnull=False).select_related("published_build"):
        slug = edition.slug
        snapshot = edition.published_build.snapshot or {}  # type: ignore[union-attr]
        themes = sorted({str(i["theme"]).lower() for i in snapshot.get("indicators", []) if i.get("theme")})
        for language in LANGUAGES:
            public.append(f"/{language}berichte/{slug}/")
            public.append(f"/{language}berichte/{slug}/methoden/")
            public += [f"/{language}berichte/{slug}/kapitel/{theme}/" for theme in themes]
    staff = ["/staff/monitoring/", "/staff/bevoelkerung/", "/staff/bevoelkerung/vergleich-zensus/"]
    staff += [f"/staff/monitoring/indikator/{code}/" for code in codes]
    published = RegisterImport.objects.filter(status=RegisterImport.Status.COMMITTED, published_at__isnull=False)
    for register_import in published:
        areas = PublishedTable.objects.filter(register_import=register_import).values_list("level", "area")
        for level, area in sorted(set(areas)):
            staff.append(
                f"/staff/bevoelkerung/tabellen/?stichtag={register_import.stichtag:%Y-%m-%d}&ebene={level}&gebiet={area}"
            )
    return public, staff


def distinct(paths: list[str], base: str, count: int, start: int) -> list[str]:
    """``count`` URLs cycling through ``paths`` with a distinct ``lauf`` parameter each."""
    result = []
    for index, path in zip(range(count), itertools.cycle(paths), strict=False):
        separator = "&" if "?" in path else "?"
        result.append(f"{base}{path}{separator}lauf={start + index}")
    return result


def serve(port: int, workers: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "TEILHABE_DEBUG": "0"}
    server = subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            *("-c", str(ROOT / "deploy" / "gunicorn.conf.py")),  # the production settings (threads, preload)
            *("teilhabe.wsgi", "-w", str(workers), "-b", f"127.0.0.1:{port}", "--log-level", "warning"),
        ],
        cwd=ROOT,
        env=env,
    )
    # Ready when several answers in a row come fast: every worker has finished its start-up (warm-up) work.
    fast = 0
    for _ in range(600):
        try:
            started = time.perf_counter()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            conn.request("GET", "/berichte/")
            conn.getresponse().read()
            fast = fast + 1 if time.perf_counter() - started < 0.5 else 0
            if fast >= 4 * workers:
                return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit("gunicorn did not start")


def _children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(p) for p in text.split()]


def worker_cpu(master: int) -> float:
    """User + system CPU seconds of the gunicorn master and its live workers."""
    total = 0.0
    tick = os.sysconf("SC_CLK_TCK")
    for pid in [master, *_children(master)]:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / tick
    return total


def worker_peak_rss_mb(master: int) -> float:
    """Largest VmHWM among the workers (MB)."""
    peak = 0.0
    for pid in _children(master):
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    peak = max(peak, int(line.split()[1]) / 1024)
        except OSError:
            continue
    return peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=8401)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--rate", type=float, default=50.0)
    parser.add_argument("--duration", type=float, default=60.0)
    parser.add_argument("--step-duration", type=float, default=10.0)
    parser.add_argument("--setup", action="store_true", help="migrate and load the demo if nothing is published")
    parser.add_argument("--no-search", action="store_true", help="only the budget run, not the highest rate")
    parser.add_argument("--only", choices=["public", "staff"], help="run only this half")
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        raise SystemExit("benchmarks/pages.py measures PostgreSQL: set DATABASE_URL=postgres://…")
    _django()
    if args.setup:
        setup()
    from benchmarks.loaddriver import highest_rate, run_open_loop

    public, staff = page_paths()
    cookie = staff_cookie()
    base = f"http://127.0.0.1:{args.port}"
    print(f"{len(public)} public and {len(staff)} staff paths; load average {os.getloadavg()}", flush=True)
    server = serve(args.port, args.workers)
    try:
        counter = itertools.count(0, 100_000)
        results: dict[str, Any] = {}
        halves = [
            h for h in (("public", public, {}), ("staff", staff, {"Cookie": cookie})) if args.only in (None, h[0])
        ]
        for name, paths, headers in halves:
            urls = distinct(paths, base, int(args.rate * args.duration), next(counter))
            before = worker_cpu(server.pid)
            report = run_open_loop(urls, args.rate, args.duration, headers)
            cpu = worker_cpu(server.pid) - before
            results[name] = report
            print(f"{name}: {report.summary()} (budget p95 ≤ 100 ms, 0 errors)", flush=True)
            print(
                f"{name}: server CPU {cpu * 1000 / max(report.sent, 1):.1f} ms per request "
                f"({cpu:.1f} s for {report.sent}), workers' peak RSS {worker_peak_rss_mb(server.pid):.0f} MB",
                flush=True,
            )
        if not args.no_search:
            for name, paths, headers in halves:

                def make(count: int, paths: list[str] = paths) -> list[str]:
                    return distinct(paths, base, count, next(counter))

                best, _reports = highest_rate(
                    make, p95_ms=100.0, start=25.0, step=25.0, duration=args.step_duration, headers=headers
                )
                print(f"{name}: highest fixed rate holding p95 ≤ 100 ms and 0 errors: {best:.0f}/s", flush=True)
        print(f"load average after: {os.getloadavg()}")
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
