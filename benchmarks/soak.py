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
import json
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
import urllib.request
from collections import defaultdict
from pathlib import Path
from typing import Any

import psutil

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

import stack_test  # noqa: E402

OPERATIONS = ("Registerimport", "Berichtserstellung")


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
    parser.add_argument("--reuse", action="store_true", help="keep the database of an earlier run (migrated first)")
    parser.add_argument(
        "--settle", type=int, default=180, help="seconds to wait after the traffic for the task worker to be at rest"
    )
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
    if options.reuse:
        # A database of an earlier run may lack newer migrations; a stale schema must not hide a fault.
        subprocess.run([sys.executable, "manage.py", "migrate", "--no-input", "-v", "0"], cwd=ROOT, env=env, check=True)
    else:
        # The demo Kreis only (not all regions): offers, monitoring, KiIM cases and one report edition.
        stack_test.prepare(env, full=options.full, parts=f"{stack_test.SMALL_DEMO},linkage,registry")
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "-v", "0"], cwd=ROOT, env=env, check=True
    )
    work = Path(tempfile.mkdtemp(prefix="teilhabe-soak-"))
    gunicorn = [
        sys.executable, "-m", "gunicorn", "--config", str(ROOT / "deploy" / "gunicorn.conf.py"),
        "teilhabe.wsgi:application", "--bind", f"127.0.0.1:{stack_test.PORT}",
    ]  # fmt: skip
    commands = {
        "web": gunicorn,
        "worker": [sys.executable, "manage.py", "run_worker"],
        "scheduler": [sys.executable, "manage.py", "run_scheduler"],
    }
    logs = {name: (work / f"{name}.log").open("w") for name in commands}
    processes = {
        name: subprocess.Popen(command, cwd=ROOT, env=env, stdout=logs[name], stderr=subprocess.STDOUT)
        for name, command in commands.items()
    }
    for name, process in processes.items():
        print(f"Prozess {name}: PID {process.pid}, Ausgabe in {logs[name].name}", flush=True)
    watch = WorkerWatch(Path(logs["worker"].name), processes["worker"].pid)
    exits: dict[str, str] = {}  # process name -> "Exit-Code n nach t s" (a process that ended during the run)
    launched = time.monotonic()

    def check_exits() -> None:
        for name, process in processes.items():
            code = process.poll()
            if code is not None and name not in exits:
                exits[name] = f"Exit-Code {code} nach {time.monotonic() - launched:.0f} s"
                print(f"!! Prozess {name} (PID {process.pid}) beendet: {exits[name]}", flush=True)

    def memory() -> dict[str, float]:
        """Resident MiB per process: ``web`` (master), ``web.1``, ``web.2`` (its workers, by PID order),
        ``worker``, ``scheduler``. The task worker re-executes itself under the same PID (decision 0160), so
        ``worker`` is always the process that serves tasks now; its re-execs are counted from its log. Child
        processes (e.g. a linkage pool) are listed as ``<name>.<n>``. A process that ended is left out."""
        result: dict[str, float] = {}
        check_exits()
        for name, process in processes.items():
            try:
                parent = psutil.Process(process.pid)
                children = sorted(parent.children(recursive=True), key=lambda child: child.pid)
                result[name] = parent.memory_info().rss / 2**20
            except psutil.Error:  # ended (or a zombie not yet reaped)
                continue
            for index, child in enumerate(children, start=1):
                try:
                    result[f"{name}.{index}"] = child.memory_info().rss / 2**20
                except psutil.Error:
                    continue
        return result

    def pids() -> dict[str, list[int]]:
        result: dict[str, list[int]] = {}
        for name, process in processes.items():
            try:
                parent = psutil.Process(process.pid)
                result[name] = [process.pid, *sorted(child.pid for child in parent.children(recursive=True))]
            except psutil.Error:
                result[name] = []
        return result

    # Every process (also web workers that gunicorn's memory hook replaced) sampled about once a second:
    # pid -> [(monotonic seconds, age in seconds, MiB)] and pid -> name of its slot when first seen.
    samples: dict[int, list[tuple[float, float, float]]] = defaultdict(list)
    slot_of: dict[int, str] = {}

    def sample() -> None:
        now, wall = time.monotonic(), time.time()
        for name, pid_list in pids().items():
            for index, pid in enumerate(pid_list):
                try:
                    proc = psutil.Process(pid)
                    rss, age = proc.memory_info().rss / 2**20, wall - proc.create_time()
                except psutil.Error:
                    continue
                slot_of.setdefault(pid, f"{name}.{index}" if index else name)
                samples[pid].append((now, age, rss))

    start_memory: dict[str, float] = {}
    end_memory: dict[str, float] = {}
    launch_memory: dict[str, float] = {}
    launch_pids: dict[str, list[int]] = {}
    start_pids: dict[str, list[int]] = {}
    end_pids: dict[str, list[int]] = {}
    count = [0]
    health: dict[str, Any] = {}
    try:
        stack_test.wait_http("/readyz")
        staff = stack_test.login(env, "koordination")
        case_worker = stack_test.login(env, "abh.sachbearbeitung")
        _, _, body = case_worker.get("/staff/kiim/")
        cases = sorted(set(re.findall(r'href="(/staff/kiim/\d+/)"', body))) or ["/staff/kiim/"]
        statistik = stack_test.login(env, "statistik")
        launch_memory = memory()
        launch_pids = pids()
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
        warmup_end = time.monotonic() + options.warmup
        deadline = warmup_end + options.seconds

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
                for name in OPERATIONS:
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
            check_exits()
            watch.poll()
            sample()
        start_memory = memory()
        start_pids = pids()
        while any(thread.is_alive() for thread in threads):
            time.sleep(1)
            check_exits()
            watch.poll()
            sample()
        # The traffic has ended; the task worker finishes what is queued and comes to rest (not in a task,
        # not re-executing), so its end figure is not a snapshot of a task or of a fresh interpreter.
        traffic_end = time.monotonic()
        while time.monotonic() < traffic_end + options.settle:
            check_exits()
            watch.poll()
            sample()
            health = healthz()
            queue = health.get("worker", {})
            if watch.resting() and isinstance(queue, dict) and not queue.get("queued") and not queue.get("running"):
                break
            time.sleep(1)
        watch.poll()
        sample()
        end_memory = memory()
        end_pids = pids()
        health = healthz()
    finally:
        check_exits()
        for process in processes.values():
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in processes.values():
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
        for log in logs.values():
            log.close()
    load = os.getloadavg()
    done = {name: sum(1 for line in operations if line.startswith(name) and ": ok " in line) for name in OPERATIONS}
    print(
        f"Soak: {options.seconds} s nach {options.warmup} s Aufwärmen, {options.clients} Clients, {count[0]} Anfragen, "
        f"{sum(errors.values())} Fehler; Registerimporte fertig {done['Registerimport']}, Berichte fertig "
        f"{done['Berichtserstellung']}; Last {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}"
    )
    for line in operations:
        print("  " + line)
    for kind, values in timings.items():
        print(
            f"  {kind:18} n={len(values):6}  Fehler={errors[kind]:3}  p50={statistics.median(values):7.1f} ms  "
            f"p95={percentile(values, 0.95):7.1f} ms  p99={percentile(values, 0.99):7.1f} ms"
        )
    with (work / "memory.csv").open("w") as table:  # every reading, for a closer look
        table.write("pid,slot,seconds,age_s,rss_mb\n")
        for pid, readings in sorted(samples.items()):
            for at, age, rss in readings:
                table.write(f"{pid},{slot_of[pid]},{at - launched:.1f},{age:.1f},{rss:.1f}\n")
    print(f"  Speicher-Verlauf je Prozess: {work / 'memory.csv'}")
    growths: list[float] = []
    print(
        "  Speicher je Platz (web.N: N-ter Worker des gunicorn-Masters; wechselt die PID, ist es ein anderer Prozess):"
    )
    for name in sorted(set(launch_memory) | set(start_memory) | set(end_memory)):
        launch, before, after = launch_memory.get(name), start_memory.get(name), end_memory.get(name)
        growth = (after / before - 1) * 100 if before and after else None
        print(
            f"  Speicher {name:12} Start {figure(launch)}, nach Aufwärmen {figure(before)} → Ende {figure(after)} "
            + (f"({growth:+.1f} %)" if growth is not None else "(–)")
            + pid_note(name, launch_pids, start_pids, end_pids)
        )
    # Each process from its own warm state to the end: the first reading once the soak's warm-up is over and
    # the process itself is at least --warmup seconds old (a web worker forked by gunicorn's memory hook
    # during the run warms up like the first ones did), to its last reading.
    for pid in sorted(pid for pid in samples if pid != processes["worker"].pid):
        readings = samples[pid]
        warm = [r for r in readings if r[0] >= warmup_end and r[1] >= options.warmup]
        last = readings[-1]
        if pid not in {alive for pid_list in end_pids.values() for alive in pid_list}:
            continue  # replaced during the run (gunicorn's memory hook): its successor is measured
        if not warm:
            print(f"  Prozess {slot_of[pid]:9} PID {pid}: erst {last[1]:.0f} s alt, jünger als das Aufwärmen (–)")
            continue
        growth = (last[2] / warm[0][2] - 1) * 100
        growths.append(growth)
        print(
            f"  Prozess {slot_of[pid]:9} PID {pid}: nach eigenem Aufwärmen {warm[0][2]:7.1f} MB (Alter "
            f"{warm[0][1]:.0f} s) → Ende {last[2]:7.1f} MB (Alter {last[1]:.0f} s) ({growth:+.1f} %), "
            f"Höchstwert {max(r[2] for r in readings):.1f} MB"
        )
    rest_start, rest_end = watch.rest_after(warmup_end), watch.rest_last()
    rest_growth = (rest_end / rest_start - 1) * 100 if rest_start and rest_end else None
    if rest_growth is not None:
        growths.append(rest_growth)
    print(
        f"  Speicher worker in Ruhe (bereit, keine Aufgabe) erste nach Aufwärmen {figure(rest_start)} → letzte "
        f"{figure(rest_end)} "
        + (f"({rest_growth:+.1f} %)" if rest_growth is not None else "(–)")
        + f"; Höchstwert {watch.peak:.1f} MB; Neustarts (os.execv, gleiche PID {watch.pid}): {watch.recycles}, "
        f"Starts {watch.starts}; Zustand am Ende: {watch.state}"
    )
    for name in processes:
        print(f"  Prozess {name:10} {exits.get(name, 'lief bis zum Ende')}; Ausgabe: {logs[name].name}")
    worker_state = health.get("worker", health)
    print(f"  /healthz am Ende: {json.dumps(worker_state, ensure_ascii=False)[:400]}")
    ok_memory = all(growth <= 10 for growth in growths)
    print(
        f"  Kriterien: Fehler 0: {'ja' if not sum(errors.values()) else 'NEIN'}; alle Prozesse liefen: "
        f"{'ja' if not exits else 'NEIN'}; Speicherwachstum ≤ 10 %: {'ja' if ok_memory else 'NEIN'}"
    )
    return 0 if not sum(errors.values()) and not exits and ok_memory else 1


