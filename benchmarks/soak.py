"""Soak test: mixed traffic against the production stack on loopback, bounded in time and requests.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/teilhabe_stack .venv/bin/python benchmarks/soak.py \
        --seconds 600 --clients 4 [--reuse]

Starts the stack like scripts/stack_test.py (gunicorn with 2 workers, task worker, scheduler; --reuse keeps
the database of an earlier stack test, otherwise it is rebuilt), logs in as staff with TOTP, then runs
``--clients`` threads of mixed requests — public pages and search, staff monitoring pages, KiIM searches
and case reads — while a register import (staff upload, check, commit) and a report build run every
``--ops-every`` seconds. A warm-up of ``--warmup`` seconds with the same traffic comes first, so that "start"
is the steady state (caches filled, the search index loaded), not an empty process. Prints per kind:
requests, errors, p50, p95, p99 (ms); the imports and report builds done; and the resident memory of every
process at launch, after the warm-up and at the end, with the growth from the warm-up to the end (issue 16:
at most 10 %). Loopback only.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

import stack_test  # noqa: E402


def percentile(values: list[float], share: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=600)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--max-requests", type=int, default=200_000)
    parser.add_argument("--warmup", type=int, default=60)
    parser.add_argument("--ops-every", type=int, default=120, help="seconds between import + report build")
    parser.add_argument("--reuse", action="store_true")
    parser.add_argument("--full", action="store_true", help="all regions and the whole demo (as make demo)")
    options = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "TEILHABE_DEMO": "1",
        "TEILHABE_SECRET_KEY": "soak-secret",
        "TEILHABE_PSEUDONYM_KEY": "soak-pseudonym",
        "TEILHABE_LOG_FORMAT": "json",
        "TEILHABE_STATIC_MANIFEST": "1",
        "TEILHABE_AUDIT_CHECKPOINT_FILE": "/tmp/teilhabe-soak-checkpoints.jsonl",  # noqa: S108 - loopback test
    }
    if not options.reuse:
        # The demo Kreis only (not all regions): offers, monitoring, KiIM cases and one report edition.
        stack_test.prepare(env, full=options.full, parts=f"{stack_test.SMALL_DEMO},linkage,registry")
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "-v", "0"], cwd=ROOT, env=env, check=True
    )
    devnull = subprocess.DEVNULL
    gunicorn = [
        sys.executable, "-m", "gunicorn", "--config", str(ROOT / "deploy" / "gunicorn.conf.py"),
        "teilhabe.wsgi:application", "--bind", f"127.0.0.1:{stack_test.PORT}",
    ]  # fmt: skip
    processes = {
        "web": subprocess.Popen(gunicorn, cwd=ROOT, env=env, stdout=devnull, stderr=devnull),
        "worker": subprocess.Popen(
            [sys.executable, "manage.py", "run_worker"], cwd=ROOT, env=env, stdout=devnull, stderr=devnull
        ),
        "scheduler": subprocess.Popen(
            [sys.executable, "manage.py", "run_scheduler"], cwd=ROOT, env=env, stdout=devnull, stderr=devnull
        ),
    }

    def memory() -> dict[str, float]:
        result: dict[str, float] = {}
        for name, process in processes.items():
            parent = psutil.Process(process.pid)
            for index, proc in enumerate([parent, *parent.children(recursive=True)]):
                result[f"{name}{'' if index == 0 else f'.{index}'}"] = proc.memory_info().rss / 2**20
        return result

    try:
        stack_test.wait_http("/readyz")
        staff = stack_test.login(env, "koordination")
        case_worker = stack_test.login(env, "abh.sachbearbeitung")
        _, _, body = case_worker.get("/staff/kiim/")
        cases = sorted(set(re.findall(r'href="(/staff/kiim/\d+/)"', body))) or ["/staff/kiim/"]
        statistik = stack_test.login(env, "statistik")
        launch_memory = memory()
        kinds = {
            "öffentlich": ["/", "/monitoring/", "/gemeinden/", "/berichte/"],
            "suche": ["/angebote/?q=Deutsch", "/angebote/?q=Beratung", "/angebote/?typ=leisure"],
            "monitoring-staff": ["/staff/monitoring/", "/staff/"],
            "kiim-suche": ["/staff/kiim/?q=Ahm", "/staff/kiim/?q=Ivan"],
            "kiim-akte": cases,
        }
        timings: dict[str, list[float]] = defaultdict(list)
        errors: dict[str, int] = defaultdict(int)
        operations: list[str] = []
        lock = threading.Lock()
        count = [0]
        warmup_end = time.monotonic() + options.warmup
        deadline = warmup_end + options.seconds
        work = Path(tempfile.mkdtemp(prefix="teilhabe-soak-"))

        def client(seed: int) -> None:
            rng = random.Random(seed)
            anonymous = stack_test.Browser()
            while time.monotonic() < deadline and count[0] < options.max_requests:
                kind = rng.choice(list(kinds))
                path = rng.choice(kinds[kind])
                browser = (
                    anonymous
                    if kind in ("öffentlich", "suche")
                    else (case_worker if kind.startswith("kiim") else staff)
                )
                started = time.perf_counter()
                status, _, _ = browser.get(path)
                elapsed = (time.perf_counter() - started) * 1000
                if time.monotonic() < warmup_end:
                    continue
                with lock:
                    count[0] += 1
                    timings[kind].append(elapsed)
                    if status >= 400:
                        errors[kind] += 1

        def background_operations() -> None:
            """Register imports (alternating Stichtage) and report builds, as staff would start them."""
            round_ = 0
            while time.monotonic() < deadline - 60:
                round_ += 1
                stichtag = "2026-06-30" if round_ % 2 else "2026-12-31"
                for name in ("Registerimport", "Berichtserstellung"):
                    started = time.perf_counter()
                    try:
                        if name == "Registerimport":
                            stack_test.register_import(env, statistik, work, stichtag, round_)
                        else:
                            stack_test.build_report(staff)
                        outcome = "ok"
                    except AssertionError as error:
                        outcome = f"FEHLER {error}"
                        with lock:
                            errors[name] += 1
                    operations.append(f"{name} {round_}: {outcome} ({time.perf_counter() - started:.1f} s)")
                pause_until = time.monotonic() + options.ops_every
                while time.monotonic() < min(pause_until, deadline - 60):
                    time.sleep(1)

        threads = [threading.Thread(target=client, args=(i,)) for i in range(options.clients)]
        threads.append(threading.Thread(target=background_operations))
        for thread in threads:
            thread.start()
        while time.monotonic() < warmup_end:
            time.sleep(0.5)
        start_memory = memory()
        for thread in threads:
            thread.join()
        end_memory = memory()
    finally:
        for process in processes.values():
            process.send_signal(signal.SIGTERM)
        for process in processes.values():
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
    print(
        f"Soak: {options.seconds} s nach {options.warmup} s Aufwärmen, {options.clients} Clients, {count[0]} Anfragen, "
        f"{sum(errors.values())} Fehler; Last {os.getloadavg()[0]:.1f}"
    )
    for line in operations:
        print("  " + line)
    for kind, values in timings.items():
        print(
            f"  {kind:18} n={len(values):6}  Fehler={errors[kind]:3}  p50={statistics.median(values):7.1f} ms  "
            f"p95={percentile(values, 0.95):7.1f} ms  p99={percentile(values, 0.99):7.1f} ms"
        )
    for name in sorted(start_memory):
        launch, before, after = launch_memory.get(name, 0.0), start_memory[name], end_memory.get(name, 0.0)
        print(
            f"  Speicher {name:12} Start {launch:7.1f} MB, nach Aufwärmen {before:7.1f} MB → Ende {after:7.1f} MB "
            f"({(after / before - 1) * 100 if before else 0:+.1f} %)"
        )
    return 0 if not sum(errors.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