def healthz() -> dict[str, Any]:
    try:
        with urllib.request.urlopen(stack_test.BASE + "/healthz", timeout=30) as response:  # noqa: S310 - loopback
            return dict(json.loads(response.read()))
    except (OSError, ValueError) as error:
        return {"fehler": str(error)}


class WorkerWatch:
    """The task worker seen from outside: its state from its log, its re-execs and its memory at rest.

    The worker re-executes itself under the same PID after a task that left it more than 10 % above its start
    memory (decision 0160), so a single RSS reading may catch it inside a task (hundreds of MB more) or as a
    fresh interpreter (tens of MB). ``poll()`` (about once a second) reads new log lines — ``Starting worker``
    (ready), ``state=RUNNING`` (in a task), ``state=SUCCESSFUL|FAILED`` (done), ``startet neu`` (re-exec) —
    and keeps the RSS whenever the worker has been ready and idle for ``REST_SECONDS``: the comparable figure.
    """

    REST_SECONDS = 2.0

    def __init__(self, log: Path, pid: int) -> None:
        self.log, self.pid = log, pid
        self.offset = 0
        self.state = "Start"
        self.since = time.monotonic()
        self.starts = self.recycles = 0
        self.peak = 0.0
        self.rest: list[tuple[float, float]] = []  # (monotonic seconds, MiB) while at rest

    def poll(self) -> None:
        now = time.monotonic()
        try:
            with self.log.open("rb") as handle:
                handle.seek(self.offset)
                data = handle.read()
        except OSError:
            data = b""
        complete = data[: data.rfind(b"\n") + 1]
        self.offset += len(complete)
        for line in complete.decode("utf-8", "replace").splitlines():
            state = self.state
            if "Starting worker" in line:
                self.starts += 1
                state = "bereit"
            elif "state=RUNNING" in line:
                state = "Aufgabe"
            elif "state=SUCCESSFUL" in line or "state=FAILED" in line:
                state = "bereit"
            elif "startet neu" in line:
                self.recycles += 1
                state = "Neustart"
            if state != self.state:
                self.state, self.since = state, now
        try:
            rss = psutil.Process(self.pid).memory_info().rss / 2**20
        except psutil.Error:
            return
        self.peak = max(self.peak, rss)
        if self.resting(now):
            self.rest.append((now, rss))

    def resting(self, now: float | None = None) -> bool:
        return self.state == "bereit" and (now or time.monotonic()) - self.since >= self.REST_SECONDS

    def rest_after(self, moment: float) -> float | None:
        """The first figure at rest from ``moment`` on (else the last one before it)."""
        later = [rss for at, rss in self.rest if at >= moment]
        if later:
            return later[0]
        return self.rest[-1][1] if self.rest else None

    def rest_last(self) -> float | None:
        return self.rest[-1][1] if self.rest else None


def figure(megabytes: float | None) -> str:
    return f"{megabytes:7.1f} MB" if megabytes is not None else "      – MB"


def pid_note(name: str, *snapshots: dict[str, list[int]]) -> str:
    """`` [PID a → b]`` when the process behind ``name`` (``web.1`` = the master's first child) changed."""
    base, _, index = name.partition(".")
    seen = []
    for snapshot in snapshots:
        pids = snapshot.get(base, [])
        position = int(index) if index else 0
        seen.append(pids[position] if position < len(pids) else None)
    changed = [pid for i, pid in enumerate(seen) if i == 0 or pid != seen[i - 1]]
    return f"  [PID {' → '.join(str(pid) for pid in changed)}]" if len(changed) > 1 else f"  [PID {seen[0]}]"


def logs_text(path: str) -> list[str]:
    try:
        return Path(path).read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return []


if __name__ == "__main__":
    sys.exit(main())
